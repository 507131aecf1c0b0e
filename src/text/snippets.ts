import { stemsOf, words } from './word-forms.js';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const TOKEN = /([\p{L}\p{N}]+(?:['’][\p{L}]+)?)|([^\p{L}\p{N}]+)/gu;

/**
 * An escaped excerpt of `text` around the first word that matches the query (by stem), with every
 * matching word wrapped in <mark>. Safe to insert as HTML: everything else is escaped.
 */
export function highlightSnippet(text: string, query: string, maxWords = 30): string {
  const wanted = new Set(words(query).flatMap((w) => stemsOf(w)));
  const tokens = [...text.matchAll(TOKEN)].map((m) => ({ text: m[0], isWord: Boolean(m[1]) }));
  const matches = (token: { text: string; isWord: boolean }) => token.isWord && stemsOf(token.text.toLowerCase()).some((s) => wanted.has(s));
  const first = tokens.findIndex(matches);
  const wordIndexes = tokens.map((t, i) => (t.isWord ? i : -1)).filter((i) => i >= 0);
  const firstWord = Math.max(0, wordIndexes.indexOf(first));
  const startWord = Math.max(0, firstWord - Math.floor(maxWords / 3));
  const start = startWord === 0 ? 0 : wordIndexes[startWord] ?? 0;
  const end = wordIndexes[Math.min(wordIndexes.length - 1, startWord + maxWords)] ?? tokens.length - 1;
  let out = start > 0 ? '… ' : '';
  for (let i = start; i <= end && i < tokens.length; i++) {
    const token = tokens[i];
    out += matches(token) ? `<mark>${escapeHtml(token.text)}</mark>` : escapeHtml(token.text);
  }
  if (end < tokens.length - 1) out += ' …';
  return out.trim();
}

/** The length quotes are cut to in summaries. */
export const QUOTE_LENGTH = 280;

/** Whitespace collapsed, and cut at a word boundary with '…' when longer than `max` characters. */
export function trimQuote(text: string, max = QUOTE_LENGTH): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  if (chars.length <= max) return flat;
  const head = chars.slice(0, max - 1).join('');
  const boundary = head.search(/\s\S*$/);
  const cut = boundary > max * 0.6 ? head.slice(0, boundary) : head;
  return `${cut.replace(/[\s,;:.!?…\-–—(«“"']+$/u, '')}…`;
}
