import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { type Locale, type Translate, translator } from '../../src/i18n/index.js';
import { isStopWord } from '../../src/text/analysis.js';
import { type NarrativeSummary, fractionOf, narrative } from '../../src/summaries/narrative.js';
import {
  type Background,
  type SourceText,
  PAUSE_EVERY,
  PRIVACY_THRESHOLD,
  characteristicTerms,
  documentFrequencies,
  componentPairs,
  emergingTerms,
  representativeQuotes,
} from '../../src/summaries/qualitative.js';
import { trimQuote } from '../../src/text/snippets.js';
import type { getSummary } from '../../src/summaries/quantitative.js';

// The real summary type must be readable by the narrative (checked by tsc).
export const summaryFitsNarrative = (summary: Awaited<ReturnType<typeof getSummary>>): NarrativeSummary => summary;

let nextId = 1;
const text = (lang: Locale, body: string, more: Partial<SourceText> = {}): SourceText => {
  const id = String(nextId++);
  return { id, url: `/api/choices/${id}`, text: body, lang, dimensions: [], components: [], month: '2026-06', ...more };
};

const background = (documents: number, frequencies: Record<string, number>): Background => ({ documents, documentFrequency: new Map(Object.entries(frequencies)) });

describe('characteristic phrases', () => {
  const corpus: SourceText[] = [
    text('en', 'We started a compost heap in the shared garden of the street', { dimensions: ['B', 'H'], actorId: 1 }),
    text('en', 'Neighbours bring their peelings to the shared garden every week', { dimensions: ['B', 'D'], actorId: 2 }),
    text('en', 'The school garden now grows vegetables with our compost', { dimensions: ['B'], actorId: 3 }),
    text('en', 'I cycle to work and my bike replaced the car', { dimensions: ['A'], actorId: 4 }),
    text('en', 'Cycling with the children to school by bike', { dimensions: ['A'], actorId: 5 }),
    // One person's pet phrase, three times: never a characteristic of the territory.
    text('en', 'My allotment tomatoes', { dimensions: ['B'], actorId: 6 }),
    text('en', 'Allotment tomatoes again', { dimensions: ['B'], actorId: 6 }),
    text('en', 'Allotment tomatoes, allotment tomatoes', { dimensions: ['B'], actorId: 6 }),
  ];
  const rest = background(1000, { 'en:garden': 40, 'en:compost': 5, 'en:bike': 600, 'en:cycl': 500, 'en:school': 700, 'en:share garden': 3 });

  it('ranks phrases of one to four words against the network, per dimension and overall (EN)', async () => {
    const terms = await characteristicTerms(corpus, rest);
    expect(Object.keys(terms)).toEqual(['all', 'A', 'B', 'D', 'H']);
    const b = terms.B.map((t) => t.term);
    expect(b[0]).toBe('shared garden'); // two words, rare elsewhere
    expect(b).toContain('compost');
    expect(b).not.toContain('garden'); // inside the better "shared garden"
    expect(terms.B[0]).toMatchObject({ key: 'en:share garden', lang: 'en', words: 2, texts: null }); // two sources: count withheld
    expect(terms.A.map((t) => t.key).sort()).toEqual(['en:bike', 'en:cycl']); // 'cycle' and 'cycling' are one phrase
    for (let i = 1; i < terms.all.length; i++) expect(terms.all[i - 1].score).toBeGreaterThanOrEqual(terms.all[i].score);
    expect(terms.D).toEqual([]); // a dimension with a single text
  });

  it('shows each phrase in its most frequent surface form', async () => {
    const terms = await characteristicTerms(corpus, rest);
    const cycling = terms.all.find((t) => t.key === 'en:cycl');
    expect(['cycle', 'cycling']).toContain(cycling!.term);
  });

  it('never shows a stop word, nor a phrase from a single actor, nor one from a single text', async () => {
    const terms = await characteristicTerms(corpus, rest, { top: 100 });
    for (const list of Object.values(terms)) {
      for (const term of list) {
        for (const word of term.term.split(' ')) expect(isStopWord(word, 'en'), term.term).toBe(false);
        expect(term.term).not.toMatch(/allotment|tomato/);
        expect(term.words).toBeLessThanOrEqual(4);
      }
    }
    expect(terms.all.map((t) => t.term)).not.toContain('compost heap'); // in one text only
    // Texts without an actor each count as their own source.
    const anonymous = await characteristicTerms([text('en', 'Allotment tomatoes'), text('en', 'Allotment soup')], background(0, {}));
    expect(anonymous.all.map((t) => t.term)).toEqual(['allotment']);
  });

  it('finds phrases in every language present, accents kept, inflections folded (FR, PT)', async () => {
    const fr = [
      text('fr', 'Nous cultivons des légumes dans les jardins partagés du quartier', { dimensions: ['B'], actorId: 1 }),
      text('fr', 'Le jardin partagé donne des légumes aux familles', { dimensions: ['B'], actorId: 2 }),
      text('fr', 'Un jardin partagé où les voisins se retrouvent', { dimensions: ['B', 'D'], actorId: 3 }),
    ];
    const pt = [
      text('pt', 'As hortas comunitárias dão legumes às famílias do bairro', { dimensions: ['B'], actorId: 4 }),
      text('pt', 'Criámos uma horta comunitária na escola', { dimensions: ['B'], actorId: 5 }),
    ];
    const terms = await characteristicTerms([...fr, ...pt], background(100, { 'fr:jardin': 50 }));
    const phrases = terms.B.map((t) => t.term);
    expect(phrases).toEqual(expect.arrayContaining(['jardin partagé', 'légumes']));
    expect(phrases.some((p) => /^hortas? comunitárias?$/.test(p))).toBe(true);
    expect(terms.B.find((t) => t.term === 'jardin partagé')).toMatchObject({ lang: 'fr', texts: 3 }); // jardins partagés + jardin partagé
    for (const p of phrases) for (const w of ['les', 'des', 'dans', 'nous', 'às', 'na', 'do', 'uma']) expect(p.split(' ')).not.toContain(w);
    expect(new Set(terms.B.map((t) => t.lang))).toEqual(new Set(['fr', 'pt']));
  });

  it('builds the background from the network, one count per text and phrase', async () => {
    const rest = await documentFrequencies([text('en', 'Gardens and a garden'), text('fr', 'Les jardins partagés du quartier'), text('pt', 'O jardim da escola')]);
    expect(rest.documents).toBe(3);
    expect(rest.documentFrequency.get('en:garden')).toBe(1);
    expect(rest.documentFrequency.get('fr:jardin partag')).toBe(1);
    expect(rest.documentFrequency.get('pt:jardim')).toBe(1);
    expect(rest.documentFrequency.has('fr:les')).toBe(false);
  });

  it('keeps the top N', async () => {
    const terms = await characteristicTerms(corpus, rest, { top: 1 });
    expect(terms.all).toHaveLength(1);
  });
});

