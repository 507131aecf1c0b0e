import { Worker } from 'node:worker_threads';
import type { AnalysisJob, AnalysisResult, WorkerRequest, WorkerResponse } from './analysis-worker.js';

// One analysis worker per process, started on first use and stopped when idle, so that a summary's
// qualitative part never holds the event loop (issue 18: no block over 50 ms). Jobs are answered in
// order; a worker that dies fails its pending jobs and the next job starts a new one (whose
// `generation` tells callers that the backgrounds it held are gone).

const IDLE_MS = 60_000;

const workerUrl = import.meta.url.endsWith('.ts') ? new URL('./analysis-worker-boot.mjs', import.meta.url) : new URL('./analysis-worker.mjs', import.meta.url);

let worker: Worker | null = null;
let generation = 0;
let nextId = 1;
let idleTimer: NodeJS.Timeout | null = null;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

export class BackgroundMissing extends Error {}

function ensureWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(workerUrl);
  generation++;
  started.unref();
  started.on('message', (response: WorkerResponse) => {
    const job = pending.get(response.id);
    if (!job) return;
    pending.delete(response.id);
    if (response.ok) job.resolve(response.result);
    else job.reject(response.code === 'background-missing' ? new BackgroundMissing(response.error) : new Error(`Analysis worker: ${response.error}`));
    scheduleIdle();
  });
  const fail = (error: Error) => {
    if (worker !== started) return;
    worker = null;
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  };
  started.on('error', fail);
  started.on('exit', (code) => fail(new Error(`Analysis worker stopped (${code})`)));
  worker = started;
  return started;
}

function scheduleIdle() {
  if (idleTimer) clearTimeout(idleTimer);
  if (pending.size) return;
  idleTimer = setTimeout(() => {
    if (pending.size || !worker) return;
    const stopping = worker;
    worker = null;
    void stopping.terminate();
  }, IDLE_MS);
  idleTimer.unref();
}

type Request = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

function send<T>(request: Request): Promise<T> {
  const target = ensureWorker();
  const id = nextId++;
  if (idleTimer) clearTimeout(idleTimer);
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    target.postMessage({ ...request, id } as WorkerRequest);
  });
}

/** The generation of the running worker (0 before the first): backgrounds are held per generation. */
export const workerGeneration = () => (worker ? generation : -1);

export async function loadBackground(key: string, texts: { text: string; lang: AnalysisJob['texts'][number]['lang'] }[]): Promise<number> {
  await send({ kind: 'background', key, texts });
  return generation;
}

/** Texts travel to the worker in slices, the event loop free between two: copying 20,000 at once takes tens of milliseconds. */
export const SLICE = 1_000;

export async function analyseInWorker(job: AnalysisJob): Promise<AnalysisResult> {
  const target = ensureWorker();
  if (idleTimer) clearTimeout(idleTimer);
  const jobId = nextId++;
  for (const field of ['texts', 'previous'] as const) {
    for (let i = 0; i < job[field].length; i += SLICE) {
      target.postMessage({ id: nextId++, kind: 'part', job: jobId, field, items: job[field].slice(i, i + SLICE) } satisfies WorkerRequest);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const { texts: _texts, previous: _previous, ...rest } = job;
  if (worker !== target) throw new Error('Analysis worker stopped');
  return send<AnalysisResult>({ kind: 'analyse', job: jobId, rest });
}

/** Stops the worker (tests, shutdown). */
export async function stopAnalysisWorker(): Promise<void> {
  const stopping = worker;
  worker = null;
  if (stopping) await stopping.terminate();
}
