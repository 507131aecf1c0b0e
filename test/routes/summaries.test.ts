import { describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.js';
import { sql } from 'kysely';
import { ensureSummaries, verifySummaries } from '../../src/summaries/maintenance.js';

type Json = Record<string, any>;

interface Logged {
  actor: number;
  territory: string;
  madeOn: string;
  level: string;
  components: string[];
  counted: boolean;
  results: { observedOn: string; quantity?: number; unit?: string }[];
}

/** region > (town-a, town-b); six actors; choices spread over months, components, levels. */
async function dataset() {
  const t = await createTestApp();
  const admin = await t.userWithToken({ role: 'admin' });
  for (const [slug, parent] of [['region', undefined], ['town-a', 'region'], ['town-b', 'region'], ['elsewhere', undefined]] as const) {
    expect((await t.json('POST', '/api/territories', { slug, name: slug, kind: 'municipality', parent }, admin.auth)).status).toBe(201);
  }
  const people: Awaited<ReturnType<TestApp['userWithToken']>>[] = [];
  for (let i = 0; i < 6; i++) people.push(await t.userWithToken({ territory: i < 4 ? 'town-a' : 'town-b' }));
  const logged: (Logged & { id: number })[] = [];
  const log = async (entry: Logged, visibility = 'private') => {
    const res = await t.json('POST', '/api/choices', {
      title: `choice ${logged.length}`, madeOn: entry.madeOn, level: entry.level, components: entry.components, territory: entry.territory,
      visibility, countInSummaries: entry.counted, results: entry.results.length ? entry.results : undefined,
    }, people[entry.actor].auth);
    expect(res.status, await res.clone().text()).toBe(201);
    logged.push({ ...entry, id: ((await res.json()) as Json).id });
  };
  // A08 (mobility) is chosen by four actors; H06 by three; A01 by two (to be withheld); B04 by one.
  const plan: Logged[] = [
    { actor: 0, territory: 'town-a', madeOn: '2026-06-03', level: 'individual', components: ['A08', 'H06'], counted: true, results: [{ observedOn: '2026-07-01', quantity: -120, unit: 'kg CO2e' }] },
    { actor: 1, territory: 'town-a', madeOn: '2026-06-10', level: 'family', components: ['A08'], counted: true, results: [{ observedOn: '2026-07-02', quantity: -80.5, unit: 'kg  CO2e' }] },
    { actor: 2, territory: 'town-a', madeOn: '2026-07-15', level: 'individual', components: ['A08', 'A01'], counted: true, results: [{ observedOn: '2026-08-01', quantity: -10, unit: 'kg CO2e' }] },
    { actor: 3, territory: 'town-a', madeOn: '2026-08-20', level: 'individual', components: ['H06', 'B04'], counted: true, results: [] },
    { actor: 4, territory: 'town-b', madeOn: '2026-08-21', level: 'local-community', components: ['A08', 'H06'], counted: true, results: [{ observedOn: '2026-09-01', text: 'fewer cars' } as never] },
    { actor: 5, territory: 'town-b', madeOn: '2026-09-01', level: 'individual', components: ['A01'], counted: true, results: [] },
    { actor: 5, territory: 'town-b', madeOn: '2026-09-02', level: 'individual', components: ['H06'], counted: false, results: [] },
    { actor: 0, territory: 'town-a', madeOn: '2026-09-05', level: 'individual', components: ['A08'], counted: true, results: [] },
  ];
  for (const entry of plan) await log(entry);
  return { t, admin, people, logged };
}

/** The independent count: straight from what was logged. */
function expected(logged: Logged[], inScope: (l: Logged) => boolean, from: string, to: string) {
  const rows = logged.filter((l) => l.counted && inScope(l) && l.madeOn >= from && l.madeOn <= to);
  const actorsOf = (list: Logged[]) => new Set(list.map((l) => l.actor)).size;
  const component = (code: string) => rows.filter((l) => l.components.includes(code));
  const dimension = (letter: string) => rows.filter((l) => l.components.some((c) => c.startsWith(letter)));
  return { rows, actorsOf, component, dimension };
}

/** A published count: the truth within the declared noise (cell-key perturbation), never below the threshold. */
function expectCount(published: number | null | undefined, truth: number) {
  expect(published, `published ${published}, truth ${truth}`).not.toBeNull();
  expect(Math.abs(published! - truth), `published ${published}, truth ${truth}`).toBeLessThanOrEqual(2);
  expect(published!).toBeGreaterThanOrEqual(3);
}

async function summary(t: TestApp, query: string) {
  const res = await t.request(`/api/summaries${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Json;
}

describe('quantitative summaries', () => {
  it('match an independent count, roll children up, and withhold figures from fewer than three actors', async () => {
    const { t, logged } = await dataset();
    const s = await summary(t, '?territory=region&from=2026-06-01&to=2026-09-30');
    const e = expected(logged, (l) => l.territory === 'town-a' || l.territory === 'town-b', '2026-06-01', '2026-09-30');
    expect(s.period).toEqual({ from: '2026-06-01', to: '2026-09-30', months: 4 });
    expectCount(s.totals.choices, e.rows.length);
    expectCount(s.totals.actors, e.actorsOf(e.rows));
    const byCode = Object.fromEntries(s.byComponent.map((c: Json) => [c.code, c]));
    expectCount(byCode.A08.count, e.component('A08').length);
    // Shares are of published figures: they never let the exact total be worked back.
    expect(byCode.A08.share).toBeCloseTo(byCode.A08.count / s.totals.choices, 4);
    expectCount(byCode.H06.count, e.component('H06').length);
    // A01: two actors; B04: one; both withheld, not zero.
    expect(byCode.A01).toMatchObject({ count: null, suppressed: true });
    expect(byCode.B04).toMatchObject({ count: null, suppressed: true });
    expect(s.blindSpots.map((b: Json) => b.code)).not.toContain('A01');
    expect(s.blindSpots.map((b: Json) => b.code)).toContain('C05');
    // A choice counts once per dimension it touches, even with two components there (A08 + A01).
    const dimA = s.byDimension.find((d: Json) => d.code === 'A');
    expectCount(dimA.count, e.dimension('A').length);
    expect(s.suppressed).toBeGreaterThan(0);
    // Timeline by month.
    expect(s.timeline.map((m: Json) => m.period)).toEqual(['2026-06', '2026-07', '2026-08', '2026-09']);
    // Results added up by unit ("kg  CO2e" and "kg CO2e" are the same unit); three actors behind them.
    expect(s.results).toHaveLength(1);
    expect(s.results[0]).toMatchObject({ unit: 'kg CO2e', suppressed: false, status: 'shown' });
    expectCount(s.results[0].count, 3);
    expect(Math.abs(s.results[0].sum - -210.5)).toBeLessThanOrEqual(210.5 * 0.05);
    // The choice not counted in summaries is nowhere (H06: three counted choices, and the same published figure as without it).
    expectCount(s.byComponent.find((c: Json) => c.code === 'H06').count, 3);
    // A child on its own: only town-a's choices.
    const a = await summary(t, '?territory=town-a&from=2026-06-01&to=2026-09-30');
    const ea = expected(logged, (l) => l.territory === 'town-a', '2026-06-01', '2026-09-30');
    expectCount(a.totals.choices, ea.rows.length);
    // The network includes both: the same records as the region, so the same published figure.
    const network = await summary(t, '?from=2026-06-01&to=2026-09-30');
    expect(network.totals.choices).toBe(s.totals.choices);
    expect(network.scope.kind).toBe('network');
  });

  it('withholds everything for a territory with fewer than three actors, and compares periods and territories', async () => {
    const { t, logged } = await dataset();
    const b = await summary(t, '?territory=town-b&from=2026-06-01&to=2026-09-30');
    expect(b.totals.choices).toBeNull();
    expect(b.totals.actors).toBeNull();
    // Withheld altogether, zeros included: "0 here, withheld there" would tell what its two actors chose.
    expect(b.byComponent.every((c: Json) => c.count === null && c.status === 'withheld')).toBe(true);
    expect(b.breakdownWithheld).toBe(true);
    expect(b.blindSpots).toEqual([]);
    const compared = await summary(t, '?territory=region&from=2026-08-01&to=2026-09-30&compareFrom=2026-06-01&compareTo=2026-07-31');
    const now = expected(logged, () => true, '2026-08-01', '2026-09-30');
    const before = expected(logged, () => true, '2026-06-01', '2026-07-31');
    expectCount(compared.totals.choices, now.rows.length);
    expectCount(compared.comparison.totals.choices, before.rows.length);
    // Differences of published figures, never of the truth.
    expect(compared.comparison.deltas.choices).toBe(compared.totals.choices - compared.comparison.totals.choices);
    const other = await summary(t, '?territory=region&from=2026-06-01&to=2026-09-30&compareTerritory=elsewhere');
    expect(other.comparison.scope.slug).toBe('elsewhere');
    expect(other.comparison.totals.choices).toBe(0);
  });

  it('stays equal to a full recount after edits, deletions, results and changes of counting', async () => {
    const { t, people, logged } = await dataset();
    const auth = (i: number) => people[i].auth;
    expect((await t.json('PATCH', `/api/choices/${logged[0].id}`, { components: ['B04'], madeOn: '2026-07-20' }, auth(0))).status).toBe(200);
    expect((await t.json('PATCH', `/api/choices/${logged[1].id}`, { countInSummaries: false }, auth(1))).status).toBe(200);
    expect((await t.json('PATCH', `/api/choices/${logged[6].id}`, { countInSummaries: true, territory: 'town-a' }, auth(5))).status).toBe(200);
    expect((await t.request(`/api/choices/${logged[2].id}`, { method: 'DELETE', headers: auth(2) })).status).toBe(204);
    expect((await t.json('POST', `/api/choices/${logged[7].id}/results`, { observedOn: '2026-09-20', quantity: 12, unit: 'km' }, auth(0))).status).toBe(201);
    // The tables themselves: same cells and counts; the (capped) actor sets have the same size.
    const tables = async () => {
      const out: Json = {};
      for (const table of ['summary_component', 'summary_dimension', 'summary_choice', 'summary_week', 'summary_result', 'summary_actor'] as const) {
        out[table] = (await t.db.selectFrom(table).selectAll().execute())
          .map((r) => JSON.stringify({ ...r, actors: 'actors' in r ? (JSON.parse(r.actors as string) as number[]).length : undefined })).sort();
      }
      return out;
    };
    const query = '?territory=region&from=2026-06-01&to=2026-09-30';
    const incremental = await summary(t, query);
    const incrementalTables = await tables();
    await ensureSummaries(t.deps, true);
    expect(await tables()).toEqual(incrementalTables);
    expect(await summary(t, query)).toEqual(incremental);
    expect(incrementalTables.summary_choice.length).toBeGreaterThan(0);
  });

  it('chart short periods week by week, cutting the first and last weeks at the period’s edges', async () => {
    const t = await createTestApp();
    const admin = await t.userWithToken({ role: 'admin' });
    expect((await t.json('POST', '/api/territories', { slug: 'weekly', name: 'Weekly', kind: 'municipality' }, admin.auth)).status).toBe(201);
    // Four actors in the week of Monday 29 June 2026 (two days in June, two in July), three more later in July.
    const days = ['2026-06-29', '2026-06-30', '2026-07-01', '2026-07-02', '2026-07-20', '2026-07-21', '2026-07-22'];
    for (const madeOn of days) {
      const person = await t.userWithToken({ territory: 'weekly' });
      const res = await t.json('POST', '/api/choices', { title: `on ${madeOn}`, madeOn, level: 'individual', components: ['A08'], territory: 'weekly' }, person.auth);
      expect(res.status).toBe(201);
    }
    const mondayOf = (day: string) => {
      const d = new Date(`${day}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
      return d.toISOString().slice(0, 10);
    };
    const twoMonths = await summary(t, '?territory=weekly&from=2026-06-01&to=2026-07-31');
    expect(twoMonths.timelineGrain).toBe('week');
    expect(twoMonths.timeline[0].period).toBe('2026-06-01');
    const week = (s: Json, start: string) => s.timeline.find((w: Json) => w.period === start);
    expectCount(week(twoMonths, '2026-06-29').count, days.filter((d) => mondayOf(d) === '2026-06-29').length);
    expectCount(week(twoMonths, '2026-07-20').count, 3);
    expect(twoMonths.timeline.filter((w: Json) => w.count).length).toBe(2);
    // July alone: its first week starts on the 1st and holds only the two July days (two actors: withheld).
    const july = await summary(t, '?territory=weekly&from=2026-07-01&to=2026-07-31');
    expect(july.timeline[0]).toMatchObject({ period: '2026-07-01', count: null, suppressed: true });
    expect(july.timeline.map((w: Json) => w.period)).toEqual(['2026-07-01', '2026-07-06', '2026-07-13', '2026-07-20', '2026-07-27']);
    // Asked for months, or a longer period: months.
    const monthly = (await summary(t, '?territory=weekly&from=2026-06-01&to=2026-07-31&timeline=month')).timeline;
    expect(monthly[0]).toMatchObject({ count: null, status: 'withheld' });
    expectCount(monthly[1].count, 5);
    expect((await summary(t, '?territory=weekly&from=2026-03-01&to=2026-07-31')).timelineGrain).toBe('month');
  });

  it('verify finds no drift in kept tables, reports a tampered cell, and repairs it', async () => {
    const { t } = await dataset();
    const clean = await verifySummaries(t.deps);
    expect(clean.differences).toEqual([]);
    expect(clean.cells).toBeGreaterThan(20);
    await sql`UPDATE summary_component SET choices = choices + 5 WHERE scope_id = 0 AND component_code = 'A08'`.execute(t.db);
    await sql`DELETE FROM summary_actor WHERE scope_id = 0`.execute(t.db);
    const drift = await verifySummaries(t.deps);
    expect(drift.differences.some((d) => d.cell.startsWith('summary_component|') && d.cell.includes('A08'))).toBe(true);
    expect(drift.differences.filter((d) => d.cell.startsWith('summary_actor|')).every((d) => d.kept === null)).toBe(true);
    expect((await verifySummaries(t.deps)).differences).toEqual([]);
  });

  it('refuses bad periods and unknown territories', async () => {
    const t = await createTestApp();
    expect((await t.request('/api/summaries?from=2026-09-01&to=2026-01-01')).status).toBe(400);
    expect((await t.request('/api/summaries?territory=atlantis')).status).toBe(404);
    expect((await t.request('/api/summaries?actorKind=alien')).status).toBe(400);
  });
});