describe('representative quotes', () => {
  const corpus = [
    text('en', 'We compost kitchen waste in the shared garden with the neighbours', { dimensions: ['B'], actorId: 1, title: 'Garden compost' }),
    text('en', 'The neighbours compost their kitchen waste in the garden', { dimensions: ['B'], actorId: 2 }),
    text('en', 'Kitchen waste goes to the neighbours’ garden compost', { dimensions: ['B', 'H'], actorId: 3 }),
    text('en', 'Compost from the garden feeds the school vegetables', { dimensions: ['B'], actorId: 4 }),
    text('en', 'I repaired my grandmother’s radio at the repair café', { dimensions: ['H'], actorId: 5 }),
    text('fr', 'Le compost du jardin partagé nourrit les légumes des voisins', { dimensions: ['B'], actorId: 6 }),
    text('pt', 'O composto da horta alimenta os legumes dos vizinhos', { dimensions: ['B'], actorId: 7 }),
  ];

  it('picks the most central texts first, per scope and per dimension', async () => {
    const quotes = await representativeQuotes(corpus);
    expect(quotes.all).toHaveLength(3);
    expect(quotes.all.map((q) => q.id)).toEqual(expect.arrayContaining([corpus[0].id, corpus[1].id]));
    expect(quotes.all.map((q) => q.id)).not.toContain(corpus[4].id); // the radio is off-topic
    for (let i = 1; i < quotes.all.length; i++) expect(quotes.all[i - 1].score).toBeGreaterThanOrEqual(quotes.all[i].score);
    expect(quotes.all[0]).toMatchObject({ url: `/api/choices/${quotes.all[0].id}`, lang: 'en' });
    expect(quotes.all.find((q) => q.id === corpus[0].id)?.title).toBe('Garden compost');
    expect(quotes.H.map((q) => q.id).sort()).toEqual([corpus[2].id, corpus[4].id].sort());
    expect(quotes.B).toHaveLength(3);
    expect([corpus[0].id, corpus[1].id, corpus[2].id]).toContain(quotes.B[0].id);
  });

  it('prefers one quote per actor, and never repeats a text', async () => {
    const same = [
      text('en', 'Compost in the garden with the neighbours', { actorId: 1 }),
      text('en', 'Compost in the garden with the neighbours', { actorId: 2 }),
      text('en', 'Garden compost with the neighbours, again', { actorId: 1 }),
      text('en', 'Compost in the garden with the neighbours, again and again', { actorId: 1 }),
      text('en', 'Neighbours share the garden compost', { actorId: 3 }),
      text('en', 'The street garden gets compost', { actorId: 4 }),
    ];
    const quotes = await representativeQuotes(same, { top: 3 });
    const chosen = quotes.all.map((q) => same.find((t) => t.id === q.id)!);
    expect(new Set(chosen.map((t) => t.text)).size).toBe(3);
    expect(new Set(chosen.map((t) => t.actorId)).size).toBe(3);
    // With fewer actors than quotes, the next best texts fill in (still never the same text twice).
    const filled = await representativeQuotes(same.slice(0, 4), { top: 3 });
    expect(filled.all).toHaveLength(3);
    expect(new Set(filled.all.map((q) => q.text)).size).toBe(3);
  });

  it('trims long texts at a word boundary with an ellipsis', async () => {
    const long = `${'Our street now composts its kitchen waste together every single week. '.repeat(8)}End.`;
    const [quote] = (await representativeQuotes([text('en', long), text('en', 'Kitchen waste compost street')], { top: 1 })).all;
    expect(quote.text.length).toBeLessThanOrEqual(280);
    expect(quote.text.endsWith('…')).toBe(true);
    expect(long.startsWith(quote.text.slice(0, -1))).toBe(true);
    expect(long[quote.text.length - 1]).toMatch(/[\s.]/); // the cut falls between words
    expect(trimQuote('  Short\n text  ')).toBe('Short text');
  });
});

