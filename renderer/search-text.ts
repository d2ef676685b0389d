const NON_ASCII = /[\u0080-\uffff]/;
/** Latin, Greek and Cyrillic accents once decomposed (not the kana voicing marks). */
const DIACRITICS = /[\u0300-\u036f]/g;

/**
 * Text as a search compares it. An agent types "muller" for "Müller", "strasse" for
 * "Straße", and half-width or full-width letters as the keyboard gives them; a sender's mail
 * client may have sent "é" as "e" and an accent (NFD). Both the items' text and the query
 * pass through this, so either spelling finds the other. Upper- then lower-casing folds "ß"
 * to "ss" and a final sigma to sigma; compatibility decomposition folds widths and ligatures;
 * composing again keeps kana and Hangul whole, so "が" does not find "か". ASCII text, the
 * common case, is only lower-cased.
 */
export function searchText(text: string): string {
  const lower = text.toLowerCase();
  if (!NON_ASCII.test(lower)) return lower;
  return lower
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKD')
    .replace(DIACRITICS, '')
    .normalize('NFC');
}
