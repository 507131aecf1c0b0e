import { describe, expect, it } from 'vitest';
import { createTreeTestApp } from '../helpers.js';

// Holes found by probing the running product as an attacker would (issue 17): each reproduction here
// succeeded before its fix.

type Json = Record<string, any>;
const choice = (title: string, visibility: string, extra: Json = {}) => ({
  title, description: `${title}, with the neighbours.`, madeOn: '2026-10-05', level: 'individual', components: ['A08'], territory: 'town-a', visibility, ...extra,
});

describe('territory membership is confirmed, not self-declared', () => {
  it('keeps a self-declared member to public content until a coordinator of the territory (or above) accepts them', async () => {
    const t = await createTreeTestApp();
    const author = await t.userWithToken({ name: 'Author', territory: 'town-a' });
    const secret = (await (await t.json('POST', '/api/choices', choice('Territory-only compost plan', 'territory'), author.auth)).json()) as Json;
    const regional = await t.userWithToken({ name: 'Regional Coordinator', role: 'coordinator', territory: 'region-x' });
    const foreign = await t.userWithToken({ name: 'Southern Coordinator', role: 'coordinator', territory: 'south' });

    // Signing up with the territory, or moving to it in settings, makes a pending member.
    await t.json('POST', '/api/auth/register', { email: 'prober@example.org', password: 'a long probing passphrase', name: 'Prober', actorKind: 'citizen', territory: 'town-a' });
    const prober = await t.loginCookie('prober@example.org', 'a long probing passphrase');
    const proberHeaders = { Cookie: prober.cookie, 'X-CSRF-Token': prober.csrfToken, 'Content-Type': 'application/json' };
    const mover = await t.userWithToken({ name: 'Mover', territory: 'south' });
    expect((await t.json('PATCH', '/api/me', { territory: 'town-a' }, mover.auth)).status).toBe(200);
    const moverChoice = (await (await t.json('POST', '/api/choices', { ...choice('Logged before moving', 'private'), territory: 'town-b' }, mover.auth)).json()) as Json;
    for (const headers of [proberHeaders, mover.auth]) {
      expect((await t.request(`/api/choices/${secret.id}`, { headers })).status).toBe(404);
      const list = (await (await t.request('/api/choices?territory=town-a', { headers })).json()) as Json;
      expect(list.choices.map((c: Json) => c.id)).not.toContain(secret.id);
      const me = (await (await t.request('/api/me', { headers })).json()) as Json;
      expect(me.memberships).toContainEqual(expect.objectContaining({ territory: 'town-a', status: 'pending' }));
    }
    // An organisation created "in" the territory is pending too.
    const org = (await (await t.json('POST', '/api/actors', { name: 'Probe Org', kind: 'business', territory: 'town-a' }, mover.auth)).json()) as Json;
    expect((await t.request(`/api/choices/${secret.id}`, { headers: mover.auth })).status).toBe(404);

    // The coordinators above were told; a coordinator elsewhere can neither list nor accept.
    const notices = (await (await t.request('/api/me/notifications', { headers: regional.auth })).json()) as Json;
    expect(notices.notifications.filter((n: Json) => n.kind === 'membership.requested').length).toBeGreaterThanOrEqual(2);
    expect((await t.request('/api/territories/town-a/members?status=pending', { headers: foreign.auth })).status).toBe(403);
    expect((await t.json('POST', '/api/territories/town-a/members/mover/decision', { decision: 'approve' }, foreign.auth)).status).toBe(403);
    expect((await t.json('POST', '/api/territories/town-a/members/mover/decision', { decision: 'approve' }, mover.auth)).status).toBe(403);
    const pending = (await (await t.request('/api/territories/town-a/members?status=pending', { headers: regional.auth })).json()) as Json;
    expect(pending.members.map((m: Json) => m.actor).sort()).toEqual(['mover', org.slug, 'prober'].sort());
    expect(((await (await t.request('/api/territories/town-a')).json()) as Json).memberCount).toBe(1);

    // Accepted: the territory's shared choices open; declined: nothing does.
    expect((await t.json('POST', '/api/territories/town-a/members/mover/decision', { decision: 'approve' }, regional.auth)).status).toBe(200);
    expect((await t.request(`/api/choices/${secret.id}`, { headers: mover.auth })).status).toBe(200);
    expect((await t.json('POST', '/api/territories/town-a/members/prober/decision', { decision: 'decline' }, t.admin.auth)).status).toBe(200);
    expect((await t.request(`/api/choices/${secret.id}`, { headers: proberHeaders })).status).toBe(404);
    // Moving kept the mover's earlier choice where it was logged.
    expect(((await (await t.request(`/api/choices/${moverChoice.id}`, { headers: mover.auth })).json()) as Json).territory.slug).toBe('town-b');
    const audit = (await (await t.request('/api/admin/audit', { headers: t.admin.auth })).json()) as Json;
    expect(audit.entries.map((e: Json) => e.action)).toEqual(expect.arrayContaining(['membership.approve', 'membership.decline']));
  });

  it('shows the requests to coordinators on the territory page, with forms that work without JavaScript', async () => {
    const t = await createTreeTestApp();
    const coordinator = await t.userWithToken({ name: 'Coordinator', role: 'coordinator', territory: 'town-a' });
    const joiner = await t.userWithToken({ name: 'Joiner', territory: 'south' });
    await t.json('PATCH', '/api/me', { territory: 'town-a' }, joiner.auth);
    const page = await (await t.request('/territories/town-a', { headers: coordinator.auth })).text();
    expect(page).toContain('id="members"');
    expect(page).toContain('name="actor" value="joiner"');
    expect(await (await t.request('/territories/town-a', { headers: joiner.auth })).text()).not.toContain('id="members"');
    const { cookie, csrfToken } = await t.loginCookie(coordinator.user.email);
    const posted = await t.request('/territories/town-a/members', {
      method: 'POST', redirect: 'manual', headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfToken, actor: 'joiner', decision: 'approve' }),
    });
    expect(posted.status).toBe(303);
    const me = (await (await t.request('/api/me', { headers: joiner.auth })).json()) as Json;
    expect(me.memberships).toContainEqual(expect.objectContaining({ territory: 'town-a', status: 'active' }));
  });
});

