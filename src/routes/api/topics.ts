import { z } from 'zod';
import type { ApiRoutes } from '../../http/api-route.js';
import { idOf } from './ids.js';
import { readerZone } from '../../http/reader-zone.js';
import { listTopics, markInterest, proposeTopic, topicToWorkshop } from '../../services/topics.js';
import { getWorkshop } from '../../services/workshops.js';
import { TopicBody, TopicWorkshopBody } from './schemas.js';

export function topicRoutes(api: ApiRoutes) {
  api.add({
    method: 'get', path: '/api/topics', tag: 'topics', summary: 'Open-space topics, most wanted first (open by default; scheduled ones link their workshop)',
    query: z.object({ status: z.enum(['open', 'scheduled', 'all']).optional() }),
    responses: { 200: { description: '{topics}' } },
  }, async (c, { query }) => c.json({ topics: await listTopics(c.get('deps'), c.get('viewer'), query.status ?? 'open') }));

  api.add({
    method: 'post', path: '/api/topics', tag: 'topics', auth: true, body: TopicBody, summary: 'Propose a topic for the next meetings (it counts your interest)',
    responses: { 201: { description: '{id}' } },
  }, async (c, { body }) => c.json({ id: await proposeTopic(c.get('deps'), c.get('viewer'), body) }, 201));

  api.add({
    method: 'post', path: '/api/topics/{id}/interest', tag: 'topics', auth: true, summary: 'Mark my interest (once: again changes nothing)',
    responses: { 200: { description: '{interest}' } },
  }, async (c, { params }) => c.json({ interest: await markInterest(c.get('deps'), c.get('viewer'), idOf(params.id)) }));

  api.add({
    method: 'delete', path: '/api/topics/{id}/interest', tag: 'topics', auth: true, summary: 'Withdraw my interest',
    responses: { 200: { description: '{interest}' } },
  }, async (c, { params }) => c.json({ interest: await markInterest(c.get('deps'), c.get('viewer'), idOf(params.id), false) }));

  api.add({
    method: 'post', path: '/api/topics/{id}/workshop', tag: 'topics', auth: true, body: TopicWorkshopBody,
    summary: 'Turn a topic into a workshop (organisers): its title and description unless given',
    responses: { 201: { description: 'Workshop' }, 409: { description: 'Already a workshop' } },
  }, async (c, { params, body }) => {
    const id = await topicToWorkshop(c.get('deps'), c.get('viewer'), idOf(params.id), body);
    return c.json(await getWorkshop(c.get('deps'), c.get('viewer'), id, readerZone(c).zone), 201);
  });
}
