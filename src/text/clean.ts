// Control characters other than tab and line breaks, lone surrogates, and the bidirectional overrides
// that can disguise text.
const UNWANTED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/**
 * Combining marks stacked on one character beyond what any language needs (after NFC, Vietnamese needs
 * one, Hebrew with cantillation or Devanagari three): a "Zalgo" flood that overflows every line it sits on.
 */
export const MAX_COMBINING_MARKS = 3;
const MARK_FLOOD = new RegExp(`(\\p{M}{${MAX_COMBINING_MARKS}})\\p{M}+`, 'gu');
const LINE_BREAKS = /[\r\n\u0085\u2028\u2029]+/g;

/** Text as people type it, made safe to store, show, and put in feeds and exports: NFC, no control characters, no mark floods. */
export function cleanText(value: string): string {
  return value.replace(UNWANTED, '').normalize('NFC').replace(MARK_FLOOD, '$1');
}

/**
 * The one rule for titles and names (choices, pages, workshops, topics, charters, tools, groups, people):
 * cleaned text on one line, since titles reach headers, lists, calendar files and mail subjects.
 */
export function cleanTitle(value: string): string {
  return cleanText(value).replace(LINE_BREAKS, ' ').replace(/[ \t]{2,}/g, ' ').trim();
}

/** Text for an HTML-typed feed field (Atom titles are declared type="html"): cleaned, then escaped. */
export function feedHtmlText(value: string): string {
  return cleanText(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
