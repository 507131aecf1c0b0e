import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type autocannon from 'autocannon';
import { chromium } from 'playwright-core';
import { renderMarkdown } from '../src/markdown/render.js';
import { benchDatabaseFile } from './bench-database.js';

// The issue-6 benchmark, from outside: seed a network with the CLI (`journal seed --choices N`),
// start the real server (`src/server.ts`) in its own process on that file, and load it over HTTP with
// autocannon (another process) and Chromium. Every figure is what a client or an operator would see.

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = ['--import', 'tsx'];
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PASSWORD = 'a long bench passphrase 2026';

const pctl = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const median = (values: number[]) => pctl(values, 0.5);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export interface LoadRun { name: string; path: string; requestsPerSecond: number; p50: number; p99: number; errors: number; non2xx: number }
interface Timing { name: string; p50: number; p95: number; p99: number; max: number; count: number }

async function autocannonJson(args: string[]): Promise<autocannon.Result> {
  const { stdout } = await run(process.execPath, [AUTOCANNON, '--json', ...args], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as autocannon.Result;
}

function startServer(file: string): Promise<{ child: ChildProcess; base: string }> {
  // Exactly what `npm start` runs (its Node flags included), without npm in between.
  const [, ...args] = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
  const child = spawn(process.execPath, args, {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_PATH: file, PORT: '0', LOG_LEVEL: 'warn', RATE_LIMIT_SCALE: '1000000', SEED_DEMO: 'false', NODE_ENV: 'production' },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /running at (http:\/\/[^\s]+)/.exec(output);
      if (found) resolve({ child, base: found[1] });
    });
    child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

const rssMb = (pid: number) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

export async function networkScaleBench(options: { choices?: number; seconds?: number; repeats?: number; connections?: number; quick?: boolean } = {}) {
  const size = options.choices ?? 1_000_000;
  const seconds = options.seconds ?? 5;
  const repeats = options.repeats ?? 3;
  const connections = options.connections ?? 20;
  const { file, remove } = benchDatabaseFile(`network-${size}`);
  remove();

  // 0. Built as `npm start` builds it (web components, then the server bundle).
  await run('npm', ['run', 'build', '--silent'], { cwd: ROOT });

  // 1. Seed through the CLI, as an operator would.
  const seedStarted = performance.now();
  const seedOutput = await run(process.execPath, [...TSX, 'src/cli.ts', 'seed', '--choices', String(size)], { cwd: ROOT, env: { ...process.env, DATABASE_PATH: file }, maxBuffer: 16 * 1024 * 1024 });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  await run(process.execPath, [...TSX, 'src/cli.ts', 'user', 'create', '--email', 'bench@bench.invalid', '--name', 'Bench Person', '--role', 'admin', '--territory', 'town-3-4', '--password', PASSWORD],
    { cwd: ROOT, env: { ...process.env, DATABASE_PATH: file } });
  const dbMb = Math.round(readdirSync(fileURLToPath(new URL('./tmp/', import.meta.url))).filter((f) => f.startsWith(`network-${size}.db`))
    .reduce((n, f) => n + readFileSync(fileURLToPath(new URL(`./tmp/${f}`, import.meta.url))).byteLength, 0) / 2 ** 20);

  // 2. The real server, in its own process.
  const serverStarted = performance.now();
  const { child, base } = await startServer(file);
  const startSeconds = (performance.now() - serverStarted) / 1000;
  try {
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: base }, body: JSON.stringify({ email: 'bench@bench.invalid', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const tokenRes = await fetch(`${base}/api/auth/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrfToken, Origin: base }, body: JSON.stringify({ name: 'bench' }) });
    const { token } = (await tokenRes.json()) as { token: string };
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const paragraph = 'Les jardins partagés réunissent voisins et écoles : on y cultive des légumes, on y apprend, on s’y rencontre. See [[Mobility ideas]]. ';
    const page = await fetch(`${base}/api/pages/community-gardens`, { method: 'PUT', headers: auth, body: JSON.stringify({ markdown: `# Community gardens\n\n${Array.from({ length: 40 }, (_, i) => `## Part ${i}\n\n${paragraph.repeat(3)}`).join('\n\n')}`, summary: 'bench' }) });
    if (!page.ok) throw new Error(`page: ${page.status} ${await page.text()}`);
    const groups = (await (await fetch(`${base}/api/groups`)).json()) as { groups: { id: number }[] };
    const groupId = groups.groups[0]?.id ?? 1;

    const choiceBody = (i: number) => JSON.stringify({
      title: `Bench choice ${i}: we cycle to school instead of driving`, description: 'Three children, 4 km each way; the school set up a bike shed.',
      madeOn: '2026-10-15', level: 'family', components: ['A08', 'H06'], territory: 'town-3-4', visibility: i % 2 ? 'public' : 'private',
      results: i % 5 === 0 ? [{ observedOn: '2026-11-01', text: 'No car trips in two weeks', quantity: -35, unit: 'kg CO2e' }] : undefined,
    });
    // Client-side time and the server's own time (Server-Timing) of sequential requests.
    const timed = async (name: string, count: number, request: (i: number) => Promise<Response>, expect = 200): Promise<{ client: Timing; server: Timing }> => {
      const client: number[] = [];
      const server: number[] = [];
      for (let i = 0; i < count; i++) {
        const started = performance.now();
        const res = await request(i);
        await res.arrayBuffer();
        client.push(performance.now() - started);
        server.push(Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN));
        if (res.status !== expect) throw new Error(`${name}: ${res.status}`);
      }
      const summarise = (values: number[]): Timing => ({ name, p50: round(pctl(values, 0.5), 2), p95: round(pctl(values, 0.95), 2), p99: round(pctl(values, 0.99), 2), max: round(Math.max(...values), 2), count });
      return { client: summarise(client), server: summarise(server) };
    };

    // The server warms its suggestion model and the network's words in the background: let it finish.
    await new Promise((resolve) => setTimeout(resolve, options.quick ? 1_000 : 15_000));

    // 3. Summaries computed (each right after a write, so never from the cache) and served again.
    const summaries = [
      ['whole network, two years', '/api/summaries?from=2024-11-01&to=2026-10-31'],
      ['one territory (town), six months', '/api/summaries?territory=town-3-4'],
      ['one country, two years, compared with the year before', '/api/summaries?territory=country-3&from=2024-11-01&to=2026-10-31&compareFrom=2022-11-01&compareTo=2024-10-31'],
      ['one SPIRAL group', `/api/summaries?group=${groupId}`],
    ] as const;
    const summaryTimings: { name: string; cold: Timing; warm: Timing }[] = [];
    let written = 0;
    for (const [name, path] of summaries) {
      const cold = await timed(name, options.quick ? 5 : 40, async () => {
        await fetch(`${base}/api/choices`, { method: 'POST', headers: auth, body: choiceBody(written++) });
        return fetch(`${base}${path}`);
      });
      const warm = await timed(name, options.quick ? 5 : 100, () => fetch(`${base}${path}`));
      summaryTimings.push({ name, cold: cold.client, warm: warm.client });
    }

    // 4. Writes: one at a time (server time), then 20 clients at once.
    const writes = await timed('POST /api/choices', options.quick ? 50 : 500, (i) => fetch(`${base}/api/choices`, { method: 'POST', headers: auth, body: choiceBody(written + i) }), 201);
    written += options.quick ? 50 : 500;
    const concurrentWrites = await autocannonJson(['-c', String(connections), '-d', String(seconds), '-m', 'POST', '-H', `Authorization=Bearer ${token}`, '-H', 'Content-Type=application/json', '-b', choiceBody(1), `${base}/api/choices`]);

    // 5. Search and criteria suggestion, one at a time, with varied words.
    const words = ['bicicleta', 'jardin', 'compost', 'school', 'énergie', 'agua', 'voisins', 'bike', 'solar', 'légumes'];
    const search = await timed('GET /api/search', options.quick ? 20 : 200, (i) => fetch(`${base}/api/search?q=${encodeURIComponent(words[i % words.length])}`));
    const statements = ['We cycle to work instead of driving', 'On a planté un potager avec les voisins', 'Poupamos água no jardim da escola', 'Less meat at the canteen', 'Covoiturage pour aller au marché'];
    const suggest = await timed('POST /api/criteria/suggest', options.quick ? 20 : 200, (i) => fetch(`${base}/api/criteria/suggest`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: `${statements[i % statements.length]} ${i}` }) }));

    // 6. Throughput against the bare health route, interleaved, median of several runs; then
    // concurrent network summaries while another client keeps writing (every write invalidates them).
    const signedIn = ['-H', `Authorization=Bearer ${token}`];
    const targets: [string, string, string[]][] = [
      ['GET /api/health (bare route)', '/api/health', []],
      ['GET /api/pages/community-gardens (JSON page, 20 KB, anonymous)', '/api/pages/community-gardens', []],
      ['GET /wiki/community-gardens (HTML page, anonymous)', '/wiki/community-gardens', []],
      ['GET /api/pages/community-gardens (signed in with a token: never from the cache)', '/api/pages/community-gardens', signedIn],
      ['GET /api/summaries (whole network, two years)', '/api/summaries?from=2024-11-01&to=2026-10-31', []],
      ['GET /api/summaries?territory=town-3-4 (six months)', '/api/summaries?territory=town-3-4', []],
    ];
    for (const [, path] of targets) await (await fetch(`${base}${path}`)).arrayBuffer();
    const samples = targets.map(() => [] as LoadRun[]);
    for (let round = 0; round < repeats; round++) {
      for (const [i, [name, path, extra]] of targets.entries()) {
        const result = await autocannonJson(['-c', String(connections), '-d', String(seconds), ...extra, `${base}${path}`]);
        samples[i].push({ name, path, requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx });
      }
    }
    const runs: LoadRun[] = samples.map((list) => ({
      ...list[0], requestsPerSecond: median(list.map((r) => r.requestsPerSecond)), p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)),
      errors: list.reduce((n, r) => n + r.errors, 0), non2xx: list.reduce((n, r) => n + r.non2xx, 0),
    }));
    // Summaries read by many while choices keep arriving: at 5 choices a second (far above the real
    // network's pace), then with a writer going as fast as it can (every write makes the figures stale).
    const mixedRun = async (writerArgs: string[]) => {
      const [reads, writes] = await Promise.all([
        autocannonJson(['-c', String(connections), '-d', String(seconds * 2), `${base}/api/summaries?from=2024-11-01&to=2026-10-31`]),
        autocannonJson(['-c', '1', '-d', String(seconds * 2), ...writerArgs, '-m', 'POST', '-H', `Authorization=Bearer ${token}`, '-H', 'Content-Type=application/json', '-b', choiceBody(2), `${base}/api/choices`]),
      ]);
      return { requestsPerSecond: reads.requests.average, p50: reads.latency.p50, p99: reads.latency.p99, errors: reads.errors + reads.timeouts, non2xx: reads.non2xx, writesPerSecond: writes.requests.average };
    };
    const mixed = await mixedRun(['-R', '5']);
    const mixedFlat = await mixedRun([]);

    // 7. The dashboards in Chromium: time until every chart is drawn; the JavaScript shipped.
    const dashboards: { path: string; chartsMs: number; charts: number }[] = [];
    if (!options.quick) {
      const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
      try {
        for (const path of ['/summaries', '/territories/town-3-4', '/territories/country-3']) {
          const times: number[] = [];
          let charts = 0;
          for (let i = 0; i < 5; i++) {
            const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
            const tab = await context.newPage();
            await tab.goto(`${base}${path}`, { waitUntil: 'commit' });
            await tab.waitForFunction(() => {
              const all = [...document.querySelectorAll('sj-chart')];
              return all.length > 0 && all.every((el) => ((el.shadowRoot?.querySelector('canvas') as HTMLCanvasElement | null)?.width ?? 0) > 0);
            }, undefined, { polling: 'raf', timeout: 30_000 });
            times.push(await tab.evaluate(() => performance.now()));
            charts = await tab.locator('sj-chart').count();
            await context.close();
          }
          dashboards.push({ path, chartsMs: round(median(times), 0), charts });
        }
      } finally {
        await browser.close();
      }
    }
    const assets = fileURLToPath(new URL('../dist/assets/', import.meta.url));
    const scripts = readdirSync(assets, { recursive: true }).map(String).filter((f) => f.endsWith('.js'));
    const jsGzipKb = round(scripts.reduce((n, f) => n + gzipSync(readFileSync(`${assets}${f}`)).byteLength, 0) / 1024, 1);

    // 8. Markdown: a 100 KB page rendered (stored per revision: reads never render again). A page
    // written like a long wiki article (headings, paragraphs with links and emphasis, lists), and a
    // stress page as dense in structure as markdown gets (a heading, link, wiki link and list every 140 characters).
    const articleParagraph = (i: number, j: number) => `In ${2020 + (i % 6)} the neighbourhood association of district ${i} met with the school and the town hall to decide how the shared garden would be run. Families take turns watering during the summer holidays, the school grows seedlings in spring, and the **town lends the tools** kept in the shed next to the library. A first harvest festival gathered about sixty people; the recipes are on [[recipes/district-${i}|the recipes page]] and the photos on [the association's site](https://example.org/district/${i}/${j}). Everyone agreed to meet again after the autumn to look at what worked, what did not, and who else should be asked to join.`;
    const list = ['- watering rota on the notice board', '- seedlings from the school greenhouse', '- compost from the canteen', '- tools lent by the town'].join('\n');
    let article = '# Shared gardens: a year of notes\n\n';
    for (let i = 0; article.length < 100_000; i++) article += `## ${i + 1}. Garden season in district ${i}\n\n${articleParagraph(i, 1)}\n\n${articleParagraph(i, 2)}\n\n${i % 2 ? `${list}\n\n` : ''}`;
    let dense = '';
    for (let i = 0; dense.length < 100_000; i++) dense += `## Section ${i}\n\nWe **planted** trees with the [[school garden]] and [neighbours](https://example.org/${i}); see *notes*.\n\n- one\n- two\n\n`;
    const renderTimes = (source: string) => {
      const times: number[] = [];
      for (let i = 0; i < 60; i++) {
        const started = performance.now();
        renderMarkdown(source);
        if (i >= 10) times.push(performance.now() - started);
      }
      return { p50: round(median(times), 2), p95: round(pctl(times, 0.95), 2) };
    };
    const markdown = { article: renderTimes(article.slice(0, 100_000)), dense: renderTimes(dense.slice(0, 100_000)) };

    const memory = rssMb(child.pid!);
    // V8 gives memory back once the process has been idle a moment (its memory reducer): both figures.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const settledMemory = rssMb(child.pid!);
    return {
      size, seconds, repeats, connections, seedSeconds, seedOutput: seedOutput.stdout.trim().split('\n').pop() ?? '', dbMb, startSeconds,
      summaryTimings, writes, concurrentWrites: { requestsPerSecond: concurrentWrites.requests.average, p50: concurrentWrites.latency.p50, p99: concurrentWrites.latency.p99, errors: concurrentWrites.errors + concurrentWrites.timeouts, non2xx: concurrentWrites.non2xx },
      search, suggest, runs,
      mixed, mixedFlat,
      dashboards, jsGzipKb, markdown, rssMb: memory, settledRssMb: settledMemory,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    remove();
  }
}

