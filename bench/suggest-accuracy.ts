import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { migrateToLatest, openDatabase } from '../db/database.js';
import { seedDemo } from '../seed/demo.js';
import { systemClock } from '../src/clock.js';
import { testConfig } from '../src/config.js';
import type { Locale } from '../src/i18n/index.js';
import { readCuratedExamples, readLexicon, suggestCriteria } from '../src/services/criteria-suggest.js';
import { taxonomyIndex } from '../src/services/taxonomy-index.js';
import { CriteriaClassifier } from '../src/text/criteria-classifier.js';

// Accuracy of POST /api/criteria/suggest on statements it never saw (bench/data/suggest-held-out.json,
// written independently of the lexicon), and its latency. The model is the one the server builds:
// the curated lexicon plus what people confirmed in the demo journal.

interface Item { lang: Locale; text: string; components: string[]; dimension: string }

export interface AccuracyRow { label: string; n: number; top1Dimension: number; top1AnyDimension: number; top1Component: number; top3Component: number; top3Any: number }

function score(label: string, items: Item[], rank: (item: Item) => string[]): AccuracyRow {
  let top1Dimension = 0, top1AnyDimension = 0, top1Component = 0, top3Component = 0, top3Any = 0;
  for (const item of items) {
    const ranked = rank(item);
    if (ranked[0]?.[0] === item.dimension) top1Dimension++;
    if (ranked[0] && item.components.some((code) => code[0] === ranked[0][0])) top1AnyDimension++;
    if (ranked[0] === item.components[0]) top1Component++;
    if (ranked.slice(0, 3).includes(item.components[0])) top3Component++;
    if (ranked.slice(0, 3).some((code) => item.components.includes(code))) top3Any++;
  }
  const pct = (n: number) => Math.round((n / items.length) * 1000) / 10;
  return { label, n: items.length, top1Dimension: pct(top1Dimension), top1AnyDimension: pct(top1AnyDimension), top1Component: pct(top1Component), top3Component: pct(top3Component), top3Any: pct(top3Any) };
}

export async function suggestAccuracy() {
  const items = (JSON.parse(readFileSync(fileURLToPath(new URL('./data/suggest-held-out.json', import.meta.url)), 'utf8')) as { items: Item[] }).items;
  const { db } = openDatabase(':memory:');
  await migrateToLatest(db);
  const deps = { db, clock: systemClock, config: testConfig() };
  await seedDemo(deps);
  const index = await taxonomyIndex(deps);
  const lexiconOnly = new CriteriaClassifier(index.document, readLexicon(index.version));
  const curated = new CriteriaClassifier(index.document, readLexicon(index.version));
  const curatedExamples = readCuratedExamples(index.version);
  for (const example of curatedExamples) curated.learn(example);
  const rows: AccuracyRow[] = [];
  const full = new Map<Item, string[]>();
  const latencies: number[] = [];
  await suggestCriteria(deps, { text: 'warm up', lang: 'en' }, 'en');
  for (const item of items) {
    const t0 = performance.now();
    const result = await suggestCriteria(deps, { text: item.text, lang: item.lang, limit: 5 }, item.lang);
    latencies.push(performance.now() - t0);
    full.set(item, result.suggestions.map((s) => s.code));
  }
  for (const lang of ['en', 'fr', 'pt'] as const) rows.push(score(`served model (lexicon, curated and confirmed examples), ${lang}`, items.filter((i) => i.lang === lang), (i) => full.get(i)!));
  rows.push(score('served model, all', items, (i) => full.get(i)!));
  if (curatedExamples.length) rows.push(score(`lexicon, labels and ${curatedExamples.length} curated examples, all`, items, (i) => curated.rank(i.text, i.lang, 5).ranked.map((r) => r.code)));
  rows.push(score('lexicon and labels only, all', items, (i) => lexiconOnly.rank(i.text, i.lang, 5).ranked.map((r) => r.code)));
  // A long text (a full journal entry) for the latency ceiling.
  const long = items.map((i) => i.text).join(' ').slice(0, 10_000);
  const longTimes: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    await suggestCriteria(deps, { text: long, lang: 'en' }, 'en');
    longTimes.push(performance.now() - t0);
  }
  await db.destroy();
  const pctl = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
  return {
    rows,
    latency: { p50: pctl(latencies, 0.5), p95: pctl(latencies, 0.95), max: Math.max(...latencies), longP50: pctl(longTimes, 0.5), longP95: pctl(longTimes, 0.95) },
  };
}

export function accuracyMarkdown(result: Awaited<ReturnType<typeof suggestAccuracy>>): string {
  const f = (n: number) => n.toFixed(2);
  return [
    '| model, language | items | top-1 is the main dimension | top-1 in an expected dimension | top-1 component | main component in top 3 | an expected component in top 3 |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...result.rows.map((r) => `| ${r.label} | ${r.n} | ${r.top1Dimension} % | ${r.top1AnyDimension} % | ${r.top1Component} % | ${r.top3Component} % | ${r.top3Any} % |`),
    '',
    `Latency of suggestCriteria (service call, warm model): everyday statement p50 ${f(result.latency.p50)} ms, p95 ${f(result.latency.p95)} ms, max ${f(result.latency.max)} ms; a 10,000-character text p50 ${f(result.latency.longP50)} ms, p95 ${f(result.latency.longP95)} ms.`,
  ].join('\n');
}