describe('summaries forget a text the moment it stops being public', () => {
  it('quotes no choice after it is made private or edited, within the same second', async () => {
    const t = await createTreeTestApp();
    // Three texts: each is among the three quotes, so what one says shows while it is public.
    const people = await Promise.all(['Ana', 'Bruno', 'Carla'].map((name) => t.userWithToken({ name, territory: 'town-a' })));
    const ids: number[] = [];
    for (const [i, person] of people.entries()) {
      const res = await t.json('POST', '/api/choices', choice(`Cycling to the market ${i}`, 'public', { description: `We cycle to the market every Saturday with the children, route ${i}.` }), person.auth);
      ids.push(((await res.json()) as Json).id);
    }
    const qualitativeOf = async (territory: string) => {
      const res = await t.request(`/api/summaries?territory=${territory}&from=2026-10-01&to=2026-10-31`);
      return ((await res.json()) as Json).qualitative;
    };
    const quoted = (await qualitativeOf('town-a')).quotes.all.map((q: Json) => Number(q.id.slice('choice:'.length)));
    const target = quoted[0];
    const owner = people[ids.indexOf(target)];
    // Edited to say something sensitive: the new text shows at once, in the territory and the region above.
    await t.json('PATCH', `/api/choices/${target}`, { description: 'We cycle to the market every Saturday with the children, past my ex-husband’s flat at 12 Rua Verde.' }, owner.auth);
    for (const territory of ['town-a', 'region-x']) expect(JSON.stringify(await qualitativeOf(territory))).toContain('Rua Verde');
    // Made private: gone from the territory's and the region's words and quotes at once (the clock never moves here).
    expect((await t.json('PATCH', `/api/choices/${target}`, { visibility: 'private' }, owner.auth)).status).toBe(200);
    for (const territory of ['town-a', 'region-x']) {
      const qualitative = JSON.stringify(await qualitativeOf(territory));
      expect(qualitative).not.toContain(`choice:${target}`);
      expect(qualitative).not.toContain('Rua Verde');
    }
    expect(await (await t.request('/territories/region-x?from=2026-10&to=2026-10')).text()).not.toContain('Rua Verde');
    // Edited to remove something sensitive while public: the old words go too.
    const other = ids.find((id) => id !== target && quoted.includes(id))!;
    const otherOwner = people[ids.indexOf(other)];
    await t.json('PATCH', `/api/choices/${other}`, { description: 'We cycle to the market every Saturday with Dr Sousa from room 4.' }, otherOwner.auth);
    expect(JSON.stringify(await qualitativeOf('town-a'))).toContain('Dr Sousa');
    await t.json('PATCH', `/api/choices/${other}`, { description: 'We cycle to the market every Saturday.' }, otherOwner.auth);
    expect(JSON.stringify(await qualitativeOf('town-a'))).not.toContain('Dr Sousa');
  });
});

