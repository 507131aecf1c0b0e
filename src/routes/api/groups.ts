import { z } from 'zod';
import type { ApiRoutes } from '../../http/api-route.js';
import { idOf } from './ids.js';
import { answerInvitation, createActor, inviteRepresentative, myActors, myInvitations } from '../../services/actors.js';
import { addGroupMember, addGroupSession, addStatement, createGroup, correctStatementLanguage, deleteStatement, getGroup, listGroups, listStatements, updateGroup } from '../../services/groups.js';
import { listIndicators, putIndicator } from '../../services/indicators.js';
import { GROUP_KINDS } from '../../services/groups.js';
import {
  ActorBody, InvitationDecisionBody, GroupBody, GroupMemberBody, GroupPatchBody, GroupSessionBody, IndicatorBody, LangQuery, RepresentativeBody, SlugSchema, StatementBody, StatementPatchBody, StatementQuery,
} from './schemas.js';

export function groupRoutes(api: ApiRoutes) {
  api.add({
    method: 'get', path: '/api/groups', tag: 'groups', summary: 'SPIRAL groups, optionally of one territory (children included) or kind',
    query: z.object({ territory: SlugSchema.optional(), kind: z.enum(GROUP_KINDS).optional() }),
    responses: { 200: { description: '{groups}' } },
  }, async (c, { query }) => c.json({ groups: await listGroups(c.get('deps'), query) }));

  api.add({
    method: 'post', path: '/api/groups', tag: 'groups', summary: 'Create a homogeneous, coordination or mixed group (facilitators, admins, coordinators of the territory)', auth: true, body: GroupBody,
    responses: { 201: { description: 'Group' }, 403: { description: 'Not a facilitator or coordinator here' } },
  }, async (c, { body }) => {
    const id = await createGroup(c.get('deps'), c.get('viewer'), body);
    return c.json(await getGroup(c.get('deps'), c.get('viewer'), id), 201);
  });

  api.add({
    method: 'get', path: '/api/groups/{id}', tag: 'groups', summary: 'A group with its members and sessions',
    responses: { 200: { description: 'Group' }, 404: { description: 'Unknown group' } },
  }, async (c, { params }) => c.json(await getGroup(c.get('deps'), c.get('viewer'), idOf(params.id))));

  api.add({
    method: 'patch', path: '/api/groups/{id}', tag: 'groups', summary: 'Rename a group or change its profile (its facilitators)', auth: true, body: GroupPatchBody,
    responses: { 200: { description: 'Group' } },
  }, async (c, { params, body }) => {
    await updateGroup(c.get('deps'), c.get('viewer'), idOf(params.id), body);
    return c.json(await getGroup(c.get('deps'), c.get('viewer'), idOf(params.id)));
  });

  api.add({
    method: 'post', path: '/api/groups/{id}/members', tag: 'groups', summary: 'Add a member (by actor slug or account email), or make them facilitator', auth: true, body: GroupMemberBody,
    responses: { 201: { description: 'Group' } },
  }, async (c, { params, body }) => c.json(await addGroupMember(c.get('deps'), c.get('viewer'), idOf(params.id), body), 201));

  api.add({
    method: 'post', path: '/api/groups/{id}/sessions', tag: 'groups', summary: 'Add a session date', auth: true, body: GroupSessionBody,
    responses: { 201: { description: 'Group' } },
  }, async (c, { params, body }) => c.json(await addGroupSession(c.get('deps'), c.get('viewer'), idOf(params.id), body), 201));

  api.add({
    method: 'post', path: '/api/groups/{id}/statements', tag: 'groups', summary: 'Record a statement answering one of the four SPIRAL questions (one idea per statement)', auth: true, body: StatementBody,
    responses: { 201: { description: 'Statement' }, 403: { description: 'Not a facilitator of this group' } },
  }, async (c, { params, body }) => c.json(await addStatement(c.get('deps'), c.get('viewer'), idOf(params.id), body, c.get('locale')), 201));

  api.add({
    method: 'get', path: '/api/groups/{id}/statements', tag: 'groups', summary: 'Statements of a group, optionally for one question or dimension', query: StatementQuery,
    responses: { 200: { description: '{statements}' } },
  }, async (c, { params, query }) => c.json({ statements: await listStatements(c.get('deps'), idOf(params.id), query.lang ?? c.get('locale'), query) }));

  api.add({
    method: 'delete', path: '/api/groups/{id}/statements/{statementId}', tag: 'groups', summary: 'Remove a statement (its facilitators)', auth: true,
    responses: { 204: { description: 'Removed' } },
  }, async (c, { params }) => {
    await deleteStatement(c.get('deps'), c.get('viewer'), idOf(params.id), idOf(params.statementId));
    return c.body(null, 204);
  });

  api.add({
    method: 'patch', path: '/api/groups/{id}/statements/{statementId}', tag: 'groups', summary: 'Correct the language of a statement (its facilitators)', auth: true, body: StatementPatchBody,
    responses: { 204: { description: 'Corrected' }, 404: { description: 'Unknown group or statement' } },
  }, async (c, { params, body }) => {
    await correctStatementLanguage(c.get('deps'), c.get('viewer'), idOf(params.id), idOf(params.statementId), body.lang);
    return c.body(null, 204);
  });

  api.add({
    method: 'get', path: '/api/territories/{slug}/indicators', tag: 'indicators', summary: 'Progress indicators of a territory: descriptors, current level, history', query: LangQuery,
    responses: { 200: { description: '{territory, scale, indicators}' }, 404: { description: 'Unknown territory' } },
  }, async (c, { params, query }) => c.json(await listIndicators(c.get('deps'), params.slug, query.lang ?? c.get('locale'))));

  api.add({
    method: 'put', path: '/api/territories/{slug}/indicators/{code}', tag: 'indicators',
    summary: 'Write the five level descriptors and/or record a rating (level 1–5, date, ex-ante or ex-post); coordinators of the territory', auth: true, body: IndicatorBody,
    responses: { 200: { description: 'Indicator' }, 403: { description: 'Not a coordinator here' } },
  }, async (c, { params, body }) => c.json(await putIndicator(c.get('deps'), c.get('viewer'), params.slug, params.code, body, c.get('locale'))));

  api.add({
    method: 'get', path: '/api/me/actors', tag: 'accounts', summary: 'Actors I act for (myself first, then organisations)', auth: true,
    responses: { 200: { description: '{actors}' } },
  }, async (c) => c.json({ actors: await myActors(c.get('deps'), c.get('viewer')) }));

  api.add({
    method: 'post', path: '/api/actors', tag: 'accounts', summary: 'Create an organisation (or other actor) that I represent and can log choices for', auth: true, body: ActorBody,
    responses: { 201: { description: 'Actor' } },
  }, async (c, { body }) => c.json(await createActor(c.get('deps'), c.get('viewer'), body), 201));

  api.add({
    method: 'post', path: '/api/actors/{slug}/representatives', tag: 'accounts', auth: true, body: RepresentativeBody,
    summary: 'Invite someone to act for this actor too (its representatives): the person accepts or declines; the answer is the same whether an account uses the address or not',
    responses: { 202: { description: 'Invitation sent if an account uses this address' }, 403: { description: 'Not a representative of this actor' } },
  }, async (c, { params, body }) => {
    await inviteRepresentative(c.get('deps'), c.get('viewer'), params.slug, body.email);
    return c.json({ message: 'If an account uses this address, its owner has been invited to act for this actor.' }, 202);
  });

  api.add({
    method: 'get', path: '/api/me/invitations', tag: 'accounts', summary: 'Invitations to represent an actor, waiting for my answer', auth: true,
    responses: { 200: { description: 'Invitations' } },
  }, async (c) => c.json({ invitations: await myInvitations(c.get('deps'), c.get('viewer')) }));

  api.add({
    method: 'post', path: '/api/me/invitations/{id}', tag: 'accounts', summary: 'Accept or decline an invitation to represent an actor', auth: true, body: InvitationDecisionBody,
    responses: { 200: { description: 'Answered' }, 404: { description: 'No such invitation for me' } },
  }, async (c, { params, body }) => c.json(await answerInvitation(c.get('deps'), c.get('viewer'), idOf(params.id), body.decision)));
}
