// Control characters other than tab and line breaks, lone surrogates, and the bidirectional overrides
// that can disguise text.
const UNWANTED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as people type it, made safe to store, show, and put in feeds and exports: NFC, no control characters. */
export function cleanText(value: string): string {
  return value.replace(UNWANTED, '').normalize('NFC');
}

/** Text for an HTML-typed feed field (Atom titles are declared type="html"): cleaned, then escaped. */
export function feedHtmlText(value: string): string {
  return cleanText(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
