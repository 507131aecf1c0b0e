// Reading a scope's texts for its words and themes is background work: thousands of rows a page at
// a time. Handing the event loop back between pages is not enough under load, since every request's
// own reads then alternate with those pages (a dashboard answered in 20 reads waited for 20 pages).
// So between pages the reader waits while requests are being answered, for at most
// BACKGROUND_MAX_WAIT_MS a page, so that a steady flow of requests never starves it.

const BACKGROUND_MAX_WAIT_MS = 100;
let answering = 0;

/** Counts a request being answered, until `done` settles (the app's first middleware). */
export async function foreground<T>(done: () => Promise<T>): Promise<T> {
  answering++;
  try {
    return await done();
  } finally {
    answering--;
  }
}

/** Awaits background work on a request's behalf without counting as one (it would wait for itself). */
export async function awaitingBackground<T>(work: Promise<T>): Promise<T> {
  // Outside any request (the warm-up at start) there is nothing to stop counting.
  const counted = answering > 0;
  if (counted) answering--;
  try {
    return await work;
  } finally {
    if (counted) answering++;
  }
}

/** Between two pages of background reads: the requests being answered go first. */
export async function backgroundTurn(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  const started = Date.now();
  while (answering > 0 && Date.now() - started < BACKGROUND_MAX_WAIT_MS) await new Promise((resolve) => setTimeout(resolve, 2));
}
