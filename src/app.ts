import { Hono } from 'hono';
import { uniqueViolation } from '../db/errors.js';
import { compress } from 'hono/compress';
import { etag } from 'hono/etag';
import { serveStatic } from '@hono/node-server/serve-static';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { AppError } from './errors.js';
import { translateIssues } from './i18n/issues.js';
import { translator } from './i18n/index.js';
import { ApiRoutes } from './http/api-route.js';
import type { AppEnv, AssetUrls } from './http/env.js';
import { type Limits, limitByIpAndAccount } from './http/guards.js';
import { authenticate, clientIp, csrfProtection, limitBody, negotiateLanguage, securityHeaders } from './http/middleware.js';
import { RateLimiter, rateRules } from './http/rate-limit.js';
import { anonymousReadCache } from './http/read-cache.js';
import { accountRoutes } from './routes/api/accounts.js';
import { accountExportRoutes } from './routes/api/account-export.js';
import { criteriaRoutes } from './routes/api/criteria.js';
import { choiceRoutes } from './routes/api/choices.js';
import { groupRoutes } from './routes/api/groups.js';
import { summaryRoutes } from './routes/api/summaries.js';
import { workshopRoutes } from './routes/api/workshops.js';
import { charterRoutes } from './routes/api/charters.js';
import { noticeRoutes } from './routes/api/notices.js';
import { countUnread } from './services/notices.js';
import { topicRoutes } from './routes/api/topics.js';
import { toolRoutes } from './routes/api/tools.js';
import { moderationRoutes } from './routes/api/moderation.js';
import { retentionRoutes } from './routes/api/retention.js';
import { miscRoutes } from './routes/api/misc.js';
import { pageRoutes } from './routes/api/pages.js';
import { territoryRoutes } from './routes/api/territories.js';
import { feedRoutes } from './routes/feeds.js';
import { htmlRoutes } from './routes/html/index.js';
import { renderErrorPage } from './routes/html/error-page.js';
import { foreground } from './foreground.js';

export interface AppDeps {
  db: Db;
  clock: Clock;
  config: Config;
  logger?: Logger;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const OWN_LIMIT_PATHS = new Set(['/api/auth/login', '/api/auth/register', '/login', '/register', '/api/criteria/suggest']);

function loadAssets(dir: string): AssetUrls {
  const manifestPath = join(dir, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) return { script: null, styles: [] };
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, { file: string; css?: string[]; isEntry?: boolean }>;
  const entry = Object.values(manifest).find((e) => e.isEntry);
  return { script: entry ? `/assets/${entry.file}` : null, styles: (entry?.css ?? []).map((f) => `/assets/${f}`) };
}

/** Builds the whole application; it never listens (src/server.ts does). */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const serviceDeps = { db: deps.db, clock: deps.clock, config: deps.config };
  const limits: Limits = { limiter: new RateLimiter(deps.clock), rules: rateRules(deps.config.rateLimitScale) };
  const assets = loadAssets(deps.config.assetsDir);