describe('emerging phrases', () => {
  const previous = [
    text('en', 'Cycling to work', { actorId: 1, month: '2026-01' }),
    text('en', 'My bike and cycling', { actorId: 2, month: '2026-02' }),
    text('en', 'Cycling with the kids', { actorId: 3, month: '2026-02' }),
    text('en', 'Bus pass bought', { actorId: 4, month: '2026-03' }),
    text('en', 'Repair café visit', { actorId: 5, month: '2026-03' }),
    text('en', 'Repair café again', { actorId: 6, month: '2026-04' }),
    text('en', 'Repair café on Sunday', { actorId: 7, month: '2026-04' }),
    text('en', 'Repair café with my neighbour', { actorId: 8, month: '2026-04' }),
    text('en', 'Repair café for the toaster', { actorId: 9, month: '2026-04' }),
  ];
  const current = [
    text('en', 'Garden compost with neighbours', { actorId: 1 }),
    text('en', 'Compost for the school garden', { actorId: 2 }),
    text('en', 'Compost collected in the street', { actorId: 3 }),
    text('en', 'Compost and cycling', { actorId: 4 }),
    text('en', 'Our compost bin', { actorId: 5 }),
    text('en', 'Solar panels on the roof', { actorId: 6 }),
    text('en', 'Repair café on Saturday', { actorId: 7 }),
    text('en', 'Garden party', { actorId: 8 }),
  ];

  it('calls a phrase absent before "new" (no infinite growth), with its support', async () => {
    const emerging = await emergingTerms(current, previous);
    expect(emerging[0]).toMatchObject({ key: 'en:compost', term: 'compost', current: 5, previous: 0, growth: null, status: 'new' });
  });

  it('needs five texts from three sources now, and leaves out falling and steady phrases', async () => {
    const terms = (await emergingTerms(current, previous, { top: 50 })).map((e) => e.term);
    expect(terms).not.toContain('garden'); // three texts only
    expect(terms).not.toContain('solar panels'); // one text
    expect(terms).not.toContain('cycling'); // fell
    expect(terms).not.toContain('repair café'); // fell
  });

  it('gives the growth of a phrase that was there before', async () => {
    const before = [text('en', 'Compost once', { actorId: 9 }), ...previous];
    const [compost] = await emergingTerms(current, before);
    expect(compost).toMatchObject({ term: 'compost', status: 'growing', previous: null }); // one source before: withheld
    expect(compost.growth).toBeCloseTo((6 / 10) / (2 / 12), 2);
  });

  it('says nothing is emerging when there is nothing to compare with', async () => {
    expect(await emergingTerms(current, [])).toEqual([]);
  });

  it('works in French and Portuguese', async () => {
    const before = [text('fr', 'Covoiturage vers le travail', { actorId: 1 }), text('pt', 'Boleias para o trabalho', { actorId: 2 })];
    const now = [
      text('fr', 'Des poules au jardin pour les déchets', { actorId: 1 }),
      text('fr', 'Nos poules mangent les déchets', { actorId: 2 }),
      text('fr', 'Trois poules à l’école', { actorId: 3 }),
      text('pt', 'As galinhas comem os restos', { actorId: 4 }),
      text('pt', 'Galinhas no quintal da escola', { actorId: 5 }),
      text('pt', 'Duas galinhas novas', { actorId: 6 }),
      text('fr', 'Les poules du voisin', { actorId: 7 }),
      text('fr', 'Un poulailler et des poules', { actorId: 8 }),
      text('pt', 'Ovos das galinhas', { actorId: 9 }),
      text('pt', 'Galinhas felizes', { actorId: 10 }),
    ];
    const terms = (await emergingTerms(now, before)).map((e) => e.term);
    expect(terms).toEqual(expect.arrayContaining(['poules', 'galinhas']));
  });
});

