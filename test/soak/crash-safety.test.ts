import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

// Crash safety, from outside: the real server in its own process takes concurrent writes and is
// killed with SIGKILL (no shutdown code runs); restarted on the same file, it must still hold every
// write it acknowledged with 2xx, its database must pass integrity_check, and its summary tables must
// match the journal (`journal verify`). Several trials on the same file.

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sj-crash-'));
const file = join(dir, 'journal.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_PATH: file, PORT: '0', LOG_LEVEL: 'warn', RATE_LIMIT_SCALE: '100000', SCRYPT_COST: '1024' },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /running at (http:\/\/[^\s]+)/.exec(output);
      if (found) resolve({ child, base: found[1] });
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => reject(new Error(`server stopped (${code ?? signal}) before listening: ${output}`)));
  });
}

async function tokenFor(base: string, email: string): Promise<string> {
  const headers = { 'Content-Type': 'application/json', Origin: base };
  const registered = await fetch(`${base}/api/auth/register`, { method: 'POST', headers, body: JSON.stringify({ email, password: 'a long crash-test passphrase', name: 'Crash Tester', actorKind: 'citizen', territory: 'sines' }) });
  expect(registered.status, await registered.clone().text()).toBe(201);
  const cookie = registered.headers.get('set-cookie')!.split(';')[0];
  const { csrfToken } = (await registered.json()) as { csrfToken: string };
  const created = await fetch(`${base}/api/auth/tokens`, { method: 'POST', headers: { ...headers, Cookie: cookie, 'X-CSRF-Token': csrfToken }, body: JSON.stringify({ name: 'crash test' }) });
  return ((await created.json()) as { token: string }).token;
}

describe('a server killed with SIGKILL during concurrent writes', () => {
  it('keeps every acknowledged write, passes integrity_check and keeps its summaries exact, three times over', async () => {
    const acknowledged: number[] = [];
    let token = '';
    for (let trial = 0; trial < 3; trial++) {
      const { child, base } = await startServer();
      if (!token) token = await tokenFor(base, 'crash@example.org');
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      let killed = false;
      const writer = async (w: number) => {
        for (let i = 0; !killed; i++) {
          try {
            const res = await fetch(`${base}/api/choices`, { method: 'POST', headers, body: JSON.stringify({
              title: `Trial ${trial} writer ${w} choice ${i}`, madeOn: '2026-10-01', level: 'individual', components: ['A08'], territory: 'sines',
              visibility: i % 2 ? 'public' : 'private', results: i % 3 ? undefined : [{ observedOn: '2026-10-20', quantity: 2, unit: 'kg' }],
            }) });
            if (res.status === 201) acknowledged.push(((await res.json()) as { id: number }).id);
          } catch {
            // The connection died with the server: this write was never acknowledged.
          }
        }
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));
      await new Promise((resolve) => setTimeout(resolve, 1_500 + trial * 500));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      killed = true;
      await exited;
      await Promise.all(writers);
      expect(acknowledged.length).toBeGreaterThan(trial * 10);

      const check = new SQLite(file, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();
      const { child: again, base: restarted } = await startServer();
      try {
        const missing: number[] = [];
        for (const id of acknowledged) {
          const res = await fetch(`${restarted}/api/choices/${id}`, { headers: { Authorization: `Bearer ${token}` } });
          if (res.status !== 200) missing.push(id);
        }
        expect(missing, `acknowledged writes lost after trial ${trial}`).toEqual([]);
      } finally {
        const stopped = new Promise((resolve) => again.once('exit', resolve));
        again.kill('SIGTERM');
        await stopped;
      }
      const verify = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'verify'], { cwd: ROOT, env: { ...process.env, DATABASE_PATH: file } });
      expect(verify.stdout).toContain('Summary tables match the journal');
    }
  }, 240_000);
});
