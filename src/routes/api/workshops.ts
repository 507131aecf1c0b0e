import type { ApiRoutes } from '../../http/api-route.js';
import { idOf } from './ids.js';
import { invalid } from '../../errors.js';
import { readerZone } from '../../http/reader-zone.js';
import {
  createWorkshop, getWorkshop, listRegistrations, listWorkshops, register, renewCalendarFeed, saveConclusions, unregister, updateWorkshop, workshopsCalendar, myWorkshops,
} from '../../services/workshops.js';
import { requireViewer } from '../../http/guards.js';
import { publicOrigin } from '../origin.js';
import { ConclusionsBody, WorkshopBody, WorkshopPatchBody, WorkshopQuery } from './schemas.js';

const ICS = { 'Content-Type': 'text/calendar; charset=utf-8' };

export function workshopRoutes(api: ApiRoutes) {
  api.add({
    method: 'get', path: '/api/workshops', tag: 'workshops', query: WorkshopQuery,
    summary: 'Workshops (upcoming or past, by period, language, theme, actor kind, territory, event), times also in the reader’s zone (tz, else profile zone)',
    responses: { 200: { description: '{timeZone, workshops}' }, 400: { description: 'Unknown time zone' } },
  }, async (c, { query }) => {
    const { zone, refused } = readerZone(c);
    if (refused && !zone) throw invalid('Unknown time zone: use an IANA name such as Europe/Brussels.', [{ path: 'tz', message: 'issue.timeZone' }]);
    return c.json({ timeZone: zone, workshops: await listWorkshops(c.get('deps'), c.get('viewer'), query, zone) });
  });

  api.add({
    method: 'post', path: '/api/workshops', tag: 'workshops', auth: true, body: WorkshopBody,
    summary: 'Create a workshop (facilitators, coordinators, admins); the start is a wall time in timeZone, or an instant',
    responses: { 201: { description: 'Workshop' }, 400: { description: 'Invalid, including a wall time that does not exist or happens twice' }, 403: { description: 'Not an organiser' } },
  }, async (c, { body }) => {
    const id = await createWorkshop(c.get('deps'), c.get('viewer'), body);
    return c.json(await getWorkshop(c.get('deps'), c.get('viewer'), id, readerZone(c).zone), 201);
  });

  api.add({
    method: 'get', path: '/api/workshops/{id}', tag: 'workshops', summary: 'A workshop; its join link only for registered participants and the organiser',
    responses: { 200: { description: 'Workshop' }, 404: { description: 'Unknown workshop' } },
  }, async (c, { params }) => c.json(await getWorkshop(c.get('deps'), c.get('viewer'), idOf(params.id), readerZone(c).zone)));

  api.add({
    method: 'patch', path: '/api/workshops/{id}', tag: 'workshops', auth: true, body: WorkshopPatchBody,
    summary: 'Change a workshop (its organiser, admins); more seats move people up from the waiting list',
    responses: { 200: { description: 'Workshop' }, 403: { description: 'Not the organiser' } },
  }, async (c, { params, body }) => {
    await updateWorkshop(c.get('deps'), c.get('viewer'), idOf(params.id), body);
    return c.json(await getWorkshop(c.get('deps'), c.get('viewer'), idOf(params.id), readerZone(c).zone));
  });

  api.add({
    method: 'post', path: '/api/workshops/{id}/registrations', tag: 'workshops', auth: true,
    summary: 'Register (a seat, or the waiting list when full); registering again changes nothing',
    responses: { 201: { description: '{status}' }, 200: { description: 'Already registered: {status}' }, 409: { description: 'The workshop is over' } },
  }, async (c, { params }) => {
    const result = await register(c.get('deps'), c.get('viewer'), idOf(params.id));
    return c.json({ status: result.status }, result.created ? 201 : 200);
  });

  api.add({
    method: 'delete', path: '/api/workshops/{id}/registrations', tag: 'workshops', auth: true,
    summary: 'Unregister (the first on the waiting list takes the seat)',
    responses: { 204: { description: 'Unregistered' } },
  }, async (c, { params }) => {
    await unregister(c.get('deps'), c.get('viewer'), idOf(params.id));
    return c.body(null, 204);
  });

  api.add({
    method: 'get', path: '/api/workshops/{id}/registrations', tag: 'workshops', auth: true, summary: 'Who registered (the organiser, admins)',
    responses: { 200: { description: '{registrations}' }, 403: { description: 'Not the organiser' } },
  }, async (c, { params }) => c.json({ registrations: await listRegistrations(c.get('deps'), c.get('viewer'), idOf(params.id)) }));

  api.add({
    method: 'get', path: '/api/workshops/{id}/calendar.ics', tag: 'workshops', summary: 'The workshop as an iCalendar file (UTC instants; the join link only for registrants)',
    responses: { 200: { description: 'text/calendar' } },
  }, async (c, { params }) => {
    const workshop = await getWorkshop(c.get('deps'), c.get('viewer'), idOf(params.id), null);
    c.header('Content-Disposition', `attachment; filename="workshop-${workshop.id}.ics"`);
    if (workshop.joinUrl) c.header('Cache-Control', 'private, no-store');
    return c.body(workshopsCalendar(c.get('deps'), workshop.title, [workshop]), 200, ICS);
  });

  api.add({
    method: 'put', path: '/api/workshops/{id}/conclusions', tag: 'workshops', auth: true, body: ConclusionsBody,
    summary: 'Write the conclusions: the wiki page workshop/<slug>, with history and comments (the organiser)',
    responses: { 200: { description: '{path, revision}' }, 403: { description: 'Not the organiser' } },
  }, async (c, { params, body }) => c.json(await saveConclusions(c.get('deps'), c.get('viewer'), idOf(params.id), body.markdown, body.summary)));

  api.add({
    method: 'get', path: '/api/me/workshops', tag: 'workshops', auth: true, summary: 'The workshops I registered for or wait for',
    responses: { 200: { description: '{workshops}' } },
  }, async (c) => c.json({ workshops: await myWorkshops(c.get('deps'), requireViewer(c), readerZone(c).zone) }));

  api.add({
    method: 'post', path: '/api/me/calendar-feed', tag: 'workshops', auth: true,
    summary: 'A new secret address for my calendar feed of workshops (the previous one stops working)',
    responses: { 201: { description: '{url}' } },
  }, async (c) => {
    const token = await renewCalendarFeed(c.get('deps'), c.get('viewer'));
    return c.json({ url: `${publicOrigin(c)}/feeds/calendar/${token}.ics` }, 201);
  });
}