describe('components chosen together', () => {
  const choices = [
    { components: ['H06', 'A01'], actorId: 1 },
    { components: ['A01', 'H06', 'E06'], actorId: 2 },
    { components: ['A01', 'H06'], actorId: 3 },
    { components: ['A01', 'H06', 'H06'], actorId: 3 },
    { components: ['B04', 'H03'], actorId: 4 },
    { components: ['B04', 'H03'], actorId: 4 },
    { components: ['B04', 'H03'], actorId: 5 },
    { components: ['B04', 'H03'], actorId: 5 },
    { components: ['B04', 'H03'], actorId: 5 },
    { components: ['A08'], actorId: 6 },
  ];

  it('counts pairs in the same choice, only from at least PRIVACY_THRESHOLD actors', async () => {
    expect(PRIVACY_THRESHOLD).toBe(3);
    const pairs = await componentPairs(choices);
    // B04+H03 is the most frequent pair but comes from two actors only.
    expect(pairs).toEqual([{ a: 'A01', b: 'H06', count: 4, share: 0.4 }]);
  });

  it('sorts by count and keeps the top N', async () => {
    const more = [...choices, { components: ['B04', 'H03'], actorId: 6 }, { components: ['A01', 'E06'], actorId: 4 }, { components: ['A01', 'E06'], actorId: 5 }];
    const pairs = await componentPairs(more);
    expect(pairs.map((p) => `${p.a}+${p.b}:${p.count}`)).toEqual(['B04+H03:6', 'A01+H06:4', 'A01+E06:3']);
    expect(await componentPairs(more, { top: 1 })).toHaveLength(1);
  });
});

