import { describe, expect, it } from 'vitest';
import { escapeMarkup, plainLine, revealInvisible } from './text.js';

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
});
