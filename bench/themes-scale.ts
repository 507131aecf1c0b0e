import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createApp } from '../src/app.js';
import { systemClock } from '../src/clock.js';
import { testConfig } from '../src/config.js';
import { PROJECT_ROOT } from '../src/project-root.js';
import { stopAnalysisWorker } from '../src/summaries/analysis-pool.js';
import { seedSyntheticNetwork } from '../seed/synthetic.js';
import { freshBenchDatabase } from './bench-database.js';

// Themes of a scope of 20,000 public texts (issue 18): how long GET /api/summaries/themes takes the
// first time (the texts read, then analysed in the worker thread) and once kept, and how long the
// event loop was ever held meanwhile (perf_hooks.monitorEventLoopDelay, in the server's process).
// Texts are the curated examples of the component lexicon (EN/FR/PT), two of one language per choice.

interface Example { lang: string; text: string; components: string[] }

export interface ThemesScaleResult {
  texts: number; themes: number; unassigned: number; coldMs: number; keptMs: number; loopMaxMs: number; loopP99Ms: number; seedSeconds: number;
}

export async function themesScaleBench(options: { texts?: number } = {}): Promise<ThemesScaleResult> {
  const size = options.texts ?? 20_000;
  const examples = (JSON.parse(readFileSync(`${PROJECT_ROOT}seed/lexicon/spiral-2010-8.examples.json`, 'utf8')) as { examples: Example[] }).examples;
  const texts: { title: string; description: string; lang: string; components: string[] }[] = [];
  for (let i = 0; i < examples.length; i++) {
    for (let j = 1; j <= 12; j++) {
      const other = examples[(i + j * 37) % examples.length];
      if (other.lang !== examples[i].lang) continue;
      texts.push({ title: examples[i].text.split(/\s+/).slice(0, 7).join(' '), description: other.text, lang: examples[i].lang, components: examples[i].components.slice(0, 2) });
    }
  }
  const { db, remove } = await freshBenchDatabase('themes');
  const deps = { db, clock: systemClock, config: testConfig({ databasePath: 'bench', rateLimitScale: 1_000_000, analysisWaitMs: 60_000 }) };
  const seedStarted = performance.now();
  await seedSyntheticNetwork(deps, { choices: size, territories: 2, actors: 2_000, texts, publicShare: 1 });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const { app } = createApp(deps);
  const path = 'http://localhost/api/summaries/themes?from=2024-01-01&to=2026-12-31';
  try {
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const started = performance.now();
    const res = await app.request(path);
    const coldMs = performance.now() - started;
    loop.disable();
    if (res.status !== 200) throw new Error(`themes: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { texts: number; unassigned: number; themes: unknown[] };
    const keptStarted = performance.now();
    await (await app.request(path)).json();
    const keptMs = performance.now() - keptStarted;
    return {
      texts: body.texts, themes: body.themes.length, unassigned: body.unassigned, coldMs: Math.round(coldMs), keptMs: Math.round(keptMs * 10) / 10,
      loopMaxMs: Math.round(loop.max / 1e5) / 10, loopP99Ms: Math.round(loop.percentile(99) / 1e5) / 10, seedSeconds: Math.round(seedSeconds * 10) / 10,
    };
  } finally {
    await stopAnalysisWorker();
    await db.destroy();
    remove();
  }
}

export function themesScaleMarkdown(r: ThemesScaleResult): string {
  return [
    '| Public texts in scope | Themes | Unassigned | First answer | Kept answer | Longest event-loop block | Event-loop delay p99 |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${r.texts.toLocaleString('en')} | ${r.themes} | ${r.unassigned.toLocaleString('en')} | ${(r.coldMs / 1000).toFixed(2)} s | ${r.keptMs} ms | ${r.loopMaxMs} ms | ${r.loopP99Ms} ms |`,
    '',
    `Targets (issue 18): ≤ 10 s for 20,000 texts, off the event loop (no block over 50 ms). Seeding took ${r.seedSeconds} s (not measured against a target).`,
  ].join('\n');
}
