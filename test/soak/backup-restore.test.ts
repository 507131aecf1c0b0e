import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// The backup drill, from outside: `journal backup` while the real server takes writes, `journal
// restore` into a new file, a second server on the restored file: every write acknowledged before the
// backup began is there, and the site serves its pages.

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sj-backup-'));
const servers: ChildProcess[] = [];
afterAll(async () => {
  for (const server of servers) server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

function startServer(file: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_PATH: file, PORT: '0', LOG_LEVEL: 'warn', RATE_LIMIT_SCALE: '100000', SCRYPT_COST: '1024' },
  });
  servers.push(child);
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

const cli = (file: string, ...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_PATH: file } });

describe('a backup taken while the server writes', () => {
  it('restores into a new file that a new server serves, with every write acknowledged before it', async () => {
    const live = join(dir, 'live.db');
    const base = await startServer(live);
    const headers = { 'Content-Type': 'application/json', Origin: base };
    const registered = await fetch(`${base}/api/auth/register`, { method: 'POST', headers, body: JSON.stringify({ email: 'backup@example.org', password: 'a long backup-drill passphrase', name: 'Backup', actorKind: 'citizen', territory: 'sines' }) });
    const cookie = registered.headers.get('set-cookie')!.split(';')[0];
    const { csrfToken } = (await registered.json()) as { csrfToken: string };
    const { token } = (await (await fetch(`${base}/api/auth/tokens`, { method: 'POST', headers: { ...headers, Cookie: cookie, 'X-CSRF-Token': csrfToken }, body: JSON.stringify({ name: 'drill' }) })).json()) as { token: string };
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const acknowledged: number[] = [];
    let writing = true;
    const writer = async (w: number) => {
      for (let i = 0; writing; i++) {
        const res = await fetch(`${base}/api/choices`, { method: 'POST', headers: auth, body: JSON.stringify({ title: `Writer ${w} choice ${i}`, madeOn: '2026-10-01', level: 'individual', components: ['A08'], territory: 'sines', visibility: 'public' }) });
        expect(res.status).toBe(201);
        acknowledged.push(((await res.json()) as { id: number }).id);
      }
    };
    const writers = Array.from({ length: 4 }, (_, w) => writer(w));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const beforeBackup = [...acknowledged];
    const backup = join(dir, 'backup.db');
    const backedUp = await cli(live, 'backup', backup);
    expect(backedUp.stdout).toContain('integrity ok');
    const duringBackup = acknowledged.length - beforeBackup.length;
    writing = false;
    await Promise.all(writers);
    expect(beforeBackup.length).toBeGreaterThan(10);
    expect(duringBackup, 'the server kept writing during the backup').toBeGreaterThan(0);

    const restored = join(dir, 'restored.db');
    expect((await cli(live, 'restore', backup, '--to', restored)).stdout).toContain('Restored');
    const second = await startServer(restored);
    const missing: number[] = [];
    for (const id of beforeBackup) if ((await fetch(`${second}/api/choices/${id}`, { headers: auth })).status !== 200) missing.push(id);
    expect(missing).toEqual([]);
    const page = await fetch(`${second}/wiki/right-choices-guide`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Right choices guide');
    expect((await cli(restored, 'verify')).stdout).toContain('Summary tables match the journal');
  }, 180_000);
});
