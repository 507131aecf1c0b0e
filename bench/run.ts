import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { accuracyMarkdown, suggestAccuracy } from './suggest-accuracy.js';
import { journalWriteBench, journalWriteMarkdown } from './journal-write.js';
import { networkScaleBench, networkScaleMarkdown } from './network-scale.js';
import { attentionBench, attentionMarkdown } from './attention.js';
import { languageDetectionBench, languageDetectionMarkdown } from './language-detection.js';
import { themesAccuracyMarkdown } from './themes-accuracy.js';
import { themesScaleBench, themesScaleMarkdown } from './themes-scale.js';

// npm run bench [-- <name>…] runs the benchmarks (all by default) and rewrites their sections of
// bench/RESULTS.md, stamped with the machine and the date. Targets live here, never in timed tests.

const BENCHES: Record<string, { title: string; run: () => Promise<string> }> = {
  suggest: { title: 'Criteria suggestion: accuracy on unseen statements, and latency', run: async () => accuracyMarkdown(await suggestAccuracy()) },
  journal: {
    title: 'Journal at one million choices: logging a choice, lists, suggestion',
    run: async () => journalWriteMarkdown(await journalWriteBench({ choices: Number(process.env.BENCH_JOURNAL_CHOICES ?? 1_000_000) })),
  },
  network: {
    title: 'Network scale (issue 6): seed, summaries, pages, writes, search, dashboards and memory through the real server',
    run: async () => networkScaleMarkdown(await networkScaleBench({ choices: Number(process.env.BENCH_CHOICES ?? 1_000_000) })),
  },
  language: { title: 'Language detection on short journal texts (issue 18)', run: async () => languageDetectionMarkdown(await languageDetectionBench()) },
  themes: {
    title: 'Themes: agreement with a human grouping, and 20,000 texts off the event loop (issue 18)',
    run: async () => `${themesAccuracyMarkdown()}\n\n${themesScaleMarkdown(await themesScaleBench({ texts: Number(process.env.BENCH_THEME_TEXTS ?? 20_000) }))}`,
  },
  attention: {
    title: 'Watchlists, notifications, export and import (issue 8)',
    run: async () => attentionMarkdown(await attentionBench({ watchers: Number(process.env.BENCH_WATCHERS ?? 1_000) })),
  },
};

const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
const machine = () => `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;

function replaceSection(document: string, name: string, body: string): string {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const block = `${start}\n## ${BENCHES[name].title}\n\n_${new Date().toISOString().slice(0, 10)} · ${machine()}_\n\n${body}\n${end}`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from >= 0 && to > from) return document.slice(0, from) + block + document.slice(to + end.length);
  return `${document.trimEnd()}\n\n${block}\n`;
}

// --quick: the regression guard CI runs (seconds, small data). Each route's throughput as a share of
// the bare /api/health route must stay within 25 % of the stored baseline (bench/baseline.json);
// --update-baseline stores the current shares. Ratios, not raw figures, so machines compare. The stored
// baseline is the lowest share of three runs on an idle machine (2026-11-30), so noise alone does not fail CI.
if (process.argv.includes('--quick')) {
  const BASELINE = fileURLToPath(new URL('./baseline.json', import.meta.url));
  const result = await networkScaleBench({ choices: 2_000, seconds: 2, quick: true });
  const health = result.runs[0].requestsPerSecond;
  const ratios = Object.fromEntries(result.runs.slice(1).map((r) => [r.name, Math.round((r.requestsPerSecond / health) * 1000) / 1000]));
  const failures = result.runs.filter((r) => r.errors || r.non2xx).map((r) => `${r.name}: ${r.errors} errors, ${r.non2xx} non-2xx`);
  if (process.argv.includes('--update-baseline')) writeFileSync(BASELINE, `${JSON.stringify(ratios, null, 2)}\n`);
  const baseline = existsSync(BASELINE) ? (JSON.parse(readFileSync(BASELINE, 'utf8')) as Record<string, number>) : ratios;
  for (const [path, ratio] of Object.entries(ratios)) {
    const expected = baseline[path];
    const verdict = expected && ratio < expected * 0.75 ? 'REGRESSED' : 'ok';
    if (verdict !== 'ok') failures.push(`${path}: ${ratio} of /api/health, baseline ${expected}`);
    console.log(`${verdict.padEnd(9)} ${path}: ${(ratio * 100).toFixed(0)} % of /api/health (baseline ${expected ? (expected * 100).toFixed(0) : '—'} %)`);
  }
  if (failures.length) {
    console.error(`Regression guard failed:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  process.exit(0);
}

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
let document = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n\nWritten by `npm run bench`; each section says when and on which machine it was measured.\n';
for (const name of names.length ? names : Object.keys(BENCHES)) {
  if (!BENCHES[name]) throw new Error(`Unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(', ')}`);
  console.log(`Running ${name}…`);
  const body = await BENCHES[name].run();
  console.log(body);
  document = replaceSection(document, name, body);
  writeFileSync(RESULTS, document);
}
