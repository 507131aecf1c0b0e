import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { journalCli, signUpWithToken, startServer } from './server-process.js';

// Crash safety, from outside: the real server in its own process takes concurrent writes and is
// killed with SIGKILL (no shutdown code runs); restarted on the same file, it must still hold every
// write it acknowledged with 2xx, its database must pass integrity_check, and its summary tables must
// match the journal (`journal verify`). Several trials on the same file.

const dir = mkdtempSync(join(tmpdir(), 'sj-crash-'));
const file = join(dir, 'journal.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a server killed with SIGKILL during concurrent writes', () => {
  it('keeps every acknowledged write, passes integrity_check and keeps its summaries exact, three times over', async () => {
    const acknowledged: number[] = [];
    let token = '';
    for (let trial = 0; trial < 3; trial++) {
      const { child, base, exited } = await startServer(file);
      if (!token) token = await signUpWithToken(base, 'crash@example.org', file);
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
      child.kill('SIGKILL');
      killed = true;
      await exited;
      await Promise.all(writers);
      expect(acknowledged.length).toBeGreaterThan(trial * 10);

      const check = new SQLite(file, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();
      const { child: again, base: restarted, exited: stopped } = await startServer(file);
      try {
        const missing: number[] = [];
        for (const id of acknowledged) {
          const res = await fetch(`${restarted}/api/choices/${id}`, { headers: { Authorization: `Bearer ${token}` } });
          if (res.status !== 200) missing.push(id);
        }
        expect(missing, `acknowledged writes lost after trial ${trial}`).toEqual([]);
      } finally {
        again.kill('SIGTERM');
        await stopped;
      }
      const verify = await journalCli(file, 'verify');
      expect(verify.stdout).toContain('Summary tables match the journal');
    }
  }, 240_000);
});
