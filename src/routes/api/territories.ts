import type { ApiRoutes } from '../../http/api-route.js';
import { createTerritory, getTerritory, listTerritories } from '../../services/territories.js';
import { listMembers, decideMembership } from '../../services/memberships.js';
import { MemberDecisionBody, MemberQuery, TerritoryBody } from './schemas.js';

export function territoryRoutes(api: ApiRoutes) {
  api.add({
    method: 'get', path: '/api/territories', tag: 'territories', summary: 'Every territory, in tree order',
    responses: { 200: { description: 'Territories' } },
  }, async (c) => c.json({ territories: await listTerritories(c.get('deps')) }));

  api.add({
    method: 'post', path: '/api/territories', tag: 'territories', summary: 'Create a territory and its page (admins, coordinators inside their territory)', auth: true, body: TerritoryBody,
    responses: { 201: { description: 'Created' }, 409: { description: 'Slug taken' } },
  }, async (c, { body }) => {
    const territory = await createTerritory(c.get('deps'), c.get('viewer'), body);
    return c.json({ slug: territory.slug, name: territory.name, kind: territory.kind, parent: body.parent ?? null, page: `territory/${territory.slug}` }, 201);
  });

  api.add({
    method: 'get', path: '/api/territories/{slug}', tag: 'territories', summary: 'One territory with its parent, children and coordinators',
    responses: { 200: { description: 'Territory' }, 404: { description: 'Unknown territory' } },
  }, async (c, { params }) => {
    const t = await getTerritory(c.get('deps'), params.slug);
    return c.json({
      slug: t.territory.slug, name: t.territory.name, kind: t.territory.kind, parent: t.parent?.slug ?? null,
      ancestors: t.ancestors, children: t.children, coordinators: t.coordinators, memberCount: t.memberCount, page: t.pagePath, createdAt: t.territory.created_at,
    });
  });

  api.add({
    method: 'get', path: '/api/territories/{slug}/members', tag: 'territories', query: MemberQuery, auth: true,
    summary: 'Members of a territory, or (status=pending) those waiting to be accepted (coordinators of it or above, admins)',
    responses: { 200: { description: 'Members' }, 403: { description: 'Not a coordinator of this territory' } },
  }, async (c, { params, query }) => c.json({ members: await listMembers(c.get('deps'), c.get('viewer'), params.slug, query.status ?? 'active') }));

  api.add({
    method: 'post', path: '/api/territories/{slug}/members/{actor}/decision', tag: 'territories', body: MemberDecisionBody, auth: true,
    summary: 'Accept a pending member (approve), or decline a request or remove a member (decline): coordinators of the territory or above, admins',
    responses: { 200: { description: 'Decided' }, 403: { description: 'Not a coordinator of this territory' }, 404: { description: 'No such member' } },
  }, async (c, { params, body }) => c.json(await decideMembership(c.get('deps'), c.get('viewer'), params.slug, params.actor, body.decision)));
}
