import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, journalCli, signUpWithToken, startServer } from './server-process.js';

// The backup drill, from outside: `journal backup` while the real server takes writes, `journal
// restore` into a new file, a second server on the restored file: every write acknowledged before the
// backup began is there, and the site serves its pages.

const dir = mkdtempSync(join(tmpdir(), 'sj-backup-'));
const servers: ServerProcess[] = [];
afterAll(() => {
  for (const server of servers) server.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});
const serve = async (file: string) => {
  const server = await startServer(file);
  servers.push(server);
  return server.base;
};

describe('a backup taken while the server writes', () => {
  it('restores into a new file that a new server serves, with every write acknowledged before it', async () => {
    const live = join(dir, 'live.db');
    const base = await serve(live);
    const token = await signUpWithToken(base, 'backup@example.org', live);
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
    const backedUp = await journalCli(live, 'backup', backup);
    expect(backedUp.stdout).toContain('integrity ok');
    const duringBackup = acknowledged.length - beforeBackup.length;
    writing = false;
    await Promise.all(writers);
    expect(beforeBackup.length).toBeGreaterThan(10);
    expect(duringBackup, 'the server kept writing during the backup').toBeGreaterThan(0);

    const restored = join(dir, 'restored.db');
    expect((await journalCli(live, 'restore', backup, '--to', restored)).stdout).toContain('Restored');
    const second = await serve(restored);
    const missing: number[] = [];
    for (const id of beforeBackup) if ((await fetch(`${second}/api/choices/${id}`, { headers: auth })).status !== 200) missing.push(id);
    expect(missing).toEqual([]);
    const page = await fetch(`${second}/wiki/right-choices-guide`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Right choices guide');
    expect((await journalCli(restored, 'verify')).stdout).toContain('Summary tables match the journal');
  }, 180_000);
});
