import { checkpoint } from '../db/maintenance.js';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { warmSuggestions } from '../src/services/criteria-suggest.js';
import { freshBenchDatabase } from './bench-database.js';
import { seedSyntheticNetwork } from '../seed/synthetic.js';
import { createApp } from '../src/app.js';
import { systemClock } from '../src/clock.js';
import { testConfig } from '../src/config.js';
import { createAccessToken, registerUser } from '../src/services/accounts.js';

// Logging a choice with a million choices already in the journal, through the whole HTTP stack in
// process (routing, validation, service, commit with synchronous=FULL on a file), plus reading lists
// and asking for suggestions at that size.

const pctl = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const stats = (values: number[]) => ({ p50: pctl(values, 0.5), p95: pctl(values, 0.95), p99: pctl(values, 0.99), max: Math.max(...values) });

export async function journalWriteBench(options: { choices?: number; requests?: number } = {}) {
  const size = options.choices ?? 1_000_000;
  const requests = options.requests ?? 500;
  const { file, db, remove } = await freshBenchDatabase(`journal-${size}`);
  const config = testConfig({ databasePath: file, rateLimitScale: 1000 });
  const deps = { db, clock: systemClock, config };
  const t0 = performance.now();
  const seeded = await seedSyntheticNetwork(deps, { choices: size });
  const seedSeconds = (performance.now() - t0) / 1000;
  checkpoint(db);
  const { app } = createApp(deps);
  const user = await registerUser(deps, { email: 'bench@bench.invalid', password: 'a long bench passphrase 2026', name: 'Bench Person', actorKind: 'citizen', territory: 'town-3-4' });
  const { token } = await createAccessToken(deps, { user: { ...user, time_zone: null }, via: 'token' }, 'bench');
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const body = (i: number) => JSON.stringify({
    title: `Bench choice ${i}: we cycle to school instead of driving`, description: 'Three children, 4 km each way; the school set up a bike shed.',
    madeOn: '2026-10-15', level: 'family', components: ['A08', 'H06'], territory: 'town-3-4', visibility: i % 2 ? 'public' : 'private',
    results: i % 5 === 0 ? [{ observedOn: '2026-11-01', text: 'No car trips in two weeks', quantity: -35, unit: 'kg CO2e' }] : undefined,
  });
  const post = async (i: number) => {
    const start = performance.now();
    const res = await app.request('http://localhost/api/choices', { method: 'POST', headers, body: body(i) });
    const ms = performance.now() - start;
    if (res.status !== 201) throw new Error(`POST /api/choices → ${res.status} ${await res.text()}`);
    return ms;
  };
  // Load the suggestion model first, as a running server has: public choices then also teach it.
  const suggestBody = JSON.stringify({ text: 'Nous allons à l’école à vélo plutôt qu’en voiture', lang: 'fr' });
  const firstSuggest = performance.now();
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  await warmSuggestions(deps);
  loopDelay.disable();
  const modelLoadMs = performance.now() - firstSuggest;
  const modelLoadMaxBlockMs = loopDelay.max / 1e6;
  for (let i = 0; i < 50; i++) await post(i);
  const writes: number[] = [];
  const publicWrites: number[] = [];
  const privateWrites: number[] = [];
  for (let i = 0; i < requests; i++) {
    const ms = await post(1000 + i);
    writes.push(ms);
    (i % 2 ? publicWrites : privateWrites).push(ms);
  }

  const timeGet = async (path: string, n = 50) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      const res = await app.request(`http://localhost${path}`, { headers });
      await res.arrayBuffer();
      times.push(performance.now() - start);
      if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}`);
    }
    return stats(times);
  };
  // The first dashboard of the network computes its words and quotes (then cached): how long, and the
  // longest the event loop was held meanwhile.
  const firstSummaryDelay = monitorEventLoopDelay({ resolution: 2 });
  firstSummaryDelay.enable();
  const firstSummaryStart = performance.now();
  const firstSummary = await app.request('http://localhost/api/summaries?from=2024-11-01&to=2026-10-31', { headers });
  await firstSummary.arrayBuffer();
  const firstSummaryMs = performance.now() - firstSummaryStart;
  firstSummaryDelay.disable();
  const firstSummaryMaxBlockMs = firstSummaryDelay.max / 1e6;
  const lists = {
    'GET /api/choices (first page, newest)': await timeGet('/api/choices'),
    'GET /api/choices?territory=country-3': await timeGet('/api/choices?territory=country-3'),
    'GET /api/choices?component=A08': await timeGet('/api/choices?component=A08'),
    'GET /api/choices?actor=me': await timeGet('/api/choices?actor=me'),
    'GET /api/summaries (whole network, two years)': await timeGet('/api/summaries?from=2024-11-01&to=2026-10-31'),
    'GET /api/summaries?territory=country-3 (a country, two years, compared with the year before)': await timeGet('/api/summaries?territory=country-3&from=2025-11-01&to=2026-10-31&compareFrom=2024-11-01&compareTo=2025-10-31'),
    'GET /api/summaries?territory=town-3-4 (a town, last six months)': await timeGet('/api/summaries?territory=town-3-4'),
    'GET /api/summaries (whole network, two months, weekly timeline)': await timeGet('/api/summaries?from=2026-09-01&to=2026-10-31'),
    'GET /api/summaries.csv (whole network, two years)': await timeGet('/api/summaries.csv?from=2024-11-01&to=2026-10-31'),
  };
  const suggests: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    const res = await app.request('http://localhost/api/criteria/suggest', { method: 'POST', headers, body: suggestBody });
    await res.arrayBuffer();
    suggests.push(performance.now() - start);
  }
  const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  await db.destroy();
  remove();
  return { size, seeded, seedSeconds, requests, write: stats(writes), publicWrite: stats(publicWrites), privateWrite: stats(privateWrites), lists, suggest: stats(suggests), modelLoadMs, modelLoadMaxBlockMs, firstSummaryMs, firstSummaryMaxBlockMs, rssMb };
}

export function journalWriteMarkdown(r: Awaited<ReturnType<typeof journalWriteBench>>): string {
  const f = (n: number) => n.toFixed(2);
  const row = (name: string, s: { p50: number; p95: number; p99: number; max: number }) => `| ${name} | ${f(s.p50)} | ${f(s.p95)} | ${f(s.p99)} | ${f(s.max)} |`;
  return [
    `Data set: ${r.size.toLocaleString('en')} choices, ${r.seeded.territories} territories, ${r.seeded.actors.toLocaleString('en')} actors (bulk-loaded in ${r.seedSeconds.toFixed(0)} s), file database with WAL and synchronous=FULL.`,
    '',
    '| operation (in-process HTTP, ms) | p50 | p95 | p99 | max |',
    '|---|---:|---:|---:|---:|',
    row(`POST /api/choices (${r.requests} requests; 2 components, every 5th with a result, half public, suggestion model loaded)`, r.write),
    row('… of which public (indexed for search, teaches the model)', r.publicWrite),
    row('… of which private', r.privateWrite),
    ...Object.entries(r.lists).map(([name, s]) => row(name, s)),
    row('POST /api/criteria/suggest (200 requests)', r.suggest),
    '',
    `Loading the suggestion model at start (lexicon, curated examples, the 20,000 newest statements and public choices, in batches): ${r.modelLoadMs.toFixed(0)} ms in the background; the longest the event loop was blocked meanwhile: ${r.modelLoadMaxBlockMs.toFixed(0)} ms. The first summary of the whole network over two years (its words, quotes, emerging terms and component pairs computed, then cached for ten minutes): ${r.firstSummaryMs.toFixed(0)} ms, the event loop never held longer than ${r.firstSummaryMaxBlockMs.toFixed(0)} ms. Resident memory at the end: ${r.rssMb} MB.`,
  ].join('\n');
}
