import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataVersion, migrateToLatest, noteWrites, openDatabase } from '../../db/database.js';
import { fixedClock } from '../../src/clock.js';
import { DerivedCache } from '../../src/derived-cache.js';

describe('the database version caches key on', () => {
  it('changes with writes that change rows, not with reads or writes that change nothing', async () => {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const before = dataVersion(db);
    await db.selectFrom('territory').selectAll().execute();
    await db.updateTable('territory').set({ name: 'x' }).where('id', '=', -1).execute();
    expect(dataVersion(db)).toBe(before);
    await db.insertInto('territory').values({ slug: 'a', name: 'A', kind: 'municipality', created_at: '2026-01-01' }).execute();
    const afterInsert = dataVersion(db);
    expect(afterInsert).not.toBe(before);
    await db.insertInto('territory').values({ slug: 'b', name: 'B', kind: 'municipality', created_at: '2026-01-01' }).returning('id').execute();
    expect(dataVersion(db)).not.toBe(afterInsert);
    const beforeRaw = dataVersion(db);
    noteWrites(db);
    expect(dataVersion(db)).not.toBe(beforeRaw);
    // Inside a transaction nothing is cached.
    await db.transaction().execute(async (trx) => expect(dataVersion(trx)).toBeNull());
    await db.destroy();
  });

  it('changes when another connection (another process) commits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sj-version-'));
    try {
      const server = openDatabase(join(dir, 'j.db'));
      await migrateToLatest(server.db);
      const cli = openDatabase(join(dir, 'j.db'));
      const before = dataVersion(server.db);
      await cli.db.insertInto('territory').values({ slug: 'c', name: 'C', kind: 'municipality', created_at: '2026-01-01' }).execute();
      expect(dataVersion(server.db)).not.toBe(before);
      await cli.db.destroy();
      await server.db.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DerivedCache', () => {
  it('computes once for concurrent askers and again after a write', async () => {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const cache = new DerivedCache<number>(fixedClock('2026-11-22T10:00:00Z'), { maxEntries: 10, ttlMs: 60_000 });
    let computed = 0;
    const compute = async () => {
      computed++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return computed;
    };
    const values = await Promise.all(Array.from({ length: 20 }, () => cache.getOrCompute(db, 'k', compute)));
    expect(computed).toBe(1);
    expect(new Set(values)).toEqual(new Set([1]));
    expect(await cache.getOrCompute(db, 'k', compute)).toBe(1);
    await db.insertInto('territory').values({ slug: 'a', name: 'A', kind: 'municipality', created_at: '2026-01-01' }).execute();
    expect(await cache.getOrCompute(db, 'k', compute)).toBe(2);
    await db.destroy();
  });

  it('forgets entries after their time and keeps within its byte budget, least recently used out first', () => {
    const clock = fixedClock('2026-11-22T10:00:00Z');
    const cache = new DerivedCache<string>(clock, { maxEntries: 100, maxBytes: 40, ttlMs: 1_000, sizeOf: (v) => v.length });
    cache.set('a', 'v1', 'aaaaaaaaaa');
    cache.set('b', 'v1', 'bbbbbbbbbb');
    cache.set('c', 'v1', 'cccccccccc');
    expect(cache.get('a', 'v1')).toBe('aaaaaaaaaa');
    cache.set('d', 'v1', 'dddddddddd');
    expect(cache.get('b', 'v1')).toBe('bbbbbbbbbb');
    cache.set('e', 'v1', 'eeeeeeeeee');
    expect(cache.get('c', 'v1')).toBeUndefined();
    expect(cache.get('a', 'v1')).toBe('aaaaaaaaaa');
    expect(cache.size.bytes).toBeLessThanOrEqual(40);
    expect(cache.get('a', 'v2')).toBeUndefined();
    expect(cache.get('e', 'v1')).toBe('eeeeeeeeee');
    clock.advance(1_001);
    expect(cache.get('e', 'v1')).toBeUndefined();
  });
});

describe('bookkeeping writes', () => {
  it('do not change the version: a signed-in reader touching a session keeps the caches', async () => {
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const before = dataVersion(db);
    await db.insertInto('outbox').values({ to_address: 'a@example.org', subject: 's', body: 'b', created_at: '2026-01-01' }).execute();
    await db.updateTable('outbox').set({ sent_at: '2026-01-01' }).execute();
    expect(await db.selectFrom('outbox').select('sent_at').executeTakeFirst()).toEqual({ sent_at: '2026-01-01' });
    expect(dataVersion(db)).toBe(before);
    await db.destroy();
  });
});

describe('the search index', () => {
  it('merges its segments only when asked, and merging changes no data version', async () => {
    const { mergeSearchIndex, indexDocument, searchDocuments } = await import('../../db/search-index.js');
    const { sql } = await import('kysely');
    const { db } = openDatabase(':memory:');
    await migrateToLatest(db);
    const config = await sql<{ k: string; v: number }>`SELECT k, v FROM search_index_config WHERE k = 'automerge'`.execute(db);
    expect(config.rows).toEqual([{ k: 'automerge', v: 0 }]);
    for (let i = 0; i < 20; i++) await indexDocument(db, { kind: 'page', ref: `p${i}`, title: `Garden ${i}`, body: 'compost and seedlings' });
    const before = dataVersion(db);
    await mergeSearchIndex(db);
    expect(dataVersion(db)).toBe(before);
    expect((await searchDocuments(db, 'compost', { limit: 50, offset: 0 })).total).toBe(20);
    await db.destroy();
  });
});