  app.onError((error, c) => {
    // A unique rule broken by a concurrent write that no service anticipated: a conflict, not a failure.
    const appError = error instanceof AppError ? error : uniqueViolation(error) ? new AppError(409, 'conflict', 'Someone else changed this at the same moment: please try again.') : null;
    if (!appError) deps.logger?.error({ err: error, path: c.req.path }, 'unhandled error');
    // Still worth a look: a service that should have expected this conflict did not.
    else if (!(error instanceof AppError)) deps.logger?.warn({ err: error, path: c.req.path }, 'unique rule broken by a concurrent write');
    const status = appError?.status ?? 500;
    const code = appError?.code ?? 'internal_error';
    const message = appError?.message ?? 'Something went wrong on our side. The error was logged.';
    if (appError?.extra.retryAfterSeconds) c.header('Retry-After', String(appError.extra.retryAfterSeconds));
    const wantsJson = c.req.path.startsWith('/api/') || c.req.path.startsWith('/feeds/') || (c.req.header('accept') ?? '').includes('application/json');
    if (wantsJson) {
      const { retryAfterSeconds: _r, issues, ...extra } = appError?.extra ?? {};
      const translated = issues ? { issues: translateIssues(c.get('t') ?? translator('en'), issues) } : {};
      return c.json({ error: { code, message, ...extra, ...translated } }, status);
    }
    return c.html(renderErrorPage(c, status, message), status);
  });

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/')) return c.json({ error: { code: 'not_found', message: `No API route ${c.req.method} ${c.req.path}.` } }, 404);
    return c.html(renderErrorPage(c, 404, c.get('t')?.('error.notFound') ?? 'Not found'), 404);
  });

  app.use('*', async (c, next) => {
    // The server's own time for each response, for browsers' developer tools and the benchmarks.
    const started = performance.now();
    c.set('deps', serviceDeps);
    c.set('assets', assets);
    c.set('clientIp', clientIp(c, Boolean(deps.config.publicUrl)));
    await foreground(next);
    c.res.headers.set('Server-Timing', `app;dur=${(performance.now() - started).toFixed(2)}`);
  });
  app.use('*', anonymousReadCache(deps.clock));
  app.use('*', securityHeaders());
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('/assets/*', serveStatic({ root: deps.config.assetsDir, rewriteRequestPath: (p) => p.replace(/^\/assets/, '') }));
  app.use('*', compress());
  app.use('*', limitBody());
  app.use('*', authenticate());
  app.use('*', negotiateLanguage());
  app.use('*', csrfProtection(deps.config.publicUrl));
  app.use('*', async (c, next) => {
    if (UNSAFE.has(c.req.method) && !OWN_LIMIT_PATHS.has(c.req.path)) limitByIpAndAccount(c, limits, 'writes', limits.rules.writesPerIp, limits.rules.writesPerAccount);
    await next();
  });
  // Summaries and pages change less often than they are read: a validator lets clients revalidate
  // (If-None-Match → 304, no body) instead of downloading the same figures again.
  for (const path of ['/api/summaries', '/api/summaries.csv', '/api/pages/*']) {
    app.use(path, async (c, next) => {
      await next();
      if (c.req.method === 'GET' && c.res.ok) c.header('Cache-Control', 'private, no-cache');
    });
    app.use(path, etag());
  }
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });
  // Feeds fetched with a session or token may include what only that reader sees: never cache those
  // in shared caches. Anonymous feeds are public and may be cached briefly.
  app.use('/feeds/*', async (c, next) => {
    await next();
    // A personal calendar feed is reached by its secret address alone: private too.
    const personal = c.get('viewer') || c.req.path.startsWith('/feeds/calendar/') || c.req.path.startsWith('/feeds/me/');
    c.header('Cache-Control', personal ? 'private, no-store' : 'public, max-age=300');
    c.header('Vary', 'Cookie, Authorization');
  });

  // The bell in every page's header: how many notifications the signed-in reader has not read.
  app.use('*', async (c, next) => {
    c.set('unreadNotices', 0);
    if (c.get('viewer') && c.req.method === 'GET' && !/^\/(api|feeds|assets)\//.test(c.req.path)) c.set('unreadNotices', await countUnread(deps, c.get('viewer')));
    return next();
  });

  const api = new ApiRoutes(app);
  miscRoutes(api, limits);
  accountRoutes(api, limits);
  accountExportRoutes(api, limits);
  criteriaRoutes(api, limits);
  choiceRoutes(api);
  groupRoutes(api);
  summaryRoutes(api);
  workshopRoutes(api);
  charterRoutes(api);
  noticeRoutes(api);
  topicRoutes(api);
  toolRoutes(api);
  moderationRoutes(api);
  retentionRoutes(api);
  territoryRoutes(api);
  pageRoutes(api);
  feedRoutes(app);
  htmlRoutes(app, limits);

  return { app, api, limits };
}
