/**
 * Server text on its way to the agent. A subject like "Invoice for you \u202Efdp.exe" renders
 * as "Invoice for you exe.pdf": bidi overrides, isolates and marks, and C0/C1 controls,
 * are how text fools a reader. One set of rules for every place that shows it.
 */

/** U+202A–202E (embeddings, overrides), U+2066–2069 (isolates), LRM, RLM, ALM. */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
/** C0 and C1 controls, DEL; tab and newline are whitespace, kept by `plainLine` as spaces. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding controls is this regex's job
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const INVISIBLE = new RegExp(`${BIDI.source}|${CONTROLS.source}`, 'g');

/**
 * One line of plain text for a place the agent trusts (a notification, a title): bidi and
 * control characters removed, whitespace folded, at most `max` characters.
 */
export function plainLine(text: string, max: number): string {
  const line = text.replace(BIDI, '').replace(CONTROLS, '').replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : shortened(line, max, (cut) => cut.trimEnd());
}

/** Made when first needed: making one loads ICU's break rules, 20 ms of every start. */
let graphemes: Intl.Segmenter | undefined;

/**
 * `text` in at most `max` UTF-16 code units, ending in "…" where it was cut. The cut falls
 * between two characters as a reader sees them: a code-unit slice could split an emoji's
 * surrogate pair (a lone half, shown as U+FFFD), an accent from its letter, or a flag in
 * two. Only the start of the text is
 * segmented, however long it is. One cluster longer than `max` (hundreds of stacked accents)
 * is cut between code points instead.
 */
export function shortened(text: string, max: number, tidy = (cut: string) => cut): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  // Whether a cluster ends at a place depends on the code point after it (a flag's second
  // half, what follows a joiner): the text is read one code point past the last place a cut
  // may fall.
  let end = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { index } of graphemes.segment(text.slice(0, max + 1))) {
    if (index > max - 1) break;
    end = index;
  }
  if (end === 0) {
    end = max - 1;
    if (end > 0 && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
  }
  return `${tidy(text.slice(0, end))}…`;
}

/** For notification servers that render markup (some Linux ones do): & < > as entities. */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Shows what is normally invisible, for the details view: "\u202E" becomes "⟨U+202E⟩". */
export function revealInvisible(text: string): string {
  return text.replace(
    INVISIBLE,
    (c) => `⟨U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`,
  );
}