describe('bulk-loaded data sets', () => {
  it('come with the same summary tables as a full recount', async () => {
    const { seedSyntheticNetwork } = await import('../../seed/synthetic.js');
    const t = await createTestApp({}, { taxonomy: false });
    await seedSyntheticNetwork(t.deps, { choices: 400, territories: 8, actors: 40 });
    const snapshot = async () => {
      const out: Record<string, string[]> = {};
      for (const table of ['summary_component', 'summary_dimension', 'summary_choice', 'summary_week', 'summary_result', 'summary_actor'] as const) {
        out[table] = (await t.db.selectFrom(table).selectAll().execute())
          .map((r) => JSON.stringify({ ...r, actors: 'actors' in r ? (JSON.parse(r.actors as string) as number[]).length : undefined })).sort();
      }
      return out;
    };
    const bulk = await snapshot();
    expect(bulk.summary_choice.length).toBeGreaterThan(10);
    await ensureSummaries(t.deps, true);
    expect(await snapshot()).toEqual(bulk);
  });
});

describe('summary exports and group summaries', () => {
  it('exports the same figures as CSV, described by a data dictionary', async () => {
    const { t } = await dataset();
    const json = await summary(t, '?territory=region&from=2026-06-01&to=2026-09-30');
    const res = await t.request('/api/summaries.csv?territory=region&from=2026-06-01&to=2026-09-30');
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    const dictionary = (await (await t.request('/api/summaries/dictionary')).json()) as Json;
    expect(lines[0].split(',')).toEqual(dictionary.columns.map((c: Json) => c.name));
    const a08 = lines.find((l) => l.includes(',component,A08,'))!.split(',');
    expect(Number(a08[6])).toBe(json.byComponent.find((c: Json) => c.code === 'A08').count);
    const a01 = lines.find((l) => l.includes(',component,A01,'))!.split(',');
    expect(a01[6]).toBe('');
    expect(a01.slice(-2)).toEqual(['true', 'withheld']);
    expect(lines.some((l) => l.startsWith('territory:region,2026-06-01,2026-09-30,totals,choices,'))).toBe(true);
  });

  it('summarises a group by its statements', async () => {
    const t = await createTestApp();
    const admin = await t.userWithToken({ role: 'admin' });
    await t.json('POST', '/api/territories', { slug: 'sines', name: 'Sines', kind: 'municipality' }, admin.auth);
    const group = (await (await t.json('POST', '/api/groups', { name: 'Parents', kind: 'homogeneous', territory: 'sines' }, admin.auth)).json()) as Json;
    const said = [['wellbeing', ['D01', 'F04']], ['wellbeing', ['D01']], ['wellbeing', ['D01']], ['illbeing', ['A03']], ['actions', ['D02']]] as const;
    for (const [question, components] of said) {
      expect((await t.json('POST', `/api/groups/${group.id}/statements`, { question, text: 'something said', components, sessionOn: '2026-10-10' }, admin.auth)).status).toBe(201);
    }
    const s = await summary(t, `?group=${group.id}&from=2026-10-01&to=2026-10-31`);
    expect(s.scope.kind).toBe('group');
    expect(s.privacy).toMatchObject({ method: 'cell-key perturbation', threshold: 3, maxNoise: 2 });
    // Group summaries follow the same rules: perturbed counts, cells of one or two statements withheld, zeros as zeros.
    expectCount(s.totals.statements, 5);
    expectCount(s.byQuestion.find((q: Json) => q.code === 'wellbeing').count, 3);
    expect(s.byQuestion.find((q: Json) => q.code === 'illbeing')).toMatchObject({ count: null, status: 'withheld' });
    expect(s.byQuestion.find((q: Json) => q.code === 'proposals')).toMatchObject({ count: 0, status: 'zero' });
    expectCount(s.byDimension.find((d: Json) => d.code === 'D').count, 4);
    expect(s.byComponent.find((c: Json) => c.code === 'A03')).toMatchObject({ count: null, status: 'withheld' });
    // A group with fewer than three statements shows no breakdown at all.
    const small = (await (await t.json('POST', '/api/groups', { name: 'Elders', kind: 'homogeneous', territory: 'sines' }, admin.auth)).json()) as Json;
    await t.json('POST', `/api/groups/${small.id}/statements`, { question: 'wellbeing', text: 'one thing', components: ['D01'], sessionOn: '2026-10-10' }, admin.auth);
    const few = await summary(t, `?group=${small.id}&from=2026-10-01&to=2026-10-31`);
    expect(few.breakdownWithheld).toBe(true);
    expect(few.byQuestion.every((q: Json) => q.count === null)).toBe(true);
    expect((await t.request('/api/summaries?group=999')).status).toBe(404);
  });
});

