import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Clock } from '../clock.js';
import { DerivedCache, responseVersion } from '../derived-cache.js';
import type { AppEnv } from './env.js';
import { SESSION_COOKIE } from './middleware.js';

// What MediaWiki does with its parser and file caches: a page that anonymous readers ask for again
// and again is rendered once per change of the journal, then served from memory (headers, ETag and
// compression included). Only anonymous GETs of pages and summaries are kept; whatever can differ
// between two such readers (language, cookies such as the time zone, compression, query) is in the
// key, and an entry lasts one minute at most ("the last six months" depends on the date).

const CACHED_PATHS = [/^\/wiki\//, /^\/api\/pages\/[^/]+$/, /^\/api\/summaries(\.csv)?$/, /^\/summaries$/, /^\/territories\/[^/]+$/];

interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: ArrayBuffer;
  etag: string | null;
}

export const anonymousReadCache = (clock: Clock, maxBytes = 32 * 1024 * 1024): MiddlewareHandler<AppEnv> => {
  const cache = new DerivedCache<CachedResponse>(clock, { maxEntries: 10_000, maxBytes, ttlMs: 60_000, sizeOf: (r) => r.body.byteLength + 1_000 });
  return async (c, next) => {
    if (c.req.method !== 'GET' || c.req.header('authorization') || getCookie(c, SESSION_COOKIE) || !CACHED_PATHS.some((path) => path.test(c.req.path))) return next();
    const db = c.get('deps').db;
    const key = [c.req.url, c.req.header('cookie') ?? '', c.req.header('accept-language') ?? '', c.req.header('accept-encoding') ?? '', c.req.header('accept') ?? ''].join('\n');
    const version = responseVersion(db);
    const cached = cache.get(key, version);
    if (cached) {
      const headers = new Headers(cached.headers);
      headers.set('X-Cache', 'hit');
      if (cached.etag && c.req.header('if-none-match') === cached.etag) {
        for (const name of ['content-type', 'content-length', 'content-encoding']) headers.delete(name);
        return new Response(null, { status: 304, headers });
      }
      return new Response(cached.body, { status: cached.status, headers });
    }
    await next();
    const res = c.res;
    // A response that sets a cookie, or answers a conditional request, is this reader's alone.
    if (res.status !== 200 || res.headers.has('set-cookie') || c.req.header('if-none-match')) return;
    const body = await res.clone().arrayBuffer();
    cache.set(key, version, { status: res.status, headers: [...res.headers.entries()], body, etag: res.headers.get('etag') });
  };
};