describe('yielding on large inputs', () => {
  it('calls pause every PAUSE_EVERY texts in every function', async () => {
    const many = Array.from({ length: 450 }, (_, i) => text('en', `Garden compost number ${i} with neighbours`, { actorId: i % 7, dimensions: ['B'] }));
    for (const run of [
      (pause: () => Promise<void>) => characteristicTerms(many, background(0, {}), { pause }),
      (pause: () => Promise<void>) => representativeQuotes(many, { pause }),
      (pause: () => Promise<void>) => emergingTerms(many, many.slice(0, 100), { pause }),
      (pause: () => Promise<void>) => componentPairs(many.map((t, i) => ({ components: ['A01', 'B04'], actorId: i })), { pause }),
    ]) {
      let calls = 0;
      await run(async () => {
        calls++;
      });
      expect(calls).toBeGreaterThanOrEqual(Math.floor(450 / PAUSE_EVERY));
    }
  });
});

// ---------------------------------------------------------------------------------------------

/** The app's own translator: the narrative messages are in the catalogues. */
const testTranslator = (locale: Locale): Translate => translator(locale);

const label = (en: string, fr: string, pt: string) => ({ en, fr, pt });
const LABELS = {
  A: label('Access to essential resources', 'Accès aux ressources essentielles', 'Acesso aos recursos essenciais'),
  B: label('Living environment', 'Cadre de vie', 'Quadro de vida'),
  G: label('Feelings of well-being / ill-being', 'Sentiments de bien-être / mal-être', 'Sentimentos de bem-estar / mal-estar'),
  A01: label('Food / drink', 'Alimentation / boissons', 'Alimentação / bebidas'),
  A08: label('Mobility / transport', 'Mobilité / transports', 'Mobilidade / transportes'),
  B04: label('Nature, landscape, green spaces, biodiversity', 'Nature, paysages, espaces verts', 'Natureza, paisagem, espaços verdes'),
};

function summaryIn(locale: Locale, overrides: Partial<NarrativeSummary> = {}): NarrativeSummary {
  return {
    scope: { kind: 'territory', slug: 'bars-a', name: 'Bars A' },
    period: { from: '2026-05-01', to: '2026-10-31' },
    totals: { choices: 62, actors: 12 },
    byDimension: [
      { code: 'A', label: LABELS.A[locale], count: 21, share: 0.3387, suppressed: false },
      { code: 'B', label: LABELS.B[locale], count: 16, share: 0.2581, suppressed: false },
      // Withheld figures are never mentioned, even where they might be the largest.
      { code: 'G', label: LABELS.G[locale], count: null, share: null, suppressed: true },
    ],
    byComponent: [
      { code: 'A01', label: LABELS.A01[locale], dimension: 'A', count: 9, share: 0.1452, suppressed: false },
      { code: 'A02', label: 'Withheld component', dimension: 'A', count: null, share: null, suppressed: true },
      { code: 'A08', label: LABELS.A08[locale], dimension: 'A', count: 5, share: 0.0806, suppressed: false },
      { code: 'B04', label: LABELS.B04[locale], dimension: 'B', count: 16, share: 0.2581, suppressed: false },
    ],
    results: [
      { unit: 'kg CO2e', sum: -210.5, count: 7, suppressed: false },
      { unit: 'meals', sum: null, count: null, suppressed: true },
      { unit: 'people', sum: 1250, count: 4, suppressed: false },
    ],
    blindSpots: [{ code: 'C03' }, { code: 'D02' }],
    comparison: {
      scope: { kind: 'territory', slug: 'bars-a', name: 'Bars A' },
      period: { from: '2025-11-01', to: '2026-04-30' },
      totals: { choices: 50 },
      deltas: { choices: 12 },
    },
    ...overrides,
  };
}

const qualitative = {
  terms: {
    all: [{ key: 'en:compost', term: 'compost', lang: 'en' as const, words: 1, score: 2, texts: 5 }],
    A: [
      { key: 'fr:legum', term: 'légumes', lang: 'fr' as const, words: 1, score: 3, texts: 6 },
      { key: 'fr:cantin', term: 'cantine', lang: 'fr' as const, words: 1, score: 2, texts: 4 },
    ],
  },
  emerging: [{ key: 'fr:poul', term: 'poules', lang: 'fr' as const, current: 5, previous: 0, growth: null, status: 'new' as const }],
};

