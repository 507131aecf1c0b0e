import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
import { freshBenchDatabase } from './bench-database.js';
import { seedSyntheticNetwork } from '../seed/synthetic.js';
import { createApp } from '../src/app.js';
import { systemClock } from '../src/clock.js';
import { testConfig } from '../src/config.js';
import { registerUser } from '../src/services/accounts.js';
import { savePage } from '../src/services/pages.js';

// Real HTTP through @hono/node-server on a seeded file database, loaded by autocannon (20
// connections): reads of pages (JSON and HTML) and summaries, each as a ratio of the bare
// /api/health route measured in the same run; concurrent summaries must come back without errors.

interface Run { name: string; path: string; requestsPerSecond: number; p50: number; p99: number; errors: number; non2xx: number }

// The load generator runs in its own process: in the server's process it would share its event loop.
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));
const load = async (url: string, seconds: number): Promise<autocannon.Result> => {
  const { stdout } = await run(process.execPath, [AUTOCANNON, '--json', '-c', '20', '-d', String(seconds), url], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as autocannon.Result;
};

export async function httpThroughputBench(options: { choices?: number; seconds?: number; repeats?: number } = {}) {
  const size = options.choices ?? 100_000;
  const seconds = options.seconds ?? 5;
  const { file, db, sqlite, remove } = await freshBenchDatabase(`http-${size}`);
  const config = testConfig({ databasePath: file, rateLimitScale: 1_000_000 });
  const deps = { db, clock: systemClock, config };
  await seedSyntheticNetwork(deps, sqlite, { choices: size });
  const admin = await registerUser(deps, { email: 'bench@bench.invalid', password: 'a long bench passphrase 2026', name: 'Bench', actorKind: 'citizen', role: 'admin' });
  const viewer = { user: { ...admin, time_zone: null }, via: 'token' as const };
  const paragraph = 'Les jardins partagés réunissent voisins et écoles : on y cultive des légumes, on y apprend, on s’y rencontre. See [[Mobility ideas]]. ';
  await savePage(deps, viewer, 'community-gardens', { markdown: `# Community gardens\n\n${Array.from({ length: 40 }, (_, i) => `## Part ${i}\n\n${paragraph.repeat(3)}`).join('\n\n')}`, summary: 'bench' });
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const { app } = createApp(deps);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const targets = [
    ['GET /api/health (bare route)', '/api/health'],
    ['GET /api/pages/community-gardens (JSON page, 20 KB)', '/api/pages/community-gardens'],
    ['GET /wiki/community-gardens (HTML page)', '/wiki/community-gardens'],
    ['GET /api/summaries (whole network, two years)', '/api/summaries?from=2024-11-01&to=2026-10-31'],
    ['GET /api/summaries?territory=town-3-4 (six months)', '/api/summaries?territory=town-3-4'],
  ] as const;
  // Warm every route once (the first summary computes its words, then caches them).
  for (const [, path] of targets) await (await fetch(`${base}${path}`)).arrayBuffer();
  // Each figure is the median of several runs, the routes taking turns so that drift touches them all.
  const repeats = options.repeats ?? 3;
  const samples = targets.map(() => [] as Run[]);
  for (let round = 0; round < repeats; round++) {
    for (const [i, [name, path]] of targets.entries()) {
      const result = await load(`${base}${path}`, seconds);
      samples[i].push({ name, path, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx });
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const runs: Run[] = samples.map((list) => ({
    ...list[0], requestsPerSecond: median(list.map((r) => r.requestsPerSecond)), p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)),
    errors: list.reduce((n, r) => n + r.errors, 0), non2xx: list.reduce((n, r) => n + r.non2xx, 0),
  }));
  const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  server.close();
  await db.destroy();
  remove();
  return { size, seconds, repeats, runs, rssMb };
}

export function httpThroughputMarkdown(r: Awaited<ReturnType<typeof httpThroughputBench>>): string {
  const health = r.runs[0].requestsPerSecond;
  const pct = (v: number) => `${Math.round((v / health) * 100)} %`;
  return [
    `Data set: ${r.size.toLocaleString('en')} bulk-loaded choices (synthetic network, 300 territories), file database. autocannon, 20 connections, ${r.seconds} s per route, median of ${r.repeats} interleaved runs, the server in one process, the load generator in another, on the same 2-core machine.`,
    '',
    '| route | req/s | vs /api/health | p50 ms | p99 ms | errors | non-2xx |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.runs.map((run) => `| ${run.name} | ${Math.round(run.requestsPerSecond)} | ${pct(run.requestsPerSecond)} | ${run.p50} | ${run.p99} | ${run.errors} | ${run.non2xx} |`),
    '',
    `Resident memory of the server process after the runs: ${r.rssMb} MB. Target (issue 6): page reads at ≥ 50 % of /api/health; concurrent summaries without errors, p99 ≤ 200 ms.`,
  ].join('\n');
}
