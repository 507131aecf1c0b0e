import { z } from 'zod';
import type { ApiRoutes } from '../../http/api-route.js';
import { idOf } from './ids.js';
import { createCharter, decide, decideAmendment, getCharter, joinCharter, listCharters, proposeAmendment, proposeVersion, signCharter } from '../../services/charters.js';
import { AmendmentBody, AmendmentDecisionBody, ApprovalBody, CharterBody, CharterVersionBody, SignatureBody } from './schemas.js';

export function charterRoutes(api: ApiRoutes) {
  api.add({
    method: 'get', path: '/api/charters', tag: 'charters', summary: 'Charters, newest activity first', query: z.object({ status: z.enum(['draft', 'adopted']).optional(), workshop: z.coerce.number().int().min(1).optional() }),
    responses: { 200: { description: '{charters}' } },
  }, async (c, { query }) => c.json({ charters: await listCharters(c.get('deps'), query) }));

  api.add({
    method: 'post', path: '/api/charters', tag: 'charters', auth: true, body: CharterBody,
    summary: 'Draft a charter, usually from a workshop’s conclusions; its registrants become participants',
    responses: { 201: { description: 'Charter' }, 403: { description: 'Not a facilitator' } },
  }, async (c, { body }) => {
    const id = await createCharter(c.get('deps'), c.get('viewer'), body);
    return c.json(await getCharter(c.get('deps'), c.get('viewer'), id), 201);
  });

  api.add({
    method: 'get', path: '/api/charters/{id}', tag: 'charters', summary: 'A charter: status, current version (or ?version=), diff with the previous one, participants and their decisions, amendments, signatories',
    query: z.object({ version: z.coerce.number().int().min(1).optional() }),
    responses: { 200: { description: 'Charter' }, 404: { description: 'Unknown charter or version' } },
  }, async (c, { params, query }) => c.json(await getCharter(c.get('deps'), c.get('viewer'), idOf(params.id), query.version)));

  api.add({
    method: 'post', path: '/api/charters/{id}/versions', tag: 'charters', auth: true, body: CharterVersionBody,
    summary: 'A new version (the drafter): earlier approvals no longer count and participants are told',
    responses: { 201: { description: 'Charter' }, 403: { description: 'Not the drafter' }, 409: { description: 'Adopted: read-only' } },
  }, async (c, { params, body }) => {
    await proposeVersion(c.get('deps'), c.get('viewer'), idOf(params.id), body);
    return c.json(await getCharter(c.get('deps'), c.get('viewer'), idOf(params.id)), 201);
  });

  api.add({
    method: 'post', path: '/api/charters/{id}/participants', tag: 'charters', auth: true, summary: 'Join the charter as a participant (then it needs your approval too)',
    responses: { 201: { description: 'Charter' }, 409: { description: 'Adopted' } },
  }, async (c, { params }) => {
    await joinCharter(c.get('deps'), c.get('viewer'), idOf(params.id));
    return c.json(await getCharter(c.get('deps'), c.get('viewer'), idOf(params.id)), 201);
  });

  api.add({
    method: 'post', path: '/api/charters/{id}/amendments', tag: 'charters', auth: true, body: AmendmentBody,
    summary: 'Propose an amendment: the text as you would have it, and why (participants)',
    responses: { 201: { description: '{id}' }, 403: { description: 'Not a participant' } },
  }, async (c, { params, body }) => c.json({ id: await proposeAmendment(c.get('deps'), c.get('viewer'), idOf(params.id), body) }, 201));

  api.add({
    method: 'post', path: '/api/charters/{id}/amendments/{amendmentId}/decision', tag: 'charters', auth: true, body: AmendmentDecisionBody,
    summary: 'Accept (a new version) or decline with a reason (the drafter)',
    responses: { 200: { description: '{version}' }, 400: { description: 'Declined without a reason' }, 403: { description: 'Not the drafter' }, 409: { description: 'Already decided' } },
  }, async (c, { params, body }) => c.json(await decideAmendment(c.get('deps'), c.get('viewer'), idOf(params.id), idOf(params.amendmentId), body)));

  api.add({
    method: 'post', path: '/api/charters/{id}/approvals', tag: 'charters', auth: true, body: ApprovalBody,
    summary: 'Approve or object to one exact version (an objection says why); adopted when every participant approved the current version',
    responses: { 200: { description: '{status}' }, 400: { description: 'Objection without a reason' }, 403: { description: 'Not a participant' }, 409: { description: 'Not the current version, or already adopted' } },
  }, async (c, { params, body }) => c.json(await decide(c.get('deps'), c.get('viewer'), idOf(params.id), body)));

  api.add({
    method: 'post', path: '/api/charters/{id}/signatures', tag: 'charters', auth: true, body: SignatureBody,
    summary: 'Sign an adopted charter for yourself or for an actor you represent',
    responses: { 201: { description: 'Charter' }, 409: { description: 'Not adopted yet' } },
  }, async (c, { params, body }) => {
    await signCharter(c.get('deps'), c.get('viewer'), idOf(params.id), body.actor);
    return c.json(await getCharter(c.get('deps'), c.get('viewer'), idOf(params.id)), 201);
  });
}
