import { randomRecordKey } from '../../db/portable.js';
import { RECORD_KEY_SPACE } from '../../db/summary-store.js';
import { describe, expect, it } from 'vitest';
import { type TestApp, createTreeTestApp, createTestApp, publishedCount } from '../helpers.js';
import { ensureSummaries } from '../../src/summaries/maintenance.js';
import { MAX_COUNT_NOISE, MAX_SUM_NOISE } from '../../src/summaries/perturbation.js';

// Published figures resist differencing (issue 18, point 5): an anonymous reader who subtracts one
// published figure from another — a region minus its towns, a period minus an overlapping one, a
// snapshot minus the next — never recovers a withheld value reliably, because every figure carries
// the noise of its own cell key. Each attack is replayed over many draws of the record keys (as many
// instances would have): it must fail most of the time, and the reader cannot tell when it did not.

type Json = Record<string, any>;
const OCTOBER = 'from=2026-10-01&to=2026-10-31';
const DRAWS = 40;

async function summary(t: TestApp, query: string): Promise<Json> {
  const res = await t.request(`/api/summaries?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

/** Draws new record keys for everything, as another instance would have, and rebuilds the tables. */
async function redraw(t: TestApp) {
  for (const table of ['choice', 'choice_result', 'actor', 'statement'] as const) {
    await t.db.updateTable(table).set({ record_key: randomRecordKey(t.db, RECORD_KEY_SPACE) }).execute();
  }
  await ensureSummaries(t.deps, true);
}

/** town-a: five actors; town-b: two (withheld), one of whom records a private result of −333 kg CO2e. */
async function network() {
  const t = await createTreeTestApp();
  const log = async (who: { auth: Record<string, string> }, territory: string, extra: Json = {}) => {
    const res = await t.json('POST', '/api/choices', {
      title: 'Walked to school', madeOn: '2026-10-05', level: 'individual', components: ['A08'], territory, visibility: 'private', ...extra,
    }, who.auth);
    expect(res.status).toBe(201);
    return ((await res.json()) as Json).id as number;
  };
  for (let i = 0; i < 5; i++) await log(await t.userWithToken({ territory: 'town-a' }), 'town-a', { results: [{ observedOn: '2026-10-20', quantity: -100 - i, unit: 'kg CO2e' }], components: i < 3 ? ['A08', 'B04'] : ['A08'] });
  const lone = await t.userWithToken({ territory: 'town-b' });
  await log(lone, 'town-b', { results: [{ observedOn: '2026-10-20', quantity: -333, unit: 'kg CO2e' }], components: ['H06'], level: 'family' });
  await log(await t.userWithToken({ territory: 'town-b' }), 'town-b', { components: ['H06'] });
  return { t, lone, log };
}

describe('published figures resist differencing', () => {
  it('state their method, stay within the declared noise, and answer equivalent queries identically', async () => {
    const { t } = await network();
    const region = await summary(t, `territory=region-x&${OCTOBER}`);
    expect(region.privacy).toEqual({ method: 'cell-key perturbation', threshold: 3, maxNoise: MAX_COUNT_NOISE, maxSumNoise: MAX_SUM_NOISE, explained: '/privacy#published-figures' });
    expect(Math.abs(region.totals.choices - 7)).toBeLessThanOrEqual(MAX_COUNT_NOISE);
    const sum = region.results.find((r: Json) => r.unit === 'kg CO2e').sum;
    expect(Math.abs(sum - -843)).toBeLessThanOrEqual(843 * MAX_SUM_NOISE);
    // The same records, asked for again or another way: the same figures (nothing to average away).
    for (const query of [`territory=region-x&${OCTOBER}`, 'territory=region-x&from=2026-10-12&to=2026-10-19', `territory=region-x&${OCTOBER}&lang=fr`]) {
      const again = await summary(t, query);
      expect([again.totals, again.byComponent.map((c: Json) => c.count), again.results]).toEqual([region.totals, region.byComponent.map((c: Json) => c.count), region.results]);
    }
    // The network holds exactly the region's records here: exactly the region's figures.
    expect((await summary(t, OCTOBER)).totals).toEqual(region.totals);
    // CSV says the same numbers as JSON.
    const csv = await (await t.request(`/api/summaries.csv?territory=region-x&${OCTOBER}`)).text();
    expect(csv).toContain(`,${region.totals.choices},`);
    // Zeros stay zeros; a component of one or two actors is withheld, never drawn as zero.
    const byCode = Object.fromEntries(region.byComponent.map((c: Json) => [c.code, c]));
    expect(byCode.C05).toMatchObject({ count: 0, status: 'zero' });
    expect(byCode.H06).toMatchObject({ count: null, status: 'withheld' });
  });

  it('gives back no withheld count or sum by subtraction, over many draws of the keys', async () => {
    const { t, lone, log } = await network();
    let exactCounts = 0;
    let exactSums = 0;
    let exactSnapshots = 0;
    for (let draw = 0; draw < DRAWS; draw++) {
      await redraw(t);
      const region = await summary(t, `territory=region-x&${OCTOBER}`);
      const townA = await summary(t, `territory=town-a&${OCTOBER}`);
      const townB = await summary(t, `territory=town-b&${OCTOBER}`);
      expect(townB.totals.choices).toBeNull();
      // Region minus its published child: town-b's two choices and its lone −333.
      if (region.totals.choices - townA.totals.choices === 2) exactCounts++;
      const unit = (s: Json) => s.results.find((r: Json) => r.unit === 'kg CO2e')?.sum ?? null;
      if (Math.abs(unit(region) - unit(townA) - -333) < 0.01) exactSums++;
      // The comparison with the withheld territory answers nothing about it.
      const compared = await summary(t, `territory=town-a&${OCTOBER}&compareTerritory=town-b`);
      expect(compared.comparison.totals.choices).toBeNull();
      expect(compared.comparison.deltas.choices).toBeNull();
    }
    // One private choice with a result, before and after: its exact quantity never shows as a difference.
    for (let draw = 0; draw < 10; draw++) {
      await redraw(t);
      const before = await summary(t, `territory=region-x&${OCTOBER}`);
      const id = await log(lone, 'town-b', { results: [{ observedOn: '2026-10-21', quantity: -55.5, unit: 'kg CO2e' }] });
      const after = await summary(t, `territory=region-x&${OCTOBER}`);
      const unit = (s: Json) => s.results.find((r: Json) => r.unit === 'kg CO2e').sum;
      if (Math.abs(unit(after) - unit(before) - -55.5) < 0.01) exactSnapshots++;
      expect((await t.json('DELETE', `/api/choices/${id}`, undefined, lone.auth)).status).toBe(204);
    }
    // A difference of two noisy counts is the truth about a quarter of the time, and the reader cannot tell when.
    expect(exactCounts / DRAWS).toBeLessThan(0.5);
    expect(exactSums).toBe(0);
    expect(exactSnapshots).toBe(0);
  });

  it('withholds a territory of one or two actors entirely: no zeros, blind spots or units that tell what they chose', async () => {
    const { t } = await network();
    const townB = await summary(t, `territory=town-b&${OCTOBER}`);
    expect(townB.breakdownWithheld).toBe(true);
    for (const list of [townB.byComponent, townB.byDimension, townB.byLevel, townB.byActorKind, townB.timeline]) {
      expect(list.every((cell: Json) => cell.count === null && cell.status === 'withheld')).toBe(true);
    }
    expect(townB.blindSpots).toEqual([]);
    expect(townB.results).toEqual([]);
    expect(JSON.stringify(townB)).not.toContain('-333');
  });

  it('does not let throw-away accounts lift a cell over the threshold (n−1 attack)', async () => {
    const t = await createTestApp({ newAccountDays: 7 });
    const admin = await t.userWithToken({ role: 'admin' });
    await t.json('POST', '/api/territories', { slug: 'hamlet', name: 'Hamlet', kind: 'village' }, admin.auth);
    // The one resident, there for months.
    const resident = await t.userWithToken({ territory: 'hamlet' });
    await t.db.updateTable('user').set({ created_at: '2026-01-01T00:00:00.000Z' }).where('id', '=', resident.user.id).execute();
    const body = (extra: Json = {}) => ({ title: 'Solar panels', madeOn: '2026-11-02', level: 'family', components: ['A03'], territory: 'hamlet', visibility: 'private', ...extra });
    const residentChoice = ((await (await t.json('POST', '/api/choices', body({ results: [{ observedOn: '2026-11-20', quantity: 1234, unit: 'kWh' }] }), resident.auth)).json()) as Json).id;
    // Two accounts made today add their own choices to the same cells.
    const sybils = [await t.userWithToken({ territory: 'hamlet' }), await t.userWithToken({ territory: 'hamlet' })];
    const sybilChoices: number[] = [];
    for (const sybil of sybils) sybilChoices.push(((await (await t.json('POST', '/api/choices', body({ results: [{ observedOn: '2026-11-20', quantity: 0, unit: 'kWh' }] }), sybil.auth)).json()) as Json).id);
    const now = await summary(t, 'territory=hamlet&from=2026-11-01&to=2026-11-30');
    expect(now.totals.choices).toBeNull();
    expect(now.results).toEqual([]);
    expect(now.byComponent.find((c: Json) => c.code === 'A03').count).toBeNull();
    // A week later they are established like anyone, and the figures show (perturbed).
    t.clock.advance(8 * 86_400_000);
    const later = await summary(t, 'territory=hamlet&from=2026-11-01&to=2026-11-30');
    expect(later.totals.choices).toBe(await publishedCount(t, 'choice', [residentChoice, ...sybilChoices]));
  });
});

describe('exports are numeric and complete', () => {
  it('lists results one per row with numbers as numbers, their text and dates, and guards text cells only', async () => {
    const t = await createTreeTestApp();
    const me = await t.userWithToken({ territory: 'town-a' });
    await t.json('POST', '/api/choices', {
      title: '=cmd|calc', madeOn: '2026-10-05', level: 'individual', components: ['A08'], territory: 'town-a', visibility: 'private',
      results: [{ observedOn: '2026-10-20', text: 'Cycled instead of driving', quantity: -410.5, unit: 'kg CO2e' }, { observedOn: '2026-10-21', text: '+fitter' }],
    }, me.auth);
    const csv = await (await t.request('/api/results.csv?actor=me', { headers: me.auth })).text();
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('choice_id,choice_title,made_on,territory,observed_on,text,quantity,unit,url');
    expect(lines[1]).toMatch(/^\d+,'=cmd\|calc,2026-10-05,town-a,2026-10-20,Cycled instead of driving,-410\.5,kg CO2e,http/);
    expect(lines[2]).toMatch(/,2026-10-21,'\+fitter,,,/);
    // Someone else's private results are not in anyone else's export.
    const other = await t.userWithToken({ territory: 'town-a' });
    expect((await (await t.request('/api/results.csv', { headers: other.auth })).text()).trim().split('\r\n')).toHaveLength(1);
  });
});
