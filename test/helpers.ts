import { sql } from 'kysely';
import pino from 'pino';
import { createApp } from '../src/app.js';
import { fixedClock } from '../src/clock.js';
import { type Config, testConfig } from '../src/config.js';
import { freshTestDatabase } from './database.js';
import { registerTestDatabase } from './setup-databases.js';
import { registerUser, createAccessToken } from '../src/services/accounts.js';
import type { Role } from '../db/schema.js';
import type { Deps, Viewer } from '../src/services/deps.js';
import { perturbCount } from '../src/summaries/perturbation.js';

export const ORIGIN = 'http://localhost';

/**
 * The one test helper for apps and databases: a fresh migrated database per call, in memory on SQLite,
 * or a copy of a template database on PostgreSQL when TEST_DATABASE_URL is set (test/database.ts),
 * disposed of after the test (or after the file when made outside a test).
 */
export async function createTestApp(overrides: Partial<Config> = {}, options: { taxonomy?: boolean } = {}) {
  const database = await freshTestDatabase({ taxonomy: options.taxonomy !== false });
  registerTestDatabase(database);
  const { db, engine } = database;
  const clock = fixedClock('2026-11-22T10:00:00.000Z');
  const config = testConfig(overrides);
  const deps: Deps = { db, clock, config };
  // TEST_LOG_ERRORS=1 prints what a 500 hid (the app logs unhandled errors; tests have no logger otherwise).
  const logger = process.env.TEST_LOG_ERRORS ? pino({ level: 'error' }) : undefined;
  const { app, api } = createApp({ ...deps, logger });

  const request = (path: string, init: RequestInit = {}) => app.request(`${ORIGIN}${path}`, init);

  const json = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    request(path, {
      method,
      headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  /** Creates a user directly through the service and returns a Bearer token for it. */
  async function userWithToken(input: { name?: string; email?: string; role?: Role; territory?: string } = {}) {
    const email = input.email ?? `${Math.random().toString(36).slice(2)}@example.org`;
    const user = await registerUser(deps, { email, password: 'correct horse battery staple', name: input.name ?? 'Test Person', actorKind: 'citizen', role: input.role ?? 'member', territory: input.territory });
    const viewer: Viewer = { user: { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale, time_zone: null }, via: 'token' };
    const { token } = await createAccessToken(deps, viewer, 'tests');
    const auth = { Authorization: `Bearer ${token}` };
    return { user, viewer, token, auth };
  }

  /** Logs in through the API like a browser and returns the cookie and CSRF token. */
  async function loginCookie(email: string, password = 'correct horse battery staple') {
    const res = await json('POST', '/api/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return { cookie, csrfToken };
  }

  return { app, api, db, engine, deps, clock, config, request, json, userWithToken, loginCookie };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** A fresh app with a small territory tree, region-x > (town-a, town-b) and south on its own, and its admin. */
export async function createTreeTestApp() {
  const t = await createTestApp();
  const admin = await t.userWithToken({ role: 'admin', name: 'Admin' });
  const tree: [string, string, string, string?][] = [
    ['region-x', 'Region X', 'region'],
    ['town-a', 'Town A', 'municipality', 'region-x'],
    ['town-b', 'Town B', 'municipality', 'region-x'],
    ['south', 'South', 'region'],
  ];
  for (const [slug, name, kind, parent] of tree) {
    const res = await t.json('POST', '/api/territories', { slug, name, kind, parent }, admin.auth);
    if (res.status !== 201) throw new Error(`territory ${slug}: ${res.status} ${await res.text()}`);
  }
  return { ...t, admin };
}

/**
 * What a summary publishes for exactly these records (cell-key perturbation): the count of the rows
 * with these ids, perturbed by the sum of their record keys. Tests compare published figures with it
 * to check which records a figure rests on, without the noise hiding a wrong one.
 */
export async function publishedCount(t: TestApp, table: 'choice' | 'actor' | 'statement' | 'choice_result', ids: number[]): Promise<number> {
  if (!ids.length) return 0;
  const rows = await t.db.selectFrom(table).select('record_key').where('id', 'in', ids).execute();
  return perturbCount(rows.length, rows.reduce((sum, r) => sum + r.record_key, 0));
}

/** Rows in a table: tests check that refused input saved nothing. */
export async function countRows(t: TestApp, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(t.db);
  return Number(rows[0].n);
}

/** Serves a test app on a random loopback port for browser tests. */
export async function startTestServer(testApp: TestApp): Promise<{ url: string; close: () => Promise<void> }> {
  const { serve } = await import('@hono/node-server');
  return new Promise((resolve) => {
    const server = serve({ fetch: testApp.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
