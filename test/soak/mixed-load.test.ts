import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { afterAll, describe, expect, it } from 'vitest';

// 100 clients at once for 60 seconds, each going round reading pages, lists, summaries and search and
// logging choices, against the real server in its own process (demo data): no error, no 5xx.

const ROOT = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sj-load-'));
let server: ChildProcess | null = null;
afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

function startServer(): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_PATH: join(dir, 'journal.db'), PORT: '0', LOG_LEVEL: 'warn', RATE_LIMIT_SCALE: '100000', SCRYPT_COST: '1024' },
  });
  server = child;
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /running at (http:\/\/[^\s]+)/.exec(output);
      if (found) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`server stopped (${code}): ${output}`)));
  });
}

describe('a mixed load', () => {
  it('serves 100 concurrent clients reading and writing for 60 s without an error', async () => {
    const base = await startServer();
    const headers = { 'Content-Type': 'application/json', Origin: base };
    const registered = await fetch(`${base}/api/auth/register`, { method: 'POST', headers, body: JSON.stringify({ email: 'load@example.org', password: 'a long load-test passphrase', name: 'Load', actorKind: 'citizen', territory: 'sines' }) });
    expect(registered.status).toBe(201);
    const cookie = registered.headers.get('set-cookie')!.split(';')[0];
    const { csrfToken } = (await registered.json()) as { csrfToken: string };
    const { token } = (await (await fetch(`${base}/api/auth/tokens`, { method: 'POST', headers: { ...headers, Cookie: cookie, 'X-CSRF-Token': csrfToken }, body: JSON.stringify({ name: 'load' }) })).json()) as { token: string };
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const choice = JSON.stringify({ title: 'Cycled to the market', madeOn: '2026-10-01', level: 'individual', components: ['A08'], territory: 'sines', visibility: 'public' });
    const result = await autocannon({
      url: base, connections: 100, duration: 60,
      requests: [
        { method: 'GET', path: '/' },
        { method: 'GET', path: '/api/choices?territory=sines' },
        { method: 'POST', path: '/api/choices', headers: auth, body: choice },
        { method: 'GET', path: '/wiki/right-choices-guide' },
        { method: 'GET', path: '/api/summaries?territory=sines' },
        { method: 'GET', path: '/api/search?q=bicicleta', headers: auth },
        { method: 'GET', path: '/territories/sines', headers: auth },
        { method: 'GET', path: '/summaries' },
      ],
    });
    console.log(`mixed load: ${result.requests.total} requests, ${Math.round(result.requests.average)}/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
    expect(result.requests.total).toBeGreaterThan(6_000);
    expect(result.errors + result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
  }, 180_000);
});
