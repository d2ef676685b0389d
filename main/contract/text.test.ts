import { describe, expect, it, vi } from 'vitest';
import { escapeMarkup, plainLine, revealInvisible, shortened } from './text.js';

describe('server text', () => {
  it('takes the tricks out of a line the agent trusts', () => {
    expect(plainLine('Invoice for you \u202Efdp.exe', 80)).toBe('Invoice for you fdp.exe');
    expect(plainLine('ceo@\u202Emoc.knab-live\u202C', 80)).toBe('ceo@moc.knab-live');
    expect(plainLine('a\u2066b\u2069c\u200Ed\u200Fe\u061Cf', 80)).toBe('abcdef');
    expect(plainLine('bell\u0007 and\u0000 nul\u009B csi', 80)).toBe('bell and nul csi');
    expect(plainLine('  two\n\tlines  ', 80)).toBe('two lines');
    expect(plainLine('x'.repeat(300), 100)).toHaveLength(100);
    expect(plainLine('x'.repeat(300), 100).endsWith('…')).toBe(true);
  });

  it('escapes markup for notification servers that render it', () => {
    expect(escapeMarkup('<b>free</b> & more')).toBe('&lt;b&gt;free&lt;/b&gt; &amp; more');
  });

  it('shows hidden characters where the agent inspects an item', () => {
    expect(revealInvisible('Invoice \u202Efdp.exe')).toBe('Invoice ⟨U+202E⟩fdp.exe');
    expect(revealInvisible('a\u0000b')).toBe('a⟨U+0000⟩b');
    expect(revealInvisible('plain')).toBe('plain');
  });

  it('shortens text between characters as a reader sees them, never inside one', () => {
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    // An emoji's surrogate pair, a letter and its accent, a flag, a family joined by ZWJ,
    // at every cut position.
    const text = 'Ticket 📧 Cafe\u0301 🇫🇷 👨‍👩‍👧 done';
    for (let max = 1; max < text.length; max++) {
      const short = shortened(text, max);
      expect(short.length).toBeLessThanOrEqual(max);
      expect(short.endsWith('…')).toBe(true);
      expect(short).not.toMatch(lone);
      const kept = short.slice(0, -1);
      expect(text.startsWith(kept)).toBe(true);
      // What is kept ends where a whole cluster of the text ends.
      const ends = [
        ...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text),
      ].map((s) => s.index + s.segment.length);
      expect(kept === '' || ends.includes(kept.length)).toBe(true);
    }
    expect(shortened('short', 10)).toBe('short');
    expect(shortened('x'.repeat(300), 100)).toHaveLength(100);
    expect(plainLine(`${'a'.repeat(98)}📧 tail`, 100)).toBe(`${'a'.repeat(98)}…`);
  });

  it('cuts a long text between characters too, reading only the end of it', () => {
    // Flags and joined emoji beyond the window the cut reads, where a window starting
    // mid-run would pair the flags' halves wrongly.
    const text = `Flags: ${'🇫🇷🇩🇪'.repeat(20)} end${' and 👨‍👩‍👧 family'.repeat(10)}${'x'.repeat(300)}`;
    const ends = new Set(
      [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map(
        (s) => s.index + s.segment.length,
      ),
    );
    for (let max = 2; max < text.length; max++) {
      const kept = shortened(text, max).slice(0, -1);
      expect(kept.length).toBeLessThan(max);
      expect(ends.has(kept.length)).toBe(true);
      // And no earlier than the last whole cluster that fits.
      expect([...ends].filter((e) => e > kept.length && e <= max - 1)).toEqual([]);
    }
  });

  it('segments only a window before the cut, however long the text', () => {
    // All of a 4 KB field segmented took 7-11 ms a cut, and every long field is cut.
    const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment');
    try {
      const text = 'Заказ 📦 '.repeat(100_000);
      expect(shortened(text, 4_096)).toHaveLength(4_096);
      const read = segment.mock.calls.map(([input]) => input.length);
      expect(read).toHaveLength(1);
      expect(read[0]).toBeLessThan(400);
    } finally {
      segment.mockRestore();
    }
  });

  it('cuts one cluster longer than the limit between code points', () => {
    const zalgo = `😀${'\u0301'.repeat(500)}`;
    const short = shortened(zalgo, 100);
    expect(short).toHaveLength(100);
    expect(short.startsWith('😀\u0301')).toBe(true);
    // A pair at the cut is dropped whole.
    expect(shortened('😀😀', 2)).toBe('…');
    expect(shortened(`a${'😀'.repeat(3)}`, 3)).toBe('a…');
  });
});
