import { relativeTime } from '../main/contract/strings.js';

/** Made when first asked for, not while the page starts (see showExactTime). */
let exact: Intl.DateTimeFormat | undefined;

export function exactTime(ms: number): string {
  exact ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  return exact.format(new Date(ms));
}

export { relativeTime };