describe('assessments', () => {
  it('freeze a territory’s summary, compare it with the previous period, and never change afterwards', async () => {
    const { t, people, logged } = await dataset();
    const { user } = await t.userWithToken({ role: 'coordinator', territory: 'region' });
    const link = await t.db.selectFrom('user_actor').select('actor_id').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    await t.db.updateTable('membership').set({ role: 'coordinator' }).where('actor_id', '=', link.actor_id).execute();
    const coordinator = await t.loginCookie(user.email);
    const headers = { Cookie: coordinator.cookie, 'X-CSRF-Token': coordinator.csrfToken };
    const member = await t.json('POST', '/api/assessments', { territory: 'region', from: '2026-08-01', to: '2026-09-30' }, people[0].auth);
    expect(member.status).toBe(403);
    const res = await t.json('POST', '/api/assessments', { territory: 'region', from: '2026-08-01', to: '2026-09-30' }, headers);
    expect(res.status, await res.clone().text()).toBe(201);
    const made = (await res.json()) as Json;
    const now = expected(logged, () => true, '2026-08-01', '2026-09-30');
    const before = expected(logged, () => true, '2026-06-01', '2026-07-31');
    // Assessments freeze the published (perturbed) figures.
    const published = await summary(t, '?territory=region&from=2026-08-01&to=2026-09-30');
    expect(made.summary.totals.choices).toBe(published.totals.choices);
    expectCount(made.summary.totals.choices, now.rows.length);
    expect(made.previous.period).toMatchObject({ from: '2026-06-01', to: '2026-07-31' });
    expectCount(made.previous.totals.choices, before.rows.length);
    // Later choices in the period do not change the frozen figures.
    expect((await t.json('POST', '/api/choices', { title: 'late', madeOn: '2026-09-15', level: 'individual', components: ['A08'], territory: 'town-a' }, people[3].auth)).status).toBe(201);
    const again = (await (await t.request(`/api/assessments/${made.id}`)).json()) as Json;
    expect(again.summary).toEqual(made.summary);
    const listed = (await (await t.request('/api/territories/region/assessments')).json()) as Json;
    expect(listed.assessments.map((a: Json) => a.id)).toEqual([made.id]);
    expect(listed.due).toBe(false);
    t.clock.advance(190 * 86_400_000);
    expect(((await (await t.request('/api/territories/region/assessments')).json()) as Json).due).toBe(true);
    expect((await t.request('/api/assessments/9999')).status).toBe(404);
  });
});