describe('representatives are invited, never imposed', () => {
  it('adds nobody without their consent and answers alike for known and unknown addresses', async () => {
    const t = await createTreeTestApp();
    const alice = await t.userWithToken({ name: 'Alice', territory: 'town-a' });
    const bob = await t.userWithToken({ name: 'Bob', territory: 'town-a', email: 'bob@example.org' });
    const club = (await (await t.json('POST', '/api/actors', { name: 'Velo Club', kind: 'civil-society' }, alice.auth)).json()) as Json;
    const known = await t.json('POST', `/api/actors/${club.slug}/representatives`, { email: 'BOB@example.org' }, alice.auth);
    const unknown = await t.json('POST', `/api/actors/${club.slug}/representatives`, { email: 'nobody@example.org' }, alice.auth);
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(await known.text()).toBe(await unknown.text());
    const bobActors = (await (await t.request('/api/me', { headers: bob.auth })).json()) as Json;
    expect(bobActors.actors.map((a: Json) => a.slug)).not.toContain(club.slug);
    // Bob is told and declines: still not a representative, and the invitation is gone.
    const notices = (await (await t.request('/api/me/notifications', { headers: bob.auth })).json()) as Json;
    expect(notices.notifications.map((n: Json) => n.kind)).toContain('representative.invited');
    const [invitation] = ((await (await t.request('/api/me/invitations', { headers: bob.auth })).json()) as Json).invitations;
    expect((await t.json('POST', `/api/me/invitations/${invitation.id}`, { decision: 'decline' }, bob.auth)).status).toBe(200);
    expect((await t.json('POST', `/api/me/invitations/${invitation.id}`, { decision: 'accept' }, bob.auth)).status).toBe(404);
    expect((await t.json('POST', '/api/choices', choice('For the club', 'private', { actor: club.slug }), bob.auth)).status).toBe(403);
    // Settings list an invitation with accept and decline buttons (no JavaScript needed).
    await t.json('POST', `/api/actors/${club.slug}/representatives`, { email: 'bob@example.org' }, alice.auth);
    const settings = await (await t.request('/me/settings', { headers: bob.auth })).text();
    expect(settings).toMatch(/<form method="post" action="\/me\/invitations\/\d+"/);
  });
});

