import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { countRows, createTestApp, type TestApp } from '../helpers.js';

type Json = Record<string, any>;

async function organiser(t: TestApp) {
  return t.userWithToken({ role: 'facilitator', name: 'Fatou Facilitator' });
}

async function create(t: TestApp, auth: Record<string, string>, body: Json) {
  const res = await t.json('POST', '/api/workshops', { durationMinutes: 120, languages: ['fr', 'en'], timeZone: 'Europe/Brussels', ...body }, auth);
  return { status: res.status, body: (await res.json()) as Json };
}

/** Events of an iCalendar text, as a real parser reads them. */
function parseEvents(ics: string) {
  const component = new ICAL.Component(ICAL.parse(ics));
  return component.getAllSubcomponents('vevent').map((v) => {
    const event = new ICAL.Event(v);
    return { summary: event.summary, start: event.startDate.toJSDate().toISOString(), end: event.endDate.toJSDate().toISOString(), location: event.location, properties: v.getAllProperties().map((p) => p.name) };
  });
}

// The 4th International Meeting of Territories of Co-responsibility (seed 003), "times shown are for Brussels".
const MEETING = '4th International Meeting of Territories of Co-responsibility';
const PROGRAMME = [
  { title: 'Opening session of the Meeting', startsAt: '2020-10-31T10:00', durationMinutes: 60, languages: ['fr', 'en', 'pt'] },
  { title: 'What good choices for public policies?', startsAt: '2020-10-31T11:00', durationMinutes: 120, languages: ['fr', 'en'] },
  { title: 'SPIRAL discovery workshop', startsAt: '2020-10-31T14:00', durationMinutes: 180, languages: ['fr', 'pt'] },
  { title: 'Agree on the right choices through professional co-development', startsAt: '2020-11-02T09:00', durationMinutes: 180, languages: ['fr', 'en'] },
  { title: 'Citizens for the climate', startsAt: '2020-11-02T15:00', durationMinutes: 120, languages: ['fr', 'pt'] },
  { title: 'TOGETHER General Assembly', startsAt: '2020-11-04T16:00', durationMinutes: 180, languages: ['fr', 'en'] },
];

describe('workshop times across zones', () => {
  it('places the Brussels programme on the right instants and reads it in Lisbon, Cape Verde and São Paulo, pages and .ics alike', async () => {
    const t = await createTestApp();
    const { auth } = await organiser(t);
    const ids: number[] = [];
    for (const item of PROGRAMME) {
      const { status, body } = await create(t, auth, { ...item, event: MEETING });
      expect(status, JSON.stringify(body)).toBe(201);
      ids.push(body.id);
    }
    const opening = (await (await t.request(`/api/workshops/${ids[0]}`)).json()) as Json;
    // 31 October 2020: Brussels is on winter time (UTC+1) since 25 October.
    expect(opening.startsAt).toBe('2020-10-31T09:00:00Z');
    expect(opening.organiserLocal).toMatchObject({ timeZone: 'Europe/Brussels', start: '2020-10-31T10:00', offset: '+01:00' });
    const readIn = async (tz: string) => ((await (await t.request(`/api/workshops?event=${encodeURIComponent(MEETING)}&tz=${tz}`)).json()) as Json);
    const lisbon = await readIn('Europe/Lisbon');
    expect(lisbon.timeZone).toBe('Europe/Lisbon');
    expect(lisbon.workshops.map((w: Json) => w.local.start)).toEqual(['2020-10-31T09:00', '2020-10-31T10:00', '2020-10-31T13:00', '2020-11-02T08:00', '2020-11-02T14:00', '2020-11-04T15:00']);
    expect((await readIn('Atlantic/Cape_Verde')).workshops[0].local).toMatchObject({ start: '2020-10-31T08:00', end: '2020-10-31T09:00', offset: '-01:00' });
    expect((await readIn('America/Sao_Paulo')).workshops[1].local).toMatchObject({ start: '2020-10-31T07:00', end: '2020-10-31T09:00', offset: '-03:00' });
    // The page names the reader's zone and shows the organiser's time alongside.
    const page = await (await t.request(`/workshops/${ids[1]}?tz=America/Sao_Paulo&lang=en`)).text();
    expect(page).toContain('America/Sao_Paulo');
    expect(page).toMatch(/07:00.{1,3}09:00/);
    expect(page).toMatch(/Organiser’s time: 11:00.{1,3}13:00 \(Europe\/Brussels\)/);
    // The programme groups by day in the reader's zone.
    const programme = await (await t.request(`/workshops/program?event=${encodeURIComponent(MEETING)}&tz=Atlantic/Cape_Verde&lang=en`)).text();
    expect(programme).toContain('Saturday, October 31, 2020');
    expect(programme).toContain('Monday, November 2, 2020');
    // .ics: instants in UTC, as a calendar app reads them.
    const ics = await t.request(`/api/workshops/${ids[1]}/calendar.ics`);
    expect(ics.headers.get('content-type')).toMatch(/text\/calendar/);
    const [event] = parseEvents(await ics.text());
    expect(event).toMatchObject({ summary: 'What good choices for public policies?', start: '2020-10-31T10:00:00.000Z', end: '2020-10-31T12:00:00.000Z' });
  });

  it('refuses wall times that do not exist or happen twice, unless told which, and unknown zones', async () => {
    const t = await createTestApp();
    const { auth } = await organiser(t);
    const gap = await create(t, auth, { title: 'Spring forward', startsAt: '2026-03-29T02:30' });
    expect(gap.status).toBe(400);
    expect(gap.body.error.issues[0]).toMatchObject({ path: 'startsAt' });
    expect(gap.body.error.issues[0].message).toMatch(/does not exist in Europe\/Brussels/);
    const twice = await create(t, auth, { title: 'Fall back', startsAt: '2026-10-25T02:30' });
    expect(twice.status).toBe(400);
    expect(twice.body.error.issues[0].message).toMatch(/happens twice/);
    const later = await create(t, auth, { title: 'Fall back, winter time', startsAt: '2026-10-25T02:30', disambiguation: 'later' });
    expect(later.body.startsAt).toBe('2026-10-25T01:30:00Z');
    const earlier = await create(t, auth, { title: 'Fall back, summer time', startsAt: '2026-10-25T02:30', disambiguation: 'earlier' });
    expect(earlier.body.startsAt).toBe('2026-10-25T00:30:00Z');
    expect((await create(t, auth, { title: 'Mars', startsAt: '2026-12-01T10:00', timeZone: 'Mars/Olympus' })).status).toBe(400);
    expect((await create(t, auth, { title: 'No such day', startsAt: '2026-02-30T10:00' })).status).toBe(400);
    // An instant is taken as it is, whatever the zone.
    expect((await create(t, auth, { title: 'Instant', startsAt: '2026-12-01T10:00:00+01:00', timeZone: 'America/Sao_Paulo' })).body.startsAt).toBe('2026-12-01T09:00:00Z');
    // An unknown zone to read in is refused, not silently replaced.
    const form = await t.request('/api/workshops?tz=Nowhere/Land');
    expect(form.status).toBe(400);
  });
});