describe('the narrative paragraph', () => {
  it('tells the summary in English', () => {
    const text = narrative(summaryIn('en'), qualitative, testTranslator('en'));
    expect(text).toBe(
      'In Bars A, 62 choices were logged by 12 actors between May and October 2026. ' +
        'A third of them concern “Access to essential resources”, most often “Food / drink”. ' +
        'One dimension is withheld to protect the few people behind it, and left out of what follows. ' +
        'Reported results add up to −210.5 kg CO2e and 1,250 people. ' +
        '2 components are blind spots: no choice concerns them. ' +
        'That is 12 choices more than between November 2025 and April 2026. ' +
        'Phrases that characterise it: “légumes” and “cantine”. ' +
        'New or rising phrases: “poules”.',
    );
    expect(text).not.toMatch(/Feelings|Withheld|meals/);
  });

  it('tells it in French, with French typography', () => {
    const text = narrative(summaryIn('fr'), qualitative, testTranslator('fr'));
    expect(text).toContain('À Bars A, 62 choix ont été notés par 12 acteurs entre mai et octobre 2026.');
    expect(text).toContain('Un tiers de ces choix concernent la dimension «\u00a0Accès aux ressources essentielles\u00a0», le plus souvent la composante «\u00a0Alimentation / boissons\u00a0».');
    expect(text).toMatch(/totalisent −210,5\u00a0kg CO2e et 1\u202f250\u00a0people\./);
    expect(text).toContain('2 composantes restent des angles morts\u00a0: aucun choix ne les concerne.');
    expect(text).toContain('C’est 12 choix de plus qu’entre novembre 2025 et avril 2026.');
    expect(text).toContain('Expressions qui la caractérisent\u00a0: «\u00a0légumes\u00a0» et «\u00a0cantine\u00a0».');
    expect(text).not.toMatch(/Sentiments|Withheld|meals/);
  });

  it('tells it in Portuguese', () => {
    const text = narrative(summaryIn('pt'), qualitative, testTranslator('pt'));
    expect(text).toContain('Em Bars A, 62 escolhas foram registadas por 12 atores entre maio e outubro de 2026.');
    expect(text).toContain('Um terço destas escolhas diz respeito à dimensão «Acesso aos recursos essenciais», sobretudo à componente «Alimentação / bebidas».');
    expect(text).toContain('Isto representa mais 12 escolhas do que entre novembro de 2025 e abril de 2026.');
    expect(text).toContain('Expressões novas ou em crescimento: «poules».');
  });

  it('speaks of the whole network, percentages, ties, fewer choices and another territory', () => {
    const summary = summaryIn('en', {
      scope: { kind: 'network', slug: null, name: null },
      byDimension: [{ code: 'A', label: LABELS.A.en, count: 21, share: 0.42, suppressed: false }],
      byComponent: [
        { code: 'A01', label: LABELS.A01.en, dimension: 'A', count: 5, share: 0.1, suppressed: false },
        { code: 'A08', label: LABELS.A08.en, dimension: 'A', count: 5, share: 0.1, suppressed: false },
      ],
      comparison: { scope: { kind: 'territory', slug: 'bars-b', name: 'Bars B' }, period: { from: '2026-05-01', to: '2026-05-31' }, totals: { choices: 70 }, deltas: { choices: -1 } },
      blindSpots: [],
    });
    const text = narrative(summary, null, testTranslator('en'));
    expect(text).toMatch(/^Across the network, 62 choices were logged by 12 actors between May and October 2026\./);
    expect(text).toContain('42% of them concern “Access to essential resources”, most often “Food / drink” and “Mobility / transport”.');
    expect(text).toContain('Every component is concerned by at least one choice.');
    expect(text).toContain('That is 1 choice fewer than in Bars B in May 2026.');
    expect(narrative(summary, null, testTranslator('fr'))).toContain('C’est 1 choix de moins qu’à Bars B en mai 2026.');
  });

  it('names no component when all of the top dimension’s are withheld', () => {
    const summary = summaryIn('fr', { byComponent: [{ code: 'A02', label: 'Withheld component', dimension: 'A', count: null, share: null, suppressed: true }] });
    const text = narrative(summary, null, testTranslator('fr'));
    expect(text).toContain('Un tiers de ces choix concernent la dimension «\u00a0Accès aux ressources essentielles\u00a0». ');
    expect(text).not.toContain('Withheld');
  });

  it('tells a group’s summary from its statements, in each language', () => {
    const group = (locale: Locale, statements: number): NarrativeSummary => ({
      ...summaryIn(locale),
      scope: { kind: 'group', id: 4, name: 'Parents', slug: undefined },
      totals: { choices: null, actors: null, statements },
      byDimension: [{ code: 'A', label: LABELS.A[locale], count: 13, share: 0.5, suppressed: false }],
      results: [],
      blindSpots: [{ code: 'C03' }],
      comparison: null,
    });
    expect(narrative(group('en', 26), null, testTranslator('en'))).toBe(
      'In the group “Parents”, 26 statements were recorded between May and October 2026. ' +
        'Half of them concern “Access to essential resources”, most often “Food / drink”. ' +
        'One component is a blind spot: no statement concerns it.',
    );
    const fr = narrative(group('fr', 26), null, testTranslator('fr'));
    expect(fr).toContain('Dans le groupe «\u00a0Parents\u00a0», 26 expressions ont été recueillies entre mai et octobre 2026.');
    expect(fr).toContain('La moitié de ces expressions concernent la dimension');
    expect(fr).toContain('aucune expression ne la concerne.');
    const pt = narrative(group('pt', 26), null, testTranslator('pt'));
    expect(pt).toContain('No grupo «Parents», 26 afirmações foram registadas entre maio e outubro de 2026.');
    expect(pt).toContain('Metade destas afirmações diz respeito à dimensão «Acesso aos recursos essenciais»');
    expect(narrative(group('en', 0), null, testTranslator('en'))).toBe('In the group “Parents”, no statements were recorded between May and October 2026.');
  });

  it('leaves out withheld actors, shares and comparisons', () => {
    const summary = summaryIn('en', {
      totals: { choices: 62, actors: null },
      comparison: { scope: { kind: 'territory', slug: 'bars-a', name: 'Bars A' }, period: { from: '2025-11-01', to: '2026-04-30' }, totals: { choices: null }, deltas: { choices: null } },
      period: { from: '2025-12-01', to: '2026-02-28' },
    });
    const text = narrative(summary, { terms: { all: qualitative.terms.all } }, testTranslator('en'));
    expect(text).toMatch(/^In Bars A, 62 choices were logged between December 2025 and February 2026\./);
    expect(text).not.toMatch(/actors|That is/);
    expect(text).toContain('Phrases that stand out: “compost”.');
  });

  it('says there are too few actors when the totals are withheld, in each language', () => {
    const withheld = { totals: { choices: null, actors: null } };
    expect(narrative(summaryIn('en', withheld), qualitative, testTranslator('en'))).toBe('In Bars A, too few actors logged choices between May and October 2026 for figures to be shown.');
    expect(narrative(summaryIn('fr', withheld), qualitative, testTranslator('fr'))).toBe('À Bars A, trop peu d’acteurs ont noté des choix entre mai et octobre 2026 pour que des chiffres puissent être montrés.');
    expect(narrative(summaryIn('pt', withheld), qualitative, testTranslator('pt'))).toBe('Em Bars A, demasiado poucos atores registaram escolhas entre maio e outubro de 2026 para que se possam mostrar números.');
  });

  it('says that nothing was logged when there are no choices, in each language', () => {
    const empty = { scope: { kind: 'network', slug: null, name: null }, totals: { choices: 0, actors: 0 }, period: { from: '2026-05-01', to: '2026-05-31' } };
    expect(narrative(summaryIn('en', empty), null, testTranslator('en'))).toBe('Across the network, no choices were logged in May 2026.');
    expect(narrative(summaryIn('fr', empty), null, testTranslator('fr'))).toBe('Dans tout le réseau, aucun choix n’a été noté en mai 2026.');
    expect(narrative(summaryIn('pt', empty), null, testTranslator('pt'))).toBe('Em toda a rede, não foi registada nenhuma escolha em maio de 2026.');
  });

  it('says shares in words when they are close to a simple fraction', () => {
    expect([1, 0.75, 0.6667, 0.5, 0.34, 0.25, 0.2, 0.42].map(fractionOf)).toEqual(['all', 'threeQuarters', 'twoThirds', 'half', 'third', 'quarter', 'fifth', 'other']);
  });

});
