import { describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.js';

type Json = Record<string, any>;

/** A workshop with three registrants, and a charter drafted from it by its facilitator. */
async function charterFromWorkshop() {
  const t = await createTestApp();
  const drafter = await t.userWithToken({ role: 'facilitator', name: 'Drafter' });
  const people = await Promise.all(['Ana', 'Bruno', 'Chloé'].map((name) => t.userWithToken({ name })));
  const outsider = await t.userWithToken({ name: 'Outsider' });
  const workshop = (await (await t.json('POST', '/api/workshops', { title: 'Food and health', startsAt: '2026-12-01T10:00', timeZone: 'Europe/Lisbon', durationMinutes: 60, languages: ['pt', 'fr'] }, drafter.auth)).json()) as Json;
  for (const p of people) expect((await t.request(`/api/workshops/${workshop.id}/registrations`, { method: 'POST', headers: p.auth })).status).toBe(201);
  const res = await t.json('POST', '/api/charters', { title: 'Charter of school canteens', markdown: 'We buy local food.\n\nWe cook fresh meals.', workshop: workshop.id }, drafter.auth);
  expect(res.status, await res.clone().text()).toBe(201);
  const charter = (await res.json()) as Json;
  return { t, drafter, people, outsider, workshop, charter };
}

const approve = (t: TestApp, id: number, auth: Record<string, string>, version: number, decision = 'approve', comment?: string) =>
  t.json('POST', `/api/charters/${id}/approvals`, { version, decision, comment }, auth);

describe('charters adopted by all', () => {
  it('is adopted only when every participant approved the current version, then is read-only with its signatories', async () => {
    const { t, drafter, people, outsider, charter } = await charterFromWorkshop();
    expect(charter).toMatchObject({ status: 'draft', currentVersion: 1, approvals: { approved: 0, participants: 4 } });
    expect(charter.participants.map((p: Json) => p.name).sort()).toEqual(['Ana', 'Bruno', 'Chloé', 'Drafter']);
    // Outsiders cannot decide; nobody can decide on a version that is not the current one.
    expect((await approve(t, charter.id, outsider.auth, 1)).status).toBe(403);
    expect((await approve(t, charter.id, people[0].auth, 2)).status).toBe(409);
    expect((await approve(t, charter.id, people[0].auth, 1, 'object')).status).toBe(400);
    expect((await approve(t, charter.id, people[0].auth, 1, 'object', '   ')).status).toBe(400);
    for (const who of [drafter, people[0], people[1]]) expect(await (await approve(t, charter.id, who.auth, 1)).json()).toEqual({ status: 'draft' });
    // An objection holds adoption back; changing one's mind to approve adopts it.
    expect(await (await approve(t, charter.id, people[2].auth, 1, 'object', 'Add seasonal fruit')).json()).toEqual({ status: 'draft' });
    expect(await (await approve(t, charter.id, people[2].auth, 1)).json()).toEqual({ status: 'adopted' });
    const adopted = (await (await t.request(`/api/charters/${charter.id}`)).json()) as Json;
    expect(adopted).toMatchObject({ status: 'adopted', adoptedAt: '2026-11-22T10:00:00.000Z', approvals: { approved: 4, participants: 4 } });
    expect(adopted.signatories.map((s: Json) => s.name).sort()).toEqual(['Ana', 'Bruno', 'Chloé', 'Drafter']);
    // Read-only from now on; actors may sign it.
    expect((await t.json('POST', `/api/charters/${charter.id}/versions`, { markdown: 'Changed' }, drafter.auth)).status).toBe(409);
    expect((await t.json('POST', `/api/charters/${charter.id}/amendments`, { text: 'Changed' }, people[0].auth)).status).toBe(409);
    expect((await t.request(`/api/charters/${charter.id}/participants`, { method: 'POST', headers: outsider.auth })).status).toBe(409);
    expect((await approve(t, charter.id, people[0].auth, 1)).status).toBe(409);
    const signed = await t.json('POST', `/api/charters/${charter.id}/signatures`, {}, outsider.auth);
    expect(signed.status).toBe(201);
    expect(((await signed.json()) as Json).signatories.map((s: Json) => s.name)).toContain('Outsider');
    // Everyone was told it was adopted.
    const notices = await t.db.selectFrom('notice').select(['user_id']).where('kind', '=', 'charter.adopted').execute();
    expect(notices).toHaveLength(4);
  });

  it('voids earlier approvals when a new version comes, through an accepted amendment, and tells the participants', async () => {
    const { t, drafter, people, outsider, charter } = await charterFromWorkshop();
    for (const who of [drafter, people[0], people[1]]) await approve(t, charter.id, who.auth, 1);
    // Only participants amend; declining needs a reason; accepting makes version 2 with a readable diff.
    expect((await t.json('POST', `/api/charters/${charter.id}/amendments`, { text: 'x' }, outsider.auth)).status).toBe(403);
    const amendment = (await (await t.json('POST', `/api/charters/${charter.id}/amendments`, { text: 'We buy local and seasonal food.\n\nWe cook fresh meals.', rationale: 'Seasons matter' }, people[2].auth)).json()) as Json;
    const other = (await (await t.json('POST', `/api/charters/${charter.id}/amendments`, { text: 'We buy food.' }, people[1].auth)).json()) as Json;
    expect((await t.json('POST', `/api/charters/${charter.id}/amendments/${other.id}/decision`, { decision: 'decline' }, drafter.auth)).status).toBe(400);
    expect((await t.json('POST', `/api/charters/${charter.id}/amendments/${other.id}/decision`, { decision: 'decline', reason: 'Too vague' }, drafter.auth)).status).toBe(200);
    expect((await t.json('POST', `/api/charters/${charter.id}/amendments/${amendment.id}/decision`, { decision: 'accept' }, people[0].auth)).status).toBe(403);
    expect(await (await t.json('POST', `/api/charters/${charter.id}/amendments/${amendment.id}/decision`, { decision: 'accept' }, drafter.auth)).json()).toEqual({ version: 2 });
    expect((await t.json('POST', `/api/charters/${charter.id}/amendments/${amendment.id}/decision`, { decision: 'accept' }, drafter.auth)).status).toBe(409);
    const v2 = (await (await t.request(`/api/charters/${charter.id}`)).json()) as Json;
    expect(v2.currentVersion).toBe(2);
    expect(v2.approvals.approved).toBe(0);
    expect(v2.participants.every((p: Json) => p.decision === 'pending')).toBe(true);
    expect(v2.diff.filter((d: Json) => d.type === 'added').map((d: Json) => d.text).join('')).toContain('seasonal');
    expect(v2.amendments.map((a: Json) => [a.status, a.reason])).toEqual([['accepted', null], ['declined', 'Too vague']]);
    const told = await t.db.selectFrom('notice').select('user_id').where('kind', '=', 'charter.version').execute();
    expect(told).toHaveLength(3);
    // Approving the version one read before is refused; the earlier version is still readable.
    expect((await approve(t, charter.id, people[0].auth, 1)).status).toBe(409);
    expect(((await (await t.request(`/api/charters/${charter.id}?version=1`)).json()) as Json).version.markdown).toBe('We buy local food.\n\nWe cook fresh meals.');
    // Someone joins: adoption now needs them too.
    expect((await t.request(`/api/charters/${charter.id}/participants`, { method: 'POST', headers: outsider.auth })).status).toBe(201);
    for (const who of [drafter, ...people]) expect(((await (await approve(t, charter.id, who.auth, 2)).json()) as Json).status).toBe('draft');
    expect(((await (await approve(t, charter.id, outsider.auth, 2)).json()) as Json).status).toBe('adopted');
  });

  it('lets only facilitators draft, and only the drafter write versions', async () => {
    const t = await createTestApp();
    const member = await t.userWithToken();
    expect((await t.json('POST', '/api/charters', { title: 'Mine', markdown: 'Text' }, member.auth)).status).toBe(403);
    expect((await t.json('POST', '/api/charters', { title: 'Mine', markdown: 'Text' })).status).toBe(401);
    const drafter = await t.userWithToken({ role: 'facilitator' });
    const charter = (await (await t.json('POST', '/api/charters', { title: 'Open charter', markdown: 'Text' }, drafter.auth)).json()) as Json;
    expect(charter.participants).toHaveLength(1);
    expect((await t.json('POST', `/api/charters/${charter.id}/versions`, { markdown: 'Other' }, member.auth)).status).toBe(403);
    expect((await t.json('POST', `/api/charters/${charter.id}/versions`, { markdown: '' }, drafter.auth)).status).toBe(400);
    expect((await t.request('/api/charters/424242')).status).toBe(404);
  });

  it('never adopts a text nobody approved, even when a new version and the last approval cross', async () => {
    for (let round = 0; round < 5; round++) {
      const { t, drafter, people, charter } = await charterFromWorkshop();
      for (const who of [drafter, people[0], people[1]]) await approve(t, charter.id, who.auth, 1);
      const [last, version] = await Promise.all([
        approve(t, charter.id, people[2].auth, 1),
        t.json('POST', `/api/charters/${charter.id}/versions`, { markdown: 'A text nobody approved' }, drafter.auth),
      ]);
      const after = (await (await t.request(`/api/charters/${charter.id}`)).json()) as Json;
      if (after.status === 'adopted') {
        expect(after.currentVersion).toBe(1);
        expect(version.status).toBe(409);
      } else {
        expect(last.status).toBe(409);
        expect(after.currentVersion).toBe(2);
      }
    }
  });

  it('refuses amendments written on an outdated text, drafts from someone else’s workshop, and tells outsiders no first', async () => {
    const { t, drafter, people, outsider, workshop, charter } = await charterFromWorkshop();
    const old = (await (await t.json('POST', `/api/charters/${charter.id}/amendments`, { text: 'Based on version 1' }, people[0].auth)).json()) as Json;
    await t.json('POST', `/api/charters/${charter.id}/versions`, { markdown: 'Version 2 with an important fix' }, drafter.auth);
    expect((await t.json('POST', `/api/charters/${charter.id}/amendments/${old.id}/decision`, { decision: 'accept' }, drafter.auth)).status).toBe(409);
    expect((await t.json('POST', `/api/charters/${charter.id}/amendments/${old.id}/decision`, { decision: 'decline', reason: 'Written on version 1' }, drafter.auth)).status).toBe(200);
    expect(((await (await t.request(`/api/charters/${charter.id}`)).json()) as Json).version.markdown).toBe('Version 2 with an important fix');
    const otherFacilitator = await t.userWithToken({ role: 'facilitator' });
    expect((await t.json('POST', '/api/charters', { title: 'Not my workshop', markdown: 'x', workshop: workshop.id }, otherFacilitator.auth)).status).toBe(403);
    expect((await approve(t, charter.id, outsider.auth, 2, 'object')).status).toBe(403);
  });
});
