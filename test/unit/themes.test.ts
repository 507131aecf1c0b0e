import { describe, expect, it } from 'vitest';
import { CORPORA, readCorpus, scoreCorpus } from '../../bench/themes-accuracy.js';
import { themeFeatures } from '../../src/summaries/theme-lexicons.js';
import { type ThemeText, averageLinkage, cognateKey, conceptCover, findThemes } from '../../src/summaries/themes.js';
import { candidatePhrases } from '../../src/text/key-phrases.js';
import type { Locale } from '../../src/i18n/index.js';

// Themes and key phrases (issue 18, points 2 and 3), on their own: no database.

let nextId = 1;
const text = (lang: Locale, body: string, actorId: number, components: string[] = []): ThemeText => {
  const id = `choice:${nextId++}`;
  return { id, url: `/choices/${id.slice(7)}`, body, text: body, lang, components, actorId };
};
const features = themeFeatures('spiral-2010-8');
const titled = (t: ThemeText, title: string): ThemeText => ({ ...t, title, text: `${title}\n${t.body}` });

describe('key phrase candidates', () => {
  it('cuts at stop words and punctuation, keeps one to four words, and folds inflections into one key', () => {
    const phrases = candidatePhrases('Les jardins partagés du quartier, et le jardin partagé de l’école.', 'fr');
    const keys = phrases.map((p) => p.key);
    expect(keys).toContain('fr:jardin partag');
    expect(phrases.find((p) => p.key === 'fr:jardin partag')!.surface).toBe('jardins partagés'); // the first form met
    expect(keys).not.toContain('fr:partag quarti'); // "du" is a stop word: no phrase across it
    for (const p of phrases) expect(p.words).toBeLessThanOrEqual(4);
    expect(candidatePhrases('Repair café on Saturday morning with neighbours and friends today', 'en').every((p) => p.words <= 4)).toBe(true);
    expect(candidatePhrases('Deux fois par semaine, chaque matin', 'fr').map((p) => p.surface)).toEqual(['semaine', 'matin']);
  });
});

describe('language-independent features', () => {
  it('gives cognates one spelling key', () => {
    expect(cognateKey('recycl')).toBe(cognateKey('recicl'));
    expect(cognateKey('energi')).toBe(cognateKey('energ'));
    expect(cognateKey('compost')).not.toBe(cognateKey('comport'));
  });

  it('finds the same concept in each language', () => {
    const of = (t: ThemeText) => [...features.of(t).keys()].filter((f) => f.startsWith('c:'));
    expect(of(text('en', 'I cycled to work', 1))).toContain('c:cycling');
    expect(of(text('fr', 'Je vais au travail à vélo', 1))).toContain('c:cycling');
    expect(of(text('pt', 'Vou de bicicleta para o trabalho', 1))).toContain('c:cycling');
  });
});

describe('average-linkage clustering', () => {
  it('merges alike vectors and stops at the threshold', () => {
    const v = (entries: [string, number][]) => new Map(entries);
    const clusters = averageLinkage([v([['a', 1]]), v([['a', 0.8], ['b', 0.6]]), v([['c', 1]]), v([['c', 0.6], ['d', 0.8]]), v([['e', 1]])], 0.5);
    expect(clusters.map((c) => [...c].sort()).sort()).toEqual([[0, 1], [2, 3], [4]]);
  });
});

