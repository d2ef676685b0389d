import { describe, expect, it } from 'vitest';
import { parseGwsDate } from './dates.js';

describe('parseGwsDate', () => {
  it('reads ISO 8601', () => {
    expect(parseGwsDate('2024-05-01T10:20:30.123Z')).toBe(Date.UTC(2024, 4, 1, 10, 20, 30, 123));
  });

  it("reads the vendor example's broken date", () => {
    expect(parseGwsDate('2016-03-2412: 52: 39.000+0200')).toBe(Date.UTC(2016, 2, 24, 10, 52, 39));
  });

  it('reads offsets with and without a colon, and a space instead of T', () => {
    expect(parseGwsDate('2016-03-24 12:52:39+02:00')).toBe(Date.UTC(2016, 2, 24, 10, 52, 39));
    expect(parseGwsDate('2016-03-24T12:52:39-0130')).toBe(Date.UTC(2016, 2, 24, 14, 22, 39));
  });

  it('reads epoch seconds and milliseconds', () => {
    expect(parseGwsDate('1700000000')).toBe(1_700_000_000_000);
    expect(parseGwsDate('1700000000123')).toBe(1_700_000_000_123);
  });

  it('gives null for what is not a date', () => {
    for (const junk of ['', 'yesterday', '2016-13-45T99:99:99Z', '2016-03-24']) {
      expect(parseGwsDate(junk)).toBeNull();
    }
  });
});