describe('qualitative summaries', () => {
  it('find words and quotes in public texts only, and tell the story in the reader’s language', async () => {
    const { t, people } = await dataset();
    for (let i = 0; i < 4; i++) {
      for (const [word, visibility] of [['quinoaberries', 'public'], ['secretword', 'private'], ['memberword', 'territory']] as const) {
        const res = await t.json('POST', '/api/choices', {
          title: `We share ${word} with the neighbours`, description: `The ${word} garden grows`, madeOn: '2026-09-10', level: 'local-community', components: ['D04'],
          territory: 'town-a', visibility,
        }, people[i].auth);
        expect(res.status).toBe(201);
      }
    }
    const s = await summary(t, '?territory=region&from=2026-06-01&to=2026-09-30');
    const terms = JSON.stringify(s.qualitative.terms);
    expect(terms).toContain('quinoaberr');
    expect(terms).not.toContain('secretword');
    expect(terms).not.toContain('memberword');
    const quotes = JSON.stringify(s.qualitative.quotes);
    expect(quotes).not.toContain('secretword');
    expect(quotes).not.toContain('memberword');
    expect(s.qualitative.quotes.all.length).toBeGreaterThan(0);
    expect(s.qualitative.quotes.all[0].url).toMatch(/^\/(choices|groups)\//);
    expect(s.qualitative.narrative).toMatch(/region/);
    const fr = await summary(t, '?territory=region&from=2026-06-01&to=2026-09-30&lang=fr');
    expect(fr.qualitative.narrative).toMatch(/choix/);
    const pt = await summary(t, '?territory=region&from=2026-06-01&to=2026-09-30&lang=pt');
    expect(pt.qualitative.narrative).toMatch(/escolha/);
    // Pairs of components come from at least three actors.
    for (const pair of s.qualitative.pairs) expect(pair.count).toBeGreaterThanOrEqual(3);
  });
});

describe('HTTP caching of summaries', () => {
  it('answers a revalidation with 304 and no body while nothing changed, and with the new figures after a change', async () => {
    const { t, people } = await dataset();
    const query = '/api/summaries?territory=region&from=2026-06-01&to=2026-09-30';
    const first = await t.request(query);
    const tag = first.headers.get('etag');
    expect(tag).toBeTruthy();
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const again = await t.request(query, { headers: { 'If-None-Match': tag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    await t.json('POST', '/api/choices', { title: 'One more', madeOn: '2026-07-01', level: 'individual', components: ['A08'], territory: 'town-a' }, people[1].auth);
    const changed = await t.request(query, { headers: { 'If-None-Match': tag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(tag);
  });
});

describe('summaries kept between writes', () => {
  it('count a new actor, a second choice and a deletion at once, though figures and actor counts are kept between writes', async () => {
    const { t, people, logged } = await dataset();
    const query = '?territory=region&from=2026-06-01&to=2026-09-30';
    const truth = expected(logged, () => true, '2026-06-01', '2026-09-30');
    const [choices, actors] = [truth.rows.length, truth.actorsOf(truth.rows)];
    const before = await summary(t, query);
    expect((await t.request(`/api/summaries${query}`)).headers.get('x-cache')).toBe('hit');
    const newcomer = await t.userWithToken({ territory: 'town-b' });
    const post = (who: typeof newcomer, madeOn: string) => t.json('POST', '/api/choices', { title: 'Newcomer', madeOn, level: 'individual', components: ['A08'], territory: 'town-b' }, who.auth);
    const first = (await (await post(newcomer, '2026-07-03')).json()) as Json;
    const afterFirst = await summary(t, query);
    expectCount(afterFirst.totals.actors, actors + 1);
    expectCount(afterFirst.totals.choices, choices + 1);
    const second = (await (await post(newcomer, '2026-07-04')).json()) as Json;
    const afterSecond = await summary(t, query);
    // The same actors as after the first choice: the same published count, to the unit.
    expect(afterSecond.totals.actors).toBe(afterFirst.totals.actors);
    expectCount(afterSecond.totals.choices, choices + 2);
    // An existing actor's extra choice in a month where they were already active.
    await post(people[4], '2026-08-25');
    expect((await summary(t, query)).totals.actors).toBe(afterFirst.totals.actors);
    for (const id of [first.id, second.id]) expect((await t.json('DELETE', `/api/choices/${id}`, undefined, newcomer.auth)).status).toBe(204);
    const afterDeletes = await summary(t, query);
    expect(afterDeletes.totals.actors).toBe(before.totals.actors);
    expectCount(afterDeletes.totals.choices, choices + 1);
  });
});