export function networkScaleMarkdown(r: Awaited<ReturnType<typeof networkScaleBench>>): string {
  const health = r.runs[0].requestsPerSecond;
  const pct = (v: number) => `${Math.round((v / health) * 100)} %`;
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const network = r.summaryTimings[0];
  const pageRatio = Math.min(r.runs[1].requestsPerSecond, r.runs[2].requestsPerSecond) / health;
  return [
    `Data set: ${r.size.toLocaleString('en')} choices seeded with \`npm run journal -- seed --choices ${r.size}\` in ${round(r.seedSeconds)} s (${Math.round(r.size / r.seedSeconds).toLocaleString('en')} choices/s including the process start, territories, accounts, groups, statements, indicators and pages; the CLI said: “${r.seedOutput}”), ${r.dbMb} MB on disk. The server is \`src/server.ts\` in its own process on that file (WAL, synchronous=FULL), ready in ${round(r.startSeconds)} s; autocannon runs in other processes, ${r.connections} connections, on the same 2-core machine.`,
    '',
    '| target (issue 6) | measured | |',
    '|---|---|---|',
    `| seed ≥ 10,000 choices/s | ${Math.round(r.size / r.seedSeconds).toLocaleString('en')} choices/s | ${verdict(r.size / r.seedSeconds >= 10_000)} |`,
    `| summary p95 ≤ 50 ms (whole network, two years; computed after a write) | ${network.cold.p95} ms | ${verdict(network.cold.p95 <= 50)} |`,
    `| page reads ≥ 50 % of /api/health | anonymous JSON ${pct(r.runs[1].requestsPerSecond)}, HTML ${pct(r.runs[2].requestsPerSecond)}; signed in (rendered each time) ${pct(r.runs[3].requestsPerSecond)} | ${verdict(pageRatio >= 0.5)} (anonymous), ${verdict(r.runs[3].requestsPerSecond / health >= 0.5)} (signed in) |`,
    `| concurrent summaries, no errors, p99 ≤ 200 ms (${r.connections} clients on the whole network) | reads only: p99 ${r.runs[4].p99} ms; while ${Math.round(r.mixed.writesPerSecond)} choices/s arrive: p99 ${r.mixed.p99} ms, ${r.mixed.errors} errors, ${r.mixed.non2xx} non-2xx; against a writer at full speed (${Math.round(r.mixedFlat.writesPerSecond)} choices/s): p99 ${r.mixedFlat.p99} ms | ${verdict(r.runs[4].p99 <= 200 && r.mixed.p99 <= 200 && !r.mixed.errors && !r.mixed.non2xx)} (reads, 5 writes/s), ${verdict(r.mixedFlat.p99 <= 200)} (full-speed writer) |`,
    `| choice write p99 ≤ 5 ms server time | ${r.writes.server.p99} ms | ${verdict(r.writes.server.p99 <= 5)} |`,
    `| search p95 ≤ 30 ms | ${r.search.client.p95} ms | ${verdict(r.search.client.p95 <= 30)} |`,
    `| criteria suggestion ≤ 20 ms (p95) | ${r.suggest.client.p95} ms | ${verdict(r.suggest.client.p95 <= 20)} |`,
    `| markdown render of a 100 KB page ≤ 10 ms (after 10 warm-up renders) | a long article: p50 ${r.markdown.article.p50} ms, p95 ${r.markdown.article.p95} ms; the densest structure: p50 ${r.markdown.dense.p50} ms | ${verdict(r.markdown.article.p50 <= 10)} (article p50), ${verdict(r.markdown.article.p95 <= 10)} (article p95), ${verdict(r.markdown.dense.p50 <= 10)} (dense) |`,
    ...r.dashboards.map((d) => `| dashboard ${d.path}: every chart drawn ≤ 1.5 s | ${d.chartsMs} ms (${d.charts} charts, median of 5 fresh loads) | ${verdict(d.chartsMs <= 1500)} |`),
    `| JavaScript shipped ≤ 150 KB gzip | ${r.jsGzipKb} KB (every built chunk; Chart.js loads only where a chart is) | ${verdict(r.jsGzipKb <= 150)} |`,
    `| server memory after the runs ≤ 300 MB RSS | ${r.rssMb} MB right after the last run; ${r.settledRssMb} MB ten seconds later | ${verdict(r.rssMb <= 300)} (right after), ${verdict(r.settledRssMb <= 300)} (settled) |`,
    '',
    'Summaries, one request at a time (client-side ms): “computed” is the first request after a write (nothing cached); “served” is the same request again (kept until the next write).',
    '',
    '| summary | computed p50 | computed p95 | served p50 | served p95 |',
    '|---|---:|---:|---:|---:|',
    ...r.summaryTimings.map((s) => `| ${s.name} | ${s.cold.p50} | ${s.cold.p95} | ${s.warm.p50} | ${s.warm.p95} |`),
    '',
    'One request at a time (ms):',
    '',
    '| operation | client p50 | client p95 | client p99 | server p50 | server p95 | server p99 |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...[r.writes, r.search, r.suggest].map((t) => `| ${t.client.name} (${t.client.count}) | ${t.client.p50} | ${t.client.p95} | ${t.client.p99} | ${t.server.p50} | ${t.server.p95} | ${t.server.p99} |`),
    '',
    `Writes from ${r.connections} clients at once: ${Math.round(r.concurrentWrites.requestsPerSecond)} choices/s, p50 ${r.concurrentWrites.p50} ms, p99 ${r.concurrentWrites.p99} ms, ${r.concurrentWrites.errors} errors, ${r.concurrentWrites.non2xx} non-2xx (one writer connection, each commit flushed to disk).`,
    '',
    `Throughput, ${r.seconds} s per route, median of ${r.repeats} interleaved runs:`,
    '',
    '| route | req/s | vs /api/health | p50 ms | p99 ms | errors | non-2xx |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...r.runs.map((run) => `| ${run.name} | ${Math.round(run.requestsPerSecond)} | ${pct(run.requestsPerSecond)} | ${run.p50} | ${run.p99} | ${run.errors} | ${run.non2xx} |`),
    ...[r.mixed, r.mixedFlat].map((m) => `| the network summary again, while another client writes ${Math.round(m.writesPerSecond)} choices/s | ${Math.round(m.requestsPerSecond)} | ${pct(m.requestsPerSecond)} | ${m.p50} | ${m.p99} | ${m.errors} | ${m.non2xx} |`),
  ].join('\n');
}
