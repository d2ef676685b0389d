/** The signed-in account: shown in the UI, saved with the offline cache. */
export interface AccountSession {
  readonly server: string;
  readonly user: string;
  /** The GWS user id: whose workbins are "mine". */
  readonly userId: string;
  readonly displayName: string;
}