describe('one rule for every title', () => {
  it('makes titles one line in NFC and caps combining marks, in choices, pages, workshops, topics and charters', async () => {
    const t = await createTreeTestApp();
    const member = await t.userWithToken({ territory: 'town-a' });
    const facilitator = await t.userWithToken({ role: 'facilitator', territory: 'town-a' });
    const flood = `a${'\u0301'.repeat(190)}b`;
    const decomposed = 'Cafe\u0301 de\r\nbairro';
    const made = (await (await t.json('POST', '/api/choices', choice(flood, 'private'), member.auth)).json()) as Json;
    const capped = `\u00e1${'\u0301'.repeat(3)}b`;
    expect(made.title).toBe(capped);
    const lines = (await (await t.json('POST', '/api/choices', choice(decomposed, 'private'), member.auth)).json()) as Json;
    expect(lines.title).toBe('Café de bairro');
    const edited = (await (await t.json('PATCH', `/api/choices/${lines.id}`, { title: 'Two\nlines\u2028here' }, member.auth)).json()) as Json;
    expect(edited.title).toBe('Two lines here');
    await t.json('PUT', '/api/pages/flooded', { title: `${flood}\nsecond line`, markdown: 'x' }, member.auth);
    expect(((await (await t.request('/api/pages/flooded')).json()) as Json).title).toBe(`${capped} second line`);
    const topic = (await (await t.json('POST', '/api/topics', { title: decomposed }, member.auth)).json()) as Json;
    const topics = (await (await t.request('/api/topics')).json()) as Json;
    expect(topics.topics.find((x: Json) => x.id === topic.id).title).toBe('Café de bairro');
    const workshop = (await (await t.json('POST', '/api/workshops', { title: flood, startsAt: '2026-12-20T10:00', timeZone: 'Europe/Lisbon', durationMinutes: 60, languages: ['pt'] }, facilitator.auth)).json()) as Json;
    expect(workshop.title).toBe(capped);
    const charter = (await (await t.json('POST', '/api/charters', { title: decomposed, markdown: 'We agree.' }, facilitator.auth)).json()) as Json;
    expect(charter.title).toBe('Café de bairro');
    // A mark flood alone shows nothing and is refused.
    expect((await t.json('POST', '/api/choices', choice('\u0301'.repeat(50), 'private'), member.auth)).status).toBe(400);
  });
});

describe('summaries of large scopes while their words are analysed again', () => {
  it('serve the previous analysis, provisional and never kept, with no quote of a text changed since', async () => {
    const t = await createTreeTestApp();
    t.config.analysisWaitMs = 0;
    const people = await Promise.all(['Ana', 'Bruno', 'Carla'].map((name) => t.userWithToken({ name, territory: 'town-a' })));
    const ids: number[] = [];
    for (const [i, person] of people.entries()) {
      const res = await t.json('POST', '/api/choices', choice(`Cycling to the market ${i}`, 'public', { description: `We cycle to the market every Saturday, route ${i}.` }), person.auth);
      ids.push(((await res.json()) as Json).id);
    }
    const query = '/api/summaries?territory=town-a&from=2026-10-01&to=2026-10-31';
    const first = ((await (await t.request(query)).json()) as Json).qualitative;
    expect(first.provisional).toBe(false);
    expect(first.quotes.all.map((q: Json) => q.id)).toContain(`choice:${ids[0]}`);
    // A later edit: the answer comes at once from the previous analysis, without the changed choice's quote.
    t.clock.advance(1000);
    await t.json('PATCH', `/api/choices/${ids[0]}`, { visibility: 'private' }, people[0].auth);
    const meanwhile = ((await (await t.request(query)).json()) as Json).qualitative;
    if (meanwhile.provisional) expect(meanwhile.quotes.all.map((q: Json) => q.id)).not.toContain(`choice:${ids[0]}`);
    // Once the new analysis is in, it is what everyone gets (nothing kept the provisional answer).
    await new Promise((done) => setTimeout(done, 200));
    const after = ((await (await t.request(query)).json()) as Json).qualitative;
    expect(after.provisional).toBe(false);
    expect(JSON.stringify(after)).not.toContain(`choice:${ids[0]}`);
  });
});
