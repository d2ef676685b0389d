import { relativeTime } from '../main/contract/strings.js';

const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function exactTime(ms: number): string {
  return exact.format(new Date(ms));
}

export { relativeTime };
