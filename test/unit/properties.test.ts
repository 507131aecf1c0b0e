import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weekStartOf } from '../../db/summary-store.js';
import { renderMarkdown } from '../../src/markdown/render.js';
import { toPagePath } from '../../src/services/page-paths.js';
import { safeCell } from '../../src/services/choice-exports.js';
import { cleanText } from '../../src/text/clean.js';
import { DerivedCache } from '../../src/derived-cache.js';
import { fixedClock } from '../../src/clock.js';
import { verifySummaries } from '../../src/summaries/maintenance.js';
import { createTreeTestApp } from '../helpers.js';

// Properties that hold for any input fast-check can think of (it shrinks any counterexample to the
// smallest one), beside the example-based tests.

// Markdown made of hostile pieces, so that random strings meet the syntax that matters.
const PIECES = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[x](javascript:alert(1))', '[x](JAVASCRIPT:alert(1))', '![i](data:text/html,x)',
  '[[a|b]]', '[[<b>]]', '"', "'", '<', '>', '&', '`', '*', '_', '#', '\n', ' ', '(', ')', '[', ']', 'on', 'href=', 'javascript:', '\u0000', '\u202e'];
const hostileMarkdown = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 8 })), { maxLength: 40 }).map((parts) => parts.join(''));

describe('properties', () => {
  it('markdown never renders live markup or script links, whatever the source', () => {
    fc.assert(fc.property(hostileMarkdown, (source) => {
      const { html } = renderMarkdown(source);
      expect(html).not.toMatch(/<script|<img[^>]*\son\w+=|<[a-z][^>]*\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/(href|src)="\s*(javascript|vbscript|data):/i);
      expect(html).not.toMatch(/<(iframe|object|embed|style|svg|math)\b/i);
    }), { numRuns: 2_000 });
  });

  it('page paths are canonical: idempotent, no empty, dot or padded segments, at most 200 characters', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => {
      const path = toPagePath(text);
      expect(toPagePath(path)).toBe(path);
      expect(path.length).toBeLessThanOrEqual(200);
      if (path) for (const segment of path.split('/')) expect(segment).toMatch(/^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u);
    }), { numRuns: 2_000 });
  });

  it('CSV cells never start as a spreadsheet formula', () => {
    fc.assert(fc.property(fc.string(), (value) => {
      expect(safeCell(cleanText(value))).not.toMatch(/^[=+\-@\t\r]/);
    }), { numRuns: 2_000 });
  });

  it('cleaned text keeps no control characters, lone surrogates or direction overrides, and cleaning twice changes nothing', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (value) => {
      const clean = cleanText(value);
      expect(cleanText(clean)).toBe(clean);
      expect(clean).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/);
      expect(() => encodeURIComponent(clean)).not.toThrow();
    }), { numRuns: 2_000 });
  });

  it('a day’s week starts on the Monday on or before it', () => {
    fc.assert(fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }), (date) => {
      const day = date.toISOString().slice(0, 10);
      const monday = weekStartOf(day);
      expect(new Date(`${monday}T00:00:00Z`).getUTCDay()).toBe(1);
      const gap = (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${monday}T00:00:00Z`)) / 86_400_000;
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThan(7);
    }), { numRuns: 1_000 });
  });

  it('the derived-data cache stays within its budget and returns only what was stored for that version', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 9 }), version: fc.integer({ min: 0, max: 2 }), size: fc.integer({ min: 1, max: 30 }) }),
      fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 9 }), version: fc.integer({ min: 0, max: 2 }) }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const cache = new DerivedCache<string>(fixedClock('2026-11-30T10:00:00Z'), { maxEntries: 5, maxBytes: 100, ttlMs: 60_000, sizeOf: (v) => v.length });
      for (const o of ops) {
        if (o.kind === 'set') cache.set(`k${o.key}`, `v${o.version}`, `${o.key}:${o.version}:`.padEnd(o.size, '.'));
        else {
          const got = cache.get(`k${o.key}`, `v${o.version}`);
          if (got !== undefined) expect(got.startsWith(`${o.key}:${o.version}:`)).toBe(true);
        }
        expect(cache.size.entries).toBeLessThanOrEqual(5);
        expect(cache.size.bytes).toBeLessThanOrEqual(100);
      }
    }), { numRuns: 500 });
  });

  it('summary tables never drift from the journal, whatever is logged, edited and deleted', async () => {
    const action = fc.oneof(
      fc.record({ kind: fc.constant('log' as const), who: fc.integer({ min: 0, max: 3 }), month: fc.integer({ min: 1, max: 10 }), territory: fc.constantFrom('town-a', 'town-b', 'south'),
        components: fc.uniqueArray(fc.constantFrom('A01', 'A08', 'B03', 'H06', 'F04'), { minLength: 1, maxLength: 3 }), counted: fc.boolean(),
        result: fc.option(fc.record({ quantity: fc.integer({ min: -500, max: 500 }), unit: fc.constantFrom('kg', 'kWh', ' kg ', '€') }), { nil: undefined }) }),
      fc.record({ kind: fc.constant('edit' as const), pick: fc.nat(), month: fc.integer({ min: 1, max: 10 }), territory: fc.constantFrom('town-a', 'town-b', 'south'), counted: fc.boolean() }),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
    );
    await fc.assert(fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 12 }), async (actions) => {
      const t = await createTreeTestApp();
      const people = [];
      for (let i = 0; i < 4; i++) people.push(await t.userWithToken({ territory: i % 2 ? 'town-b' : 'town-a' }));
      const logged: { id: number; who: number }[] = [];
      const day = (month: number) => `2026-${String(month).padStart(2, '0')}-1${month % 9}`;
      for (const a of actions) {
        if (a.kind === 'log') {
          const res = await t.json('POST', '/api/choices', { title: 'Property', madeOn: day(a.month), level: 'individual', components: a.components, territory: a.territory, countInSummaries: a.counted,
            results: a.result ? [{ observedOn: day(Math.min(10, a.month + 1)), quantity: a.result.quantity, unit: a.result.unit }] : undefined }, people[a.who].auth);
          expect(res.status).toBe(201);
          logged.push({ id: ((await res.json()) as { id: number }).id, who: a.who });
        } else if (logged.length) {
          const target = logged[a.pick % logged.length];
          if (a.kind === 'edit') {
            expect((await t.json('PATCH', `/api/choices/${target.id}`, { madeOn: day(a.month), territory: a.territory, countInSummaries: a.counted }, people[target.who].auth)).status).toBe(200);
          } else {
            expect((await t.json('DELETE', `/api/choices/${target.id}`, undefined, people[target.who].auth)).status).toBe(204);
            logged.splice(logged.indexOf(target), 1);
          }
        }
      }
      const { differences } = await verifySummaries(t.deps);
      expect(differences).toEqual([]);
    }), { numRuns: 50 });
  }, 120_000);
});
