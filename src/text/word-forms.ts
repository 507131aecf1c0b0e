import snowball from 'snowball-stemmers';

// Word forms for search: every word is reduced to its English, French and Portuguese stems, so
// "jardins" finds "jardin" and "escolas" finds "escola" whatever language a page is written in.
const stemmers = ['english', 'french', 'portuguese'].map((language) => snowball.newStemmer(language));
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC');
}

export function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).map((w) => w.replace(/^[\p{L}]['’]/u, '')).filter(Boolean);
}

const cache = new Map<string, string[]>();

/** The distinct folded stems of one lower-case word. */
export function stemsOf(word: string): string[] {
  let stems = cache.get(word);
  if (!stems) {
    const forms = new Set<string>();
    for (const stemmer of stemmers) forms.add(foldDiacritics(stemmer.stem(word)));
    stems = [...forms].filter(Boolean);
    if (cache.size > 50_000) cache.clear();
    cache.set(word, stems);
  }
  return stems;
}

/** The stems line stored in the full-text index for a text. */
export function stemLine(text: string): string {
  const out: string[] = [];
  for (const word of words(text)) out.push(...stemsOf(word));
  return out.join(' ');
}
