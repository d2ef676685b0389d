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
  return shortened(line, max, (cut) => cut.trimEnd());
}

/** Made when first needed: making one loads ICU's break rules, 20 ms of every start. */
let graphemes: Intl.Segmenter | undefined;

/** Code units read before the cut for the last cluster boundary: clusters are short. */
const CUT_WINDOW = 64;
/** How far back the window may reach for an ASCII character to start after (below). */
const CUT_LOOKBACK = 256;

/**
 * `text` in at most `max` UTF-16 code units, ending in "…" where it was cut. The cut falls
 * between two characters as a reader sees them: a code-unit slice could split an emoji's
 * surrogate pair (a lone half, shown as U+FFFD), an accent from its letter, or a flag in
 * two. One cluster longer than the window (dozens of stacked accents) is cut between code
 * points instead.
 */
export function shortened(text: string, max: number, tidy = (cut: string) => cut): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  // Only a window before the cut is segmented: the whole of a 4 KB field took 7-11 ms, cut
  // in every long field of every item read. The window starts right after an ASCII
  // character, where what came before cannot change the clusters after it (a flag's pairing,
  // an emoji joined by ZWJ); it ends one code point past the last place a cut may fall, since
  // whether a cluster ends there depends on what follows.
  let from = Math.max(0, max - CUT_WINDOW);
  for (let back = 0; from > 0 && back < CUT_LOOKBACK && text.charCodeAt(from - 1) >= 0x80; back++)
    from--;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let end = 0;
  for (const { index } of graphemes.segment(text.slice(from, max + 1))) {
    if (from + index > max - 1) break;
    // The window's own start is a boundary only where the text starts.
    if (index > 0) end = from + index;
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
