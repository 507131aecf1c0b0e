import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../db/database.js';
import { seedTaxonomy } from '../../seed/taxonomy.js';
import { fixedClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { AppError } from '../../src/errors.js';
import { createAccessToken, registerUser } from '../../src/services/accounts.js';
import { importArchive } from '../../src/services/account-import.js';
import { verifySummaries } from '../../src/summaries/maintenance.js';
import { countRows, createTestApp, createTreeTestApp, type TestApp, publishedCount } from '../helpers.js';

// Issue 8, "Export my data": the archive holds every object I created (private choices included) and
// nothing of other people's private data; `journal import` turns it into the same journal elsewhere.

type Json = Record<string, any>;
const run = promisify(execFile);

const post = async (t: TestApp, path: string, body: unknown, auth: Record<string, string>) => {
  const res = await t.json('POST', path, body, auth);
  expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return (await res.json()) as Json;
};

/** Someone with a bit of everything: choices of each visibility (with results), an organisation, pages, group work, workshops, charters, topics, tools, a watchlist. */
async function busyPerson() {
  const t = await createTreeTestApp();
  const me = await t.userWithToken({ name: 'Ana Export', email: 'ana@example.org', territory: 'town-a', role: 'facilitator' });
  const other = await t.userWithToken({ name: 'Other Person', email: 'other.secret@example.org', territory: 'town-a' });
  const log = (auth: Record<string, string>, title: string, visibility: string, extra: Json = {}) => post(t, '/api/choices', {
    title, madeOn: '2026-10-05', level: 'individual', components: ['A08', 'H06'], territory: 'town-a', visibility, ...extra,
  }, auth);
  const mine = {
    private: await log(me.auth, 'My private cycling', 'private', { description: 'Only *me*.', results: [{ observedOn: '2026-10-20', quantity: -12.5, unit: 'kg CO2e', text: 'less fuel' }] }),
    territory: await log(me.auth, 'My territory compost', 'territory', { countInSummaries: false }),
    public: await log(me.auth, 'My public garden', 'public', { results: [{ observedOn: '2026-10-21', text: 'neighbours joined' }] }),
  };
  await t.json('PATCH', `/api/choices/${mine.public.id}`, { title: 'My public vegetable garden' }, me.auth);
  for (const visibility of ['private', 'territory', 'public']) await log(other.auth, `OTHER-${visibility.toUpperCase()}`, visibility);
  // An organisation I represent with the other person: its choices are mine to take, whoever logged them.
  const school = await post(t, '/api/actors', { name: 'Green School', kind: 'school', territory: 'town-a' }, me.auth);
  expect((await t.json('POST', `/api/actors/${school.slug}/representatives`, { email: 'other.secret@example.org' }, me.auth)).status).toBeLessThan(300);
  const [invitation] = ((await (await t.request('/api/me/invitations', { headers: other.auth })).json()) as { invitations: { id: number }[] }).invitations;
  expect((await t.json('POST', `/api/me/invitations/${invitation.id}`, { decision: 'accept' }, other.auth)).status).toBe(200);
  await log(other.auth, 'School private canteen', 'private', { actor: school.slug });

  await t.json('PUT', '/api/pages/ana-garden-notes', { markdown: 'First notes.' }, me.auth);
  await t.json('PUT', '/api/pages/ana-garden-notes', { markdown: 'Better notes.', summary: 'rewrite', baseRevision: 1 }, me.auth);
  await t.json('PUT', '/api/pages/shared-page', { markdown: 'Started by someone else.' }, other.auth);
  await t.json('PUT', '/api/pages/shared-page', { markdown: 'Started by someone else. Ana adds a line.', baseRevision: 1 }, me.auth);
  await post(t, '/api/pages/shared-page/comments', { markdown: 'A comment of mine' }, me.auth);
  // A moderator hid it from others: it is still mine to take.
  await t.db.updateTable('comment').set({ hidden_at: '2026-11-21T00:00:00.000Z' }).execute();

  const group = await post(t, '/api/groups', { name: 'Cyclists of Town A', kind: 'homogeneous', territory: 'town-a' }, me.auth);
  await post(t, `/api/groups/${group.id}/statements`, { question: 'wellbeing', text: 'Safe cycle lanes make us feel well', components: ['A08'] }, me.auth);
  const workshop = await post(t, '/api/workshops', { title: 'Food and health', startsAt: '2026-12-01T10:00', timeZone: 'Europe/Lisbon', durationMinutes: 60, languages: ['pt', 'en'], joinUrl: 'https://meet.example.org/food' }, me.auth);
  const otherWorkshop = await post(t, '/api/workshops', { title: 'Bikes everywhere', startsAt: '2026-12-02T10:00', timeZone: 'Europe/Paris', durationMinutes: 60, languages: ['fr'] }, t.admin.auth);
  expect((await t.request(`/api/workshops/${otherWorkshop.id}/registrations`, { method: 'POST', headers: me.auth })).status).toBe(201);
  const charter = await post(t, '/api/charters', { title: 'Charter of canteens', markdown: 'We buy local food.', workshop: workshop.id }, me.auth);
  await post(t, `/api/charters/${charter.id}/amendments`, { text: 'We buy local and seasonal food.', rationale: 'Seasons' }, me.auth);
  await post(t, `/api/charters/${charter.id}/approvals`, { version: 1, decision: 'approve' }, me.auth);
  const topic = await post(t, '/api/topics', { title: 'Repair cafés' }, me.auth);
  const otherTopic = await post(t, '/api/topics', { title: 'Night buses' }, other.auth);
  await t.request(`/api/topics/${otherTopic.id}/interest`, { method: 'POST', headers: me.auth });
  const tool = await post(t, '/api/tools', { name: 'Compost guide', description: 'How to compost at school' }, me.auth);
  await post(t, `/api/tools/${tool.id ?? tool.slug}/proposals`, { kind: 'improvement', text: 'Add pictures' }, me.auth);
  // The watchlist and preferences have no routes on this branch yet: rows as the watch service writes them.
  await t.db.insertInto('watch').values([
    { user_id: me.user.id, kind: 'territory', target: 'town-a', created_at: '2026-11-01T00:00:00.000Z', expires_at: null },
    { user_id: me.user.id, kind: 'page', target: 'shared-page', created_at: '2026-11-01T00:00:00.000Z', expires_at: '2027-02-01T00:00:00.000Z' },
    { user_id: me.user.id, kind: 'component', target: 'A08', created_at: '2026-11-01T00:00:00.000Z', expires_at: null },
    { user_id: me.user.id, kind: 'group', target: String(group.id), created_at: '2026-11-01T00:00:00.000Z', expires_at: null },
    { user_id: other.user.id, kind: 'page', target: 'secret-watch-of-other', created_at: '2026-11-01T00:00:00.000Z', expires_at: null },
  ]).execute();
  await t.db.insertInto('notification_preference').values({ user_id: me.user.id, category: 'territory', frequency: 'weekly' }).execute();
  await t.db.updateTable('user').set({ default_visibility: 'territory', count_in_summaries_default: 0 }).where('id', '=', me.user.id).execute();
  return { t, me, other, mine, school, group, workshop, charter, topic, tool };
}

describe('export my data', () => {
  it('holds every object I created, private choices included, and nothing of other people’s private data', async () => {
    const { t, me, mine, school } = await busyPerson();
    const { cookie } = await t.loginCookie('ana@example.org');
    expect((await t.request('/api/me/export')).status).toBe(401);

    // A plain link from the settings page downloads it with the session cookie (no JavaScript).
    const settings = await (await t.request('/me/settings', { headers: { Cookie: cookie } })).text();
    expect(settings).toContain('href="/api/me/export"');
    expect(settings).toContain('href="/help/export-format"');
    const help = await t.request('/help/export-format');
    expect(help.status).toBe(200);
    expect(await help.text()).toContain('countInSummariesDefault');

    const res = await t.request('/api/me/export', { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="spiral-journal-2026-11-22.json"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    const archive = JSON.parse(text) as Json;
    expect(archive).toMatchObject({ format: 'spiral-journal-export', version: 1, exportedAt: '2026-11-22T10:00:00.000Z', taxonomyVersion: expect.any(String) });
    expect(archive.profile).toEqual({
      email: 'ana@example.org', name: 'Ana Export', locale: 'en', timeZone: null, role: 'facilitator', createdAt: '2026-11-22T10:00:00.000Z',
      emailVerifiedAt: '2026-11-22T10:00:00.000Z', defaultVisibility: 'territory', countInSummariesDefault: false,
    });
    const actors = archive.actors as Json[];
    expect(actors.map((a) => a.slug)).toEqual([expect.stringMatching(/^ana-export/), school.slug]);
    expect(actors[0]).toMatchObject({ primary: true, kind: 'citizen', homeTerritory: { slug: 'town-a', name: 'Town A', kind: 'municipality' }, memberships: [{ territory: { slug: 'town-a' }, role: 'member' }] });
    expect(actors[0].groups).toEqual([expect.objectContaining({ name: 'Cyclists of Town A', role: 'facilitator' })]);
    // Co-representatives by name only.
    expect(actors[1]).toMatchObject({ primary: false, kind: 'school', coRepresentatives: ['Other Person'] });

    // Every choice of my actors, private ones included, with results and history; no one else's.
    const choices = archive.choices as Json[];
    expect(choices.map((c) => c.title).sort()).toEqual(['My private cycling', 'My public vegetable garden', 'My territory compost', 'School private canteen']);
    const priv = choices.find((c) => c.id === mine.private.id)!;
    expect(priv).toMatchObject({
      visibility: 'private', countInSummaries: true, description: 'Only *me*.', madeOn: '2026-10-05', level: 'individual', components: ['A08', 'H06'],
      territory: { slug: 'town-a' }, loggedByMe: true, results: [{ observedOn: '2026-10-20', quantity: -12.5, unit: 'kg CO2e', text: 'less fuel' }],
    });
    expect(choices.find((c) => c.id === mine.territory.id)).toMatchObject({ visibility: 'territory', countInSummaries: false });
    const edited = choices.find((c) => c.id === mine.public.id)!;
    expect(edited.revisions.map((r: Json) => [r.number, r.action, r.byMe])).toEqual([[1, 'created', true], [2, 'edited', true]]);
    expect(choices.find((c) => c.title === 'School private canteen')).toMatchObject({ actor: school.slug, loggedByMe: false });

    // What I wrote or created, kind by kind.
    expect(archive.pages.map((p: Json) => p.path).sort()).toEqual([`actor/${actors[0].slug}`, `actor/${school.slug}`, 'ana-garden-notes'].sort());
    expect(archive.pageRevisions.filter((r: Json) => r.path === 'shared-page')).toEqual([expect.objectContaining({ number: 2, markdown: 'Started by someone else. Ana adds a line.' })]);
    expect(archive.pageRevisions.filter((r: Json) => r.path === 'ana-garden-notes').map((r: Json) => r.markdown)).toEqual(['First notes.', 'Better notes.']);
    expect(archive.comments).toEqual([expect.objectContaining({ page: 'shared-page', markdown: 'A comment of mine', hidden: true })]);
    expect(archive.statements).toEqual([expect.objectContaining({ text: 'Safe cycle lanes make us feel well', question: 'wellbeing', components: ['A08'], group: expect.objectContaining({ name: 'Cyclists of Town A', territory: 'town-a' }) })]);
    expect(archive.groups).toEqual([expect.objectContaining({ name: 'Cyclists of Town A', kind: 'homogeneous' })]);
    expect(archive.workshops).toEqual([expect.objectContaining({ title: 'Food and health', joinUrl: 'https://meet.example.org/food', languages: ['pt', 'en'] })]);
    expect(archive.registrations).toEqual([expect.objectContaining({ workshop: expect.objectContaining({ title: 'Bikes everywhere' }), status: 'registered' })]);
    expect(archive.charters.drafted).toEqual([expect.objectContaining({ title: 'Charter of canteens', status: 'adopted' })]);
    expect(archive.charters.versions).toEqual([expect.objectContaining({ number: 1, markdown: 'We buy local food.' })]);
    expect(archive.charters.amendments).toEqual([expect.objectContaining({ text: 'We buy local and seasonal food.', rationale: 'Seasons', status: 'open' })]);
    expect(archive.charters.approvals).toEqual([expect.objectContaining({ version: 1, decision: 'approve' })]);
    expect(archive.charters.participations).toHaveLength(1);
    expect(archive.topics.proposed).toEqual([expect.objectContaining({ title: 'Repair cafés' })]);
    expect(archive.topics.interests.map((i: Json) => i.title).sort()).toEqual(['Night buses', 'Repair cafés']);
    expect(archive.tools.authored).toEqual([expect.objectContaining({ name: 'Compost guide' })]);
    expect(archive.tools.proposals).toEqual([expect.objectContaining({ kind: 'improvement', text: 'Add pictures' })]);
    expect(archive.watchlist.map((w: Json) => `${w.kind}:${w.target}`).sort()).toEqual(['component:A08', expect.stringMatching(/^group:\d+$/), 'page:shared-page', 'territory:town-a']);
    expect(archive.notifications.length).toBeGreaterThan(0);
    expect(archive.notificationPreferences).toEqual([{ category: 'territory', frequency: 'weekly' }]);
    expect(archive.accessTokens).toEqual([{ name: 'tests', createdAt: expect.any(String), lastUsedAt: expect.any(String), revokedAt: null }]);
    expect(archive.sessions).toHaveLength(1);

    // Nothing of other people's private data, and no secret of mine.
    for (const secret of ['OTHER-PRIVATE', 'OTHER-TERRITORY', 'OTHER-PUBLIC', 'other.secret@example.org', 'secret-watch-of-other', me.token, 'scrypt', 'password']) expect(text).not.toContain(secret);
    const hashes = [
      ...(await t.db.selectFrom('access_token').select('token_hash as h').execute()), ...(await t.db.selectFrom('session').select('token_hash as h').execute()),
      ...(await t.db.selectFrom('user').select('password_hash as h').execute()),
    ];
    for (const { h } of hashes) expect(text).not.toContain(h);

    // Admins can see who took their data, and how (not what it held).
    const audit = (await (await t.request('/api/admin/audit?action=user.export', { headers: t.admin.auth })).json()) as Json;
    expect(audit.entries).toEqual([expect.objectContaining({ target: `user/${me.user.id}`, by: expect.objectContaining({ id: me.user.id }), details: expect.objectContaining({ via: 'session', choices: 4 }) })]);
    expect(JSON.stringify(audit)).not.toContain('My private cycling');
    // Bearer tokens work too; the OpenAPI document describes the route.
    expect((await t.request('/api/me/export', { headers: me.auth })).status).toBe(200);
    const openapi = (await (await t.request('/api/openapi.json')).json()) as Json;
    expect(openapi.paths['/api/me/export'].get.summary).toContain('spiral-journal-export');
  });

  it('is rate-limited per account', async () => {
    const t = await createTestApp();
    const me = await t.userWithToken();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await t.request('/api/me/export', { headers: me.auth })).status);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe('journal import', () => {
  it('rebuilds the same journal on another instance: choices, results, visibility, summaries, search, watchlist, pages', async () => {
    const { t, me } = await busyPerson();
    const archive = (await (await t.request('/api/me/export', { headers: me.auth })).json()) as Json;

    const b = await createTreeTestApp();
    // Two people already log in town-a here, so the summary shows its figures once a third actor counts.
    for (const name of ['Local One', 'Local Two']) {
      const local = await b.userWithToken({ name, territory: 'town-a' });
      await post(b, '/api/choices', { title: `${name} walks`, madeOn: '2026-10-07', level: 'individual', components: ['A08'], territory: 'town-a', visibility: 'public' }, local.auth);
    }
    await b.json('PUT', '/api/pages/shared-page', { markdown: 'Another page that happens to have this path.' }, b.admin.auth);
    const summary = async () => ((await (await b.request('/api/summaries?territory=region-x&from=2026-10-01&to=2026-10-31')).json()) as Json).totals.choices;
    expect(await summary()).toBeNull();

    const report = await importArchive(b.deps, archive, { email: 'ana.new@example.org' });
    expect(report.imported).toMatchObject({ actors: 2, choices: 4, results: 2, pages: 1, watchlist: 3, notificationPreferences: 1, territoriesCreated: [] });
    expect(report.skipped).toEqual(expect.arrayContaining([
      expect.objectContaining({ what: 'watch', reason: expect.stringContaining('other instance'), refs: [expect.stringMatching(/^group:/)] }),
      expect.objectContaining({ what: 'role' }),
      expect.objectContaining({ what: 'statement', count: 1 }),
    ]));

    // The person logs in with the temporary password and finds their journal as it was.
    const login = await b.json('POST', '/api/auth/login', { email: 'ana.new@example.org', password: report.temporaryPassword });
    expect(login.status).toBe(200);
    const viewer = { user: { id: report.user.id, email: 'ana.new@example.org', name: 'Ana Export', role: 'member' as const, locale: 'en', time_zone: null }, via: 'token' as const };
    const auth = { Authorization: `Bearer ${(await createAccessToken(b.deps, viewer, 'check')).token}` };
    const again = (await (await b.request('/api/me/export', { headers: auth })).json()) as Json;
    const shape = (c: Json) => ({
      title: c.title, description: c.description, visibility: c.visibility, countInSummaries: c.countInSummaries, madeOn: c.madeOn, level: c.level, status: c.status,
      components: c.components, territory: c.territory.slug, results: c.results.map(({ createdAt: _c, ...r }: Json) => r), revisions: c.revisions.length, followUpOn: c.followUpOn,
    });
    const byTitle = (list: Json[]) => list.map(shape).sort((x, y) => x.title.localeCompare(y.title));
    expect(byTitle(again.choices)).toEqual(byTitle(archive.choices));
    expect(again.profile).toMatchObject({ email: 'ana.new@example.org', role: 'member', defaultVisibility: 'territory', countInSummariesDefault: false, emailVerifiedAt: null });
    expect(again.actors.map((a: Json) => [a.kind, a.primary, a.homeTerritory?.slug])).toEqual([['citizen', true, 'town-a'], ['school', false, 'town-a']]);
    expect(again.watchlist.map((w: Json) => `${w.kind}:${w.target}`).sort()).toEqual(['component:A08', 'page:shared-page', 'territory:town-a']);
    expect(again.notificationPreferences).toEqual([{ category: 'territory', frequency: 'weekly' }]);

    // Private stays private; the public one is searchable; the counting ones are in the summaries.
    const privateId = again.choices.find((c: Json) => c.title === 'My private cycling').id;
    expect((await b.request(`/api/choices/${privateId}`)).status).toBe(404);
    expect((await b.request(`/api/choices/${privateId}`, { headers: auth })).status).toBe(200);
    expect(JSON.stringify(await (await b.request('/api/search?q=vegetable')).json())).toContain('My public vegetable garden');
    expect(JSON.stringify(await (await b.request('/api/search?q=cycling')).json())).not.toContain('My private cycling');
    // The two local choices and the three imported ones that count: exactly those records.
    const counted = (await b.db.selectFrom('choice').select('id').where('count_in_summaries', '=', 1).execute()).map((r) => r.id);
    expect(counted).toHaveLength(2 + 3);
    // Imported under a new, unconfirmed address, the account does not lift the cell over the threshold yet (n−1 attacks)…
    expect(await summary()).toBeNull();
    // …once confirmed, its choices count like anyone's.
    await b.db.updateTable('user').set({ email_verified_at: '2026-11-22T10:00:00.000Z' }).where('email', '=', 'ana.new@example.org').execute();
    expect(await summary()).toBe(await publishedCount(b, 'choice', counted));
    expect((await verifySummaries(b.deps)).differences).toEqual([]);

    // Pages: mine where the path was free, with my latest text; the personal page follows the actor.
    expect(((await (await b.request('/api/pages/ana-garden-notes')).json()) as Json).markdown).toBe('Better notes.');
    expect(((await (await b.request('/api/pages/shared-page')).json()) as Json).markdown).toBe('Another page that happens to have this path.');
    expect((await b.request(`/wiki/actor/${again.actors[0].slug}`)).status).toBe(200);
    const imported = (await (await b.request('/api/admin/audit?action=user.import', { headers: b.admin.auth })).json()) as Json;
    expect(imported.entries).toEqual([expect.objectContaining({ target: `user/${report.user.id}`, details: expect.objectContaining({ choices: 4 }) })]);
  });

  it('creates the territories it needs, and refuses a bad archive or a taken e-mail with a clear error, importing nothing', async () => {
    const { t, me } = await busyPerson();
    const archive = (await (await t.request('/api/me/export', { headers: me.auth })).json()) as Json;
    const b = await createTestApp();
    const before = { user: await countRows(b, 'user'), choice: await countRows(b, 'choice'), territory: await countRows(b, 'territory'), page: await countRows(b, 'page') };
    const nothingImported = async () => expect({ user: await countRows(b, 'user'), choice: await countRows(b, 'choice'), territory: await countRows(b, 'territory'), page: await countRows(b, 'page') }).toEqual(before);
    const refused = async (data: unknown, options: { email?: string } = {}) => {
      const error = await importArchive(b.deps, data, options).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      await nothingImported();
      return error as AppError;
    };

    expect((await refused({ some: 'thing' })).message).toContain('not a Spiral Journal export');
    expect((await refused('not even an object')).message).toContain('not a Spiral Journal export');
    expect((await refused({ ...archive, version: 2 })).message).toBe('This archive is version 2; this instance reads version 1.');
    const broken = structuredClone(archive);
    broken.choices[0].madeOn = 'yesterday';
    const invalid = await refused(broken);
    expect(invalid.status).toBe(400);
    expect(invalid.extra.issues).toEqual([expect.objectContaining({ path: 'choices.0.madeOn' })]);
    // A failure late in the transaction (here, the database refusing the watchlist) leaves nothing behind.
    // (Triggers are written in each engine's language.)
    if (b.engine === 'postgres') {
      await sql`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`.execute(b.db);
      await sql`CREATE TRIGGER refuse_watch BEFORE INSERT ON watch FOR EACH ROW EXECUTE FUNCTION refuse()`.execute(b.db);
    } else await sql`CREATE TRIGGER refuse_watch BEFORE INSERT ON watch BEGIN SELECT RAISE(ABORT, 'refused'); END`.execute(b.db);
    await expect(importArchive(b.deps, archive)).rejects.toThrow('refused');
    await nothingImported();
    await sql.raw(`DROP TRIGGER refuse_watch${b.engine === 'postgres' ? ' ON watch' : ''}`).execute(b.db);

    const report = await importArchive(b.deps, archive);
    expect(report.imported.territoriesCreated).toEqual(['town-a']);
    const territory = await b.db.selectFrom('territory').selectAll().where('slug', '=', 'town-a').executeTakeFirstOrThrow();
    expect(territory).toMatchObject({ name: 'Town A', kind: 'municipality', parent_id: null });
    expect((await b.request('/wiki/territory/town-a')).status).toBe(200);
    // The same e-mail again: refused, nothing more imported.
    const users = await countRows(b, 'user');
    const taken = await importArchive(b.deps, archive).then(() => null, (e: AppError) => e);
    expect(taken).toMatchObject({ status: 409, message: expect.stringContaining('already uses ana@example.org') });
    expect(await countRows(b, 'user')).toBe(users);
  });

  it('the command line refuses an e-mail already in use, with a non-zero exit code', async () => {
    const { t, me } = await busyPerson();
    const archive = (await (await t.request('/api/me/export', { headers: me.auth })).json()) as Json;
    const dir = mkdtempSync(join(tmpdir(), 'sj-import-'));
    try {
      const databasePath = join(dir, 'journal.db');
      const { db } = openDatabase(databasePath);
      await migrateToLatest(db);
      const deps = { db, clock: fixedClock('2026-11-22T10:00:00.000Z'), config: testConfig({ databasePath }) };
      await seedTaxonomy(deps);
      await registerUser(deps, { email: 'ana@example.org', password: 'correct horse battery staple', name: 'Already Here', actorKind: 'citizen' });
      await db.destroy();
      writeFileSync(join(dir, 'archive.json'), JSON.stringify(archive));
      const result = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'import', join(dir, 'archive.json')], { env: { ...process.env, DATABASE_PATH: databasePath } })
        .then(() => ({ code: 0, stderr: '' }), (error: { code: number; stderr: string }) => error);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('An account already uses ana@example.org');
      const check = openDatabase(databasePath);
      expect((await check.db.selectFrom('user').select('email').execute()).map((u) => u.email)).toEqual(['ana@example.org']);
      expect(await check.db.selectFrom('choice').select('id').execute()).toEqual([]);
      await check.db.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('export of a coordinator’s work', () => {
  it('includes the indicators whose descriptors I wrote and the ratings I gave', async () => {
    const t = await createTreeTestApp();
    const res = await t.json('PUT', '/api/territories/town-a/indicators/A08', {
      level: 3, ratedOn: '2026-11-01', phase: 'ex-ante', descriptors: ['No cycling', 'A few cyclists', 'Some lanes', 'Many lanes', 'Everyone cycles'],
    }, t.admin.auth);
    expect(res.status).toBeLessThan(300);
    const archive = (await (await t.request('/api/me/export', { headers: t.admin.auth })).json()) as Json;
    expect(archive.indicators).toEqual([{ territory: 'town-a', component: 'A08', descriptors: ['No cycling', 'A few cyclists', 'Some lanes', 'Many lanes', 'Everyone cycles'], updatedAt: expect.any(String) }]);
    expect(archive.indicatorRatings).toHaveLength(1);
  });
});