describe('concept cover', () => {
  it('founds a theme on the concept texts name most, places a text only where its strongest concept is, and leaves lone concepts out', () => {
    const v = (entries: [string, number][]) => {
      const norm = Math.sqrt(entries.reduce((sum, [, x]) => sum + x * x, 0));
      return new Map(entries.map(([k, x]) => [k, x / norm]));
    };
    const vectors = [
      v([['c:compost', 1]]), v([['c:compost', 1], ['k:worm', 0.5]]), v([['c:compost', 1], ['c:housing', 0.3]]),
      v([['c:housing', 1]]), v([['c:housing', 1], ['k:rent', 0.5]]), v([['c:housing', 1], ['c:compost', 0.2]]),
      v([['c:cycling', 1]]), // a concept no other text names founds nothing
    ];
    const { clusters, assigned } = conceptCover(vectors, 2.5);
    expect(clusters.map((c) => [...c].sort()).sort()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(assigned[6]).toBe(-1);
  });
});

describe('themes', () => {
  it('match a human grouping across languages (B-cubed F1 ≥ 0.6 on every corpus; ≥ 0.75 within a language on the tuning corpus)', () => {
    const paths = Object.values(CORPORA);
    expect(paths.length).toBeGreaterThanOrEqual(6);
    for (const path of paths) {
      const corpus = readCorpus(path);
      if (!corpus) throw new Error(`missing corpus ${path}`);
      const score = scoreCorpus(corpus);
      expect(score.all.f1, path).toBeGreaterThanOrEqual(0.6);
      for (const theme of score.result.themes) {
        expect(theme.actors).toBeGreaterThanOrEqual(3);
        expect(theme.labels.en && theme.labels.fr && theme.labels.pt).toBeTruthy();
        expect(theme.phrases.some((p) => p.phrase.includes(' ')), theme.id).toBe(true);
      }
      if (path === CORPORA['tuning (developers, 81 texts)']) {
        for (const lang of ['en', 'fr', 'pt']) expect(score.byLanguage[lang].f1, `${path} ${lang}`).toBeGreaterThanOrEqual(0.75);
        expect(score.unrelatedLeftOut, path).toBeGreaterThan(score.unrelated / 2);
      }
    }
  });

  it('publishes no theme from fewer than three sources, and counts the rest as unassigned', () => {
    const texts = [
      text('en', 'Cycled to work by bike', 1), text('en', 'My bike commute to work', 1), text('fr', 'Au travail à vélo', 2), text('pt', 'De bicicleta para o trabalho', 2),
    ];
    expect(findThemes(texts, [], features)).toMatchObject({ themes: [], unassigned: 4, texts: 4 });
    const more = [...texts, text('en', 'Cycling to the office every day on my bike', 3)];
    const { themes } = findThemes(more, [], features);
    expect(themes).toHaveLength(1);
    expect(themes[0]).toMatchObject({ id: 'cycling', size: 5, actors: 3 });
  });

  it('tells new, growing and stable themes apart, with enough support to call a theme new', () => {
    const cycling = (n: number, from: number) => Array.from({ length: n }, (_, i) => text(['en', 'fr', 'pt'][i % 3] as Locale, ['Cycled to work on my bike', 'Au travail à vélo chaque jour', 'Vou de bicicleta para o trabalho'][i % 3], from + i));
    const repair = (n: number, from: number) => Array.from({ length: n }, (_, i) => text('en', 'We repaired a broken toaster at the repair café', from + i));
    const now = [...cycling(6, 1), ...repair(4, 20)];
    const before = [...repair(4, 40), ...['Birthday party for my sister', 'Broke my wrist on the ladder', 'Filled in the tax form', 'New phone contract', 'Sunny weekend', 'My cat is ten'].map((t, i) => text('en', t, 60 + i))];
    const themes = findThemes(now, before, features).themes;
    expect(themes.find((t) => t.id === 'cycling')).toMatchObject({ status: 'new', growth: null, previous: 0 });
    expect(themes.find((t) => t.id === 'repair')!.status).toBe('stable');
    // Absent before but with too little support: not called new.
    const small = findThemes([...cycling(3, 1), ...repair(4, 20)], before, features).themes;
    expect(small.find((t) => t.id === 'cycling')!.status).toBe('stable');
    // Nothing at all before: nothing is new.
    expect(findThemes(now, [], features).themes.every((t) => t.status === 'stable' && t.growth === null)).toBe(true);
  });

  it('quotes the most central texts, title and text apart, one per person and language first', () => {
    const texts = [
      titled(text('en', 'I took the bike instead of the car all week.', 1), 'Cycled to work'),
      titled(text('fr', 'Par la piste cyclable du canal, à vélo.', 2), 'Au travail à vélo'),
      titled(text('pt', 'Levo os miúdos de bicicleta à escola pela ciclovia.', 3), 'De bicicleta para a escola'),
      text('en', 'The new bike lane on our street is great for cycling.', 3),
    ];
    const [theme] = findThemes(texts, [], features).themes;
    expect(theme.quotes).toHaveLength(3);
    expect(new Set(theme.quotes.map((q) => q.lang))).toEqual(new Set(['en', 'fr', 'pt']));
    for (const quote of theme.quotes) if (quote.title) expect(quote.text).not.toContain(quote.title);
  });
});