describe('registration', () => {
  it('never overbooks under concurrent sign-ups, keeps one seat per person, and moves the waiting list up', async () => {
    const t = await createTestApp();
    const { auth } = await organiser(t);
    const { body: w } = await create(t, auth, { title: 'Small circle', startsAt: '2026-12-05T10:00', capacity: 5, joinUrl: 'https://meet.example.org/small-circle' });
    const people = await Promise.all(Array.from({ length: 30 }, (_, i) => t.userWithToken({ name: `Person ${i}` })));
    const results = await Promise.all(people.map((p) => t.request(`/api/workshops/${w.id}/registrations`, { method: 'POST', headers: p.auth })));
    const statuses: Json[] = await Promise.all(results.map(async (r) => ({ code: r.status, ...((await r.json()) as Json) })));
    expect(statuses.filter((s) => s.status === 'registered')).toHaveLength(5);
    expect(statuses.filter((s) => s.status === 'waiting')).toHaveLength(25);
    expect(statuses.every((s) => s.code === 201)).toBe(true);
    // Twice: same seat, nothing new.
    const first = people[statuses.findIndex((s) => s.status === 'registered')];
    const again = await t.request(`/api/workshops/${w.id}/registrations`, { method: 'POST', headers: first.auth });
    expect(again.status).toBe(200);
    expect(await countRows(t, 'registration')).toBe(30);
    const view = (await (await t.request(`/api/workshops/${w.id}`)).json()) as Json;
    expect(view).toMatchObject({ registered: 5, waiting: 25, seatsLeft: 0 });
    // Leaving gives the seat to the first in line.
    const firstWaiting = await t.db.selectFrom('registration').select('user_id').where('status', '=', 'waiting').orderBy('created_at').orderBy('user_id').executeTakeFirstOrThrow();
    expect((await t.request(`/api/workshops/${w.id}/registrations`, { method: 'DELETE', headers: first.auth })).status).toBe(204);
    const promoted = await t.db.selectFrom('registration').select('status').where('user_id', '=', firstWaiting.user_id).executeTakeFirstOrThrow();
    expect(promoted.status).toBe('registered');
    expect(await t.db.selectFrom('registration').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'registered').executeTakeFirstOrThrow()).toEqual({ n: 5 });
    // Each seat sent its join link through the outbox: five first, then the one who moved up.
    const mails = await t.db.selectFrom('outbox').selectAll().execute();
    expect(mails).toHaveLength(6);
    expect(mails.every((m) => m.body.includes('https://meet.example.org/small-circle'))).toBe(true);
  });

  it('shows the join link to registrants and the organiser only, never to others, anonymous readers or calendar files', async () => {
    const t = await createTestApp();
    const { auth: organiserAuth } = await organiser(t);
    const { body: w } = await create(t, organiserAuth, { title: 'Secret room', startsAt: '2026-12-06T10:00', capacity: 1, joinUrl: 'https://meet.example.org/secret-room' });
    const [inside, waiting, outsider] = await Promise.all([t.userWithToken(), t.userWithToken(), t.userWithToken()]);
    expect((await t.request(`/api/workshops/${w.id}/registrations`, { method: 'POST', headers: inside.auth })).status).toBe(201);
    expect((await (await t.request(`/api/workshops/${w.id}/registrations`, { method: 'POST', headers: waiting.auth })).json())).toEqual({ status: 'waiting' });
    const link = 'meet.example.org/secret-room';
    const body = async (path: string, headers: Record<string, string> = {}) => (await t.request(path, { headers })).text();
    for (const headers of [{}, outsider.auth, waiting.auth]) {
      expect(await body(`/api/workshops/${w.id}`, headers)).not.toContain(link);
      expect(await body('/api/workshops', headers)).not.toContain(link);
      expect(await body(`/workshops/${w.id}`, headers)).not.toContain(link);
      expect(await body(`/api/workshops/${w.id}/calendar.ics`, headers)).not.toContain(link);
      expect(await body(`/search?q=secret`, headers)).not.toContain(link);
    }
    expect(await body(`/api/workshops/${w.id}`, inside.auth)).toContain(link);
    expect(await body(`/workshops/${w.id}`, inside.auth)).toContain(link);
    expect(await body(`/api/workshops/${w.id}`, organiserAuth)).toContain(link);
    const privateIcs = await t.request(`/api/workshops/${w.id}/calendar.ics`, { headers: inside.auth });
    expect(await privateIcs.text()).toContain(link);
    expect(privateIcs.headers.get('cache-control')).toMatch(/no-store/);
    // Only the organiser sees who registered.
    expect((await t.request(`/api/workshops/${w.id}/registrations`, { headers: outsider.auth })).status).toBe(403);
    expect(((await (await t.request(`/api/workshops/${w.id}/registrations`, { headers: organiserAuth })).json()) as Json).registrations).toHaveLength(2);
  });

  it('asks who is acting and refuses what is not theirs', async () => {
    const t = await createTestApp();
    const member = await t.userWithToken();
    expect((await create(t, member.auth, { title: 'Not mine', startsAt: '2026-12-01T10:00' })).status).toBe(403);
    const { auth } = await organiser(t);
    const { body: past } = await create(t, auth, { title: 'Long ago', startsAt: '2020-10-31T10:00' });
    expect((await t.request(`/api/workshops/${past.id}/registrations`, { method: 'POST' })).status).toBe(401);
    expect((await t.request(`/api/workshops/${past.id}/registrations`, { method: 'POST', headers: member.auth })).status).toBe(409);
    expect((await t.json('PUT', `/api/workshops/${past.id}/conclusions`, { markdown: 'Mine now' }, member.auth)).status).toBe(403);
    expect((await t.json('PATCH', `/api/workshops/${past.id}`, { title: 'Hijacked' }, member.auth)).status).toBe(403);
    expect((await t.request('/api/workshops/999999')).status).toBe(404);
  });
});

