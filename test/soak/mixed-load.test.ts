import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, signUpWithToken, startServer } from './server-process.js';

// 100 clients at once for 60 seconds, each going round reading pages, lists, summaries and search and
// logging choices, against the real server in its own process (demo data): no error, no 5xx.

const dir = mkdtempSync(join(tmpdir(), 'sj-load-'));
let server: ServerProcess | null = null;
afterAll(() => {
  server?.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('a mixed load', () => {
  it('serves 100 concurrent clients reading and writing for 60 s without an error', async () => {
    server = await startServer(join(dir, 'journal.db'));
    const { base } = server;
    const token = await signUpWithToken(base, 'load@example.org', join(dir, 'journal.db'));
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
