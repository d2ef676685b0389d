/**
 * GWS dates are usually ISO 8601, but the vendor's own example has
 * "2016-03-2412: 52: 39.000+0200": no `T`, stray spaces, an offset without a colon.
 */
const LOOSE_DATE =
  /^\s*(\d{4})-(\d{2})-(\d{2})[T\s]*(\d{1,2})\s*:\s*(\d{2})(?:\s*:\s*(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i;

/**
 * Well-formed ISO 8601 with a zone, which Date.parse reads exactly and fast. Checked by
 * character positions: this runs for every item, and a regular expression costs twice as much.
 */
function strictIso(raw: string): boolean {
  const n = raw.length;
  if (n < 17 || raw[4] !== '-' || raw[7] !== '-' || raw[10] !== 'T' || raw[13] !== ':')
    return false;
  if (raw[n - 1] === 'Z') return true;
  const sign = raw[n - 6];
  return (sign === '+' || sign === '-') && raw[n - 3] === ':';
}

export function parseGwsDate(raw: string): number | null {
  if (strictIso(raw)) {
    const time = Date.parse(raw);
    if (!Number.isNaN(time)) return time;
  }
  const match = LOOSE_DATE.exec(raw);
  if (!match) {
    // Epoch milliseconds as a number string also occur.
    if (/^\d{10,13}$/.test(raw.trim())) {
      const n = Number(raw.trim());
      return raw.trim().length === 10 ? n * 1000 : n;
    }
    return null;
  }
  const [, y, mo, d, h, mi, s = '00', frac = '0', zone = 'Z'] = match;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = frac.padEnd(3, '0').slice(0, 3);
  const iso = `${y}-${mo}-${d}T${h?.padStart(2, '0')}:${mi}:${s}.${ms}${offset}`;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? null : time;
}