describe('conclusions, filters and calendars', () => {
  it('keeps the conclusions as a wiki page with history, filters the list, and serves my private calendar feed', async () => {
    const t = await createTestApp();
    const { auth } = await organiser(t);
    const { body: w } = await create(t, auth, { title: 'Food and health', startsAt: '2026-12-07T16:00', theme: 'food', actorKind: 'school', languages: ['fr', 'pt'], joinUrl: 'https://meet.example.org/food' });
    await create(t, auth, { title: 'Local authorities', startsAt: '2026-12-08T10:00', theme: 'policies', languages: ['fr', 'en'] });
    const first = await t.json('PUT', `/api/workshops/${w.id}/conclusions`, { markdown: '# Conclusions\n\nSchool canteens buy **local**.' }, auth);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ path: `workshop/${w.slug}`, revision: 1 });
    expect(((await (await t.json('PUT', `/api/workshops/${w.id}/conclusions`, { markdown: 'Second thoughts.' }, auth)).json()) as Json).revision).toBe(2);
    const page = (await (await t.request(`/api/pages/workshop/${w.slug}`)).json()) as Json;
    expect(JSON.stringify(page)).toContain('Second thoughts.');
    const titles = async (query: string) => (((await (await t.request(`/api/workshops?${query}`)).json()) as Json).workshops as Json[]).map((x) => x.title);
    expect(await titles('lang=pt')).toEqual(['Food and health']);
    expect(await titles('theme=policies')).toEqual(['Local authorities']);
    expect(await titles('actorKind=school')).toEqual(['Food and health']);
    expect(await titles('when=upcoming')).toHaveLength(2);
    expect(await titles('when=past')).toEqual([]);
    expect(await titles('from=2026-12-08')).toEqual(['Local authorities']);
    // My calendar: a secret address, the workshops I registered for, with their links, never cached.
    const me = await t.userWithToken();
    await t.request(`/api/workshops/${w.id}/registrations`, { method: 'POST', headers: me.auth });
    const feed = (await (await t.request('/api/me/calendar-feed', { method: 'POST', headers: me.auth })).json()) as Json;
    const path = new URL(feed.url).pathname;
    const res = await t.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/private/);
    const events = parseEvents(await res.text());
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ summary: 'Food and health', start: '2026-12-07T15:00:00.000Z', location: 'https://meet.example.org/food' });
    // A new address retires the old one.
    await t.request('/api/me/calendar-feed', { method: 'POST', headers: me.auth });
    expect((await t.request(path)).status).toBe(404);
  });

  it('escapes titles so that a calendar file cannot be given extra properties', async () => {
    const t = await createTestApp();
    const { auth } = await organiser(t);
    const title = 'Evil; DTSTART:19700101T000000Z, ATTENDEE:mailto:x@example.org \\ end';
    const { body: w } = await create(t, auth, { title, startsAt: '2026-12-09T10:00', description: 'Line one\r\nATTENDEE:mailto:y@example.org\nLine three' });
    const text = await (await t.request(`/api/workshops/${w.id}/calendar.ics`)).text();
    const [event] = parseEvents(text);
    expect(event.summary).toBe(title);
    expect(event.start).toBe('2026-12-09T09:00:00.000Z');
    expect(event.properties).not.toContain('attendee');
    expect(text.split(/\r\n/).filter((line) => /^(DTSTART|ATTENDEE)/.test(line))).toHaveLength(1);
    // Line breaks in a title become spaces: no event can be smuggled into the calendar.
    const { body: smuggler } = await create(t, auth, { title: 'Real\r\nBEGIN:VEVENT\r\nSUMMARY:Fake\r\nEND:VEVENT', startsAt: '2026-12-10T10:00' });
    const events = parseEvents(await (await t.request(`/api/workshops/${smuggler.id}/calendar.ics`)).text());
    expect(events).toHaveLength(1);
    expect(events[0].summary).toBe('Real BEGIN:VEVENT SUMMARY:Fake END:VEVENT');
  });

  it('refuses offsets and junk as reading zones without failing, wherever they come from', async () => {
    const t = await createTestApp();
    const { auth } = await organiser(t);
    const { body: w } = await create(t, auth, { title: 'Zones', startsAt: '2026-12-10T10:00' });
    expect((await create(t, auth, { title: 'Offset zone', startsAt: '2026-12-10T10:00', timeZone: '+01:00' })).status).toBe(400);
    expect((await t.request('/api/workshops?tz=%2B01:00')).status).toBe(400);
    for (const path of [`/workshops/${w.id}?tz=-05:30`, '/workshops?tz=%2B0100', `/workshops/program?event=x&tz=%2B01:00`]) {
      expect((await t.request(path)).status, path).not.toBe(500);
    }
    const withCookie = await t.request(`/workshops/${w.id}`, { headers: { Cookie: 'tz=%2B01%3A00' } });
    expect(withCookie.status).toBe(200);
    expect(await withCookie.text()).toContain('Europe/Brussels');
  });

  it('lists the workshops a territory held in its six-month assessment', async () => {
    const t = await createTestApp();
    const admin = await t.userWithToken({ role: 'admin' });
    expect((await t.json('POST', '/api/territories', { slug: 'sines', name: 'Sines', kind: 'municipality' }, admin.auth)).status).toBe(201);
    const { auth } = await organiser(t);
    const { body: held } = await create(t, auth, { title: 'Held in Sines', startsAt: '2026-10-10T10:00', territory: 'sines', timeZone: 'Europe/Lisbon' });
    await create(t, auth, { title: 'Elsewhere', startsAt: '2026-10-11T10:00' });
    await create(t, auth, { title: 'Not yet', startsAt: '2026-12-10T10:00', territory: 'sines' });
    const res = await t.json('POST', '/api/assessments', { territory: 'sines', from: '2026-06-01', to: '2026-11-30' }, admin.auth);
    expect(res.status, await res.clone().text()).toBe(201);
    const assessment = (await (await t.request(`/api/assessments/${((await res.json()) as Json).id}`)).json()) as Json;
    expect(assessment.activities.workshopsHeld.map((w: Json) => w.id)).toEqual([held.id]);
  });
});
