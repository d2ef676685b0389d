/** A desktop notification the core decided on: shown natively in the app, by the browser in browser mode. */
export interface Notice {
  readonly kind: 'items' | 'subscription-failed' | 'lost' | 'recovered';
  readonly title: string;
  readonly body: string;
  /** What a click should show, if anything. */
  readonly target: { readonly workbinKey: string; readonly id: string } | null;
}
