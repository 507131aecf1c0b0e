import { parentPort } from 'node:worker_threads';
import { type Background, type SourceText, characteristicTerms, componentPairs, documentFrequencies, emergingTerms, representativeQuotes } from './qualitative.js';
import { themeFeatures } from './theme-lexicons.js';
import { findThemes } from './themes.js';

// The analysis worker: what a summary's qualitative part costs (phrases, quotes, emerging phrases,
// themes, component pairs over up to 20,000 texts) is computed here, off the server's event loop.
// It holds no data of its own beyond the network backgrounds the server hands it (kept by key, so
// that they are sent once), and answers one job at a time. See analysis-pool.ts.

export interface AnalysisJob {
  texts: SourceText[];
  previous: SourceText[];
  backgroundKey: string;
  choices: { components: string[]; actorId: number }[];
  taxonomyVersion: string;
}

export type AnalysisResult = Awaited<ReturnType<typeof analyse>>;

export type WorkerRequest =
  | { id: number; kind: 'background'; key: string; texts: Pick<SourceText, 'text' | 'lang'>[] }
  /** A slice of a coming job's texts (sent apart so that no single message takes long to copy). */
  | { id: number; kind: 'part'; job: number; field: 'texts' | 'previous'; items: SourceText[] }
  | { id: number; kind: 'analyse'; job: number; rest: Omit<AnalysisJob, 'texts' | 'previous'> };

export type WorkerResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string; code?: 'background-missing' };

const backgrounds = new Map<string, Background>();
const parts = new Map<number, { texts: SourceText[]; previous: SourceText[] }>();
const MAX_BACKGROUNDS = 8;

async function analyse(job: AnalysisJob) {
  const background = backgrounds.get(job.backgroundKey);
  if (!background) throw Object.assign(new Error('background-missing'), { code: 'background-missing' as const });
  const asTheme = (t: SourceText) => ({ id: t.id, url: t.url, title: t.title, body: t.body ?? t.text, text: t.text, lang: t.lang, components: t.components, actorId: t.actorId });
  return {
    terms: await characteristicTerms(job.texts, background),
    quotes: await representativeQuotes(job.texts),
    emerging: await emergingTerms(job.texts, job.previous),
    pairs: await componentPairs(job.choices),
    themes: findThemes(job.texts.map(asTheme), job.previous.map(asTheme), themeFeatures(job.taxonomyVersion)),
  };
}

parentPort?.on('message', async (request: WorkerRequest) => {
  try {
    if (request.kind === 'part') {
      let job = parts.get(request.job);
      if (!job) parts.set(request.job, (job = { texts: [], previous: [] }));
      for (const item of request.items) job[request.field].push(item);
      return;
    }
    if (request.kind === 'background') {
      backgrounds.set(request.key, await documentFrequencies(request.texts));
      while (backgrounds.size > MAX_BACKGROUNDS) backgrounds.delete(backgrounds.keys().next().value!);
      parentPort!.postMessage({ id: request.id, ok: true, result: null } satisfies WorkerResponse);
    } else {
      const texts = parts.get(request.job) ?? { texts: [], previous: [] };
      parts.delete(request.job);
      parentPort!.postMessage({ id: request.id, ok: true, result: await analyse({ ...request.rest, ...texts }) } satisfies WorkerResponse);
    }
  } catch (error) {
    const code = (error as { code?: string }).code === 'background-missing' ? 'background-missing' : undefined;
    parentPort!.postMessage({ id: request.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error), code } satisfies WorkerResponse);
  }
});
