/** The signed-in account: shown in the UI, saved with the offline cache. */
export interface AccountSession {
  readonly server: string;
  readonly user: string;
  /** The GWS user id: whose workbins are "mine". */
  readonly userId: string;
  readonly displayName: string;
  /**
   * Plain http to another machine, which the user explicitly allowed: the password and
   * customer data cross the network unencrypted. Shown as a warning for as long as it lasts;
   * the password is never saved for it.
   */
  readonly insecure: boolean;
}

/** The same account, shown the same way: every field alike. */
export const sameSession = (a: AccountSession | null, b: AccountSession | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    a.server === b.server &&
    a.user === b.user &&
    a.userId === b.userId &&
    a.displayName === b.displayName &&
    a.insecure === b.insecure);
