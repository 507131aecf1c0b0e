import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, signUpWithToken, startServer } from './server-process.js';

// SIGTERM while writes are in flight: the server stops taking connections, answers every request it
// had read, checkpoints the WAL and exits 0. Afterwards the journal holds exactly the writes that were
// answered 201: none lost, none saved without an answer.

const dir = mkdtempSync(join(tmpdir(), 'sj-term-'));
const file = join(dir, 'journal.db');
const servers: ServerProcess[] = [];
afterAll(() => {
  for (const server of servers) server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('a server asked to stop (SIGTERM) during writes', () => {
  it('answers what it took, saves exactly what it answered, checkpoints and exits cleanly', async () => {
    const first = await startServer(file);
    servers.push(first);
    const { child, base, exited } = first;
    const token = await signUpWithToken(base, 'term@example.org', file);
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const answered = new Set<string>();
    const refused: string[] = [];
    const unexpected: string[] = [];
    let stopping = false;
    const writer = async (w: number) => {
      for (let i = 0; i < 10_000; i++) {
        const title = `Shutdown w${w} c${i}`;
        let status = 0;
        try {
          const res = await fetch(`${base}/api/choices`, { method: 'POST', headers: auth, body: JSON.stringify({ title, madeOn: '2026-10-01', level: 'individual', components: ['A08'], territory: 'sines' }) });
          status = res.status;
        } catch {
          // Connection refused or closed: the server had stopped taking requests.
          refused.push(title);
          if (stopping) return;
          continue;
        }
        // Whatever the server answered, even while stopping, is a success.
        if (status !== 201) unexpected.push(`${title}: ${status}`);
        else answered.add(title);
      }
    };
    const writers = Array.from({ length: 6 }, (_, w) => writer(w));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    stopping = true;
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await Promise.all(writers);
    expect(answered.size).toBeGreaterThan(20);
    expect(unexpected).toEqual([]);
    // The log was folded into the database file on the way out.
    expect(statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);

    const second = await startServer(file);
    servers.push(second);
    const { child: again, base: restarted } = second;
    const csv = await (await fetch(`${restarted}/api/choices.csv?actor=me`, { headers: auth })).text();
    const saved = new Set(csv.split('\r\n').map((line) => /Shutdown w\d+ c\d+/.exec(line)?.[0]).filter((title): title is string => Boolean(title)));
    expect([...answered].filter((title) => !saved.has(title)), 'answered but lost').toEqual([]);
    expect([...saved].filter((title) => !answered.has(title)), 'saved without an answer').toEqual([]);
    again.kill('SIGTERM');
  }, 120_000);
});
