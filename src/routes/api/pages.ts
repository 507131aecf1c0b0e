import { z } from 'zod';
import type { Context } from 'hono';
import type { ApiRoutes } from '../../http/api-route.js';
import type { AppEnv } from '../../http/env.js';
import {
  addComment, backlinks, diffRevisions, getPage, pageValidator, listComments, listRevisions, pagePermissions, recentChanges, revertPage, savePage, setPageProtection,
} from '../../services/pages.js';
import { toPagePath } from '../../services/page-paths.js';
import { CommentBody, PageBody, PageQuery, ProtectBody, RevertBody } from './schemas.js';

const PATH = { path: 'Page path, slashes allowed (e.g. territory/bars-a, community-garden)' };
const pathOf = (c: Context<AppEnv>) => c.req.param('path') ?? '';

export function pageRoutes(api: ApiRoutes) {
  api.add({
    method: 'get', path: '/api/recent-changes', tag: 'pages', summary: 'Latest revisions across the wiki',
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), before: z.string().max(40).optional(), territory: z.string().max(60).optional() }),
    responses: { 200: { description: 'Changes, newest first' } },
  }, async (c, { query }) => {
    const changes = await recentChanges(c.get('deps'), { limit: query.limit, before: query.before, territorySlug: query.territory });
    return c.json({
      changes: changes.map((ch) => ({ path: ch.path, title: ch.title, revision: ch.number, summary: ch.summary, author: ch.author, createdAt: ch.created_at, size: ch.size })),
      nextBefore: changes.length === query.limit ? changes[changes.length - 1].created_at : null,
    });
  });

  api.add({
    method: 'get', path: '/api/pages/{path}/revisions', honoPath: '/api/pages/:path{.+}/revisions', params: PATH, tag: 'pages', summary: 'Revision history, newest first', query: PageQuery,
    responses: { 200: { description: 'Revisions' }, 404: { description: 'No such page' } },
  }, async (c, { query }) => {
    const { page, revisions, nextBefore } = await listRevisions(c.get('deps'), pathOf(c), query);
    return c.json({
      path: page.path, title: page.title, currentRevision: page.current_revision, nextBefore,
      revisions: revisions.map((r) => ({ revision: r.number, title: r.title, summary: r.summary, author: r.author, createdAt: r.created_at, size: r.size, revertedTo: r.reverted_to })),
    });
  });

  api.add({
    method: 'get', path: '/api/pages/{path}/diff', honoPath: '/api/pages/:path{.+}/diff', params: PATH, tag: 'pages', summary: 'Word-level diff between two revisions',
    query: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
    responses: { 200: { description: 'Diff parts: added, removed, same' }, 404: { description: 'No such page or revision' } },
  }, async (c, { query }) => {
    const d = await diffRevisions(c.get('deps'), pathOf(c), query.from, query.to);
    const meta = (r: typeof d.from) => ({ revision: r.number, title: r.title, summary: r.summary, author: r.author, createdAt: r.created_at });
    return c.json({ path: d.page.path, from: meta(d.from), to: meta(d.to), parts: d.parts, stats: d.stats, titleChanged: d.titleChanged });
  });

  api.add({
    method: 'post', path: '/api/pages/{path}/revert', honoPath: '/api/pages/:path{.+}/revert', params: PATH, tag: 'pages', summary: 'Restore an earlier revision as a new one', auth: true, body: RevertBody,
    responses: { 200: { description: 'Reverted' }, 404: { description: 'No such page or revision' }, 409: { description: 'Already current' } },
  }, async (c, { body }) => c.json(await revertPage(c.get('deps'), c.get('viewer'), pathOf(c), body.revision)));

  api.add({
    method: 'get', path: '/api/pages/{path}/backlinks', honoPath: '/api/pages/:path{.+}/backlinks', params: PATH, tag: 'pages', summary: 'Pages that link here',
    responses: { 200: { description: 'Backlinks' } },
  }, async (c) => c.json({ path: toPagePath(pathOf(c)), backlinks: await backlinks(c.get('deps'), pathOf(c)) }));

  api.add({
    method: 'get', path: '/api/pages/{path}/comments', honoPath: '/api/pages/:path{.+}/comments', params: PATH, tag: 'pages', summary: 'Talk: comments on a page',
    responses: { 200: { description: 'Comments, oldest first' } },
  }, async (c) => {
    const comments = await listComments(c.get('deps'), pathOf(c));
    return c.json({ comments: comments.map((cm) => ({ id: cm.id, markdown: cm.markdown, html: cm.html, author: cm.author, createdAt: cm.created_at })) });
  });

  api.add({
    method: 'post', path: '/api/pages/{path}/comments', honoPath: '/api/pages/:path{.+}/comments', params: PATH, tag: 'pages', summary: 'Comment on a page', auth: true, body: CommentBody,
    responses: { 201: { description: 'Comment added' } },
  }, async (c, { body }) => c.json(await addComment(c.get('deps'), c.get('viewer'), pathOf(c), body.markdown), 201));

  api.add({
    method: 'put', path: '/api/pages/{path}/protect', honoPath: '/api/pages/:path{.+}/protect', params: PATH, tag: 'pages', summary: 'Protect or unprotect a page, saying why (admins; coordinators of the page’s territory or one above it; personal pages: admins only)', auth: true, body: ProtectBody,
    responses: { 200: { description: 'Protection set' } },
  }, async (c, { body }) => c.json(await setPageProtection(c.get('deps'), c.get('viewer'), pathOf(c), body.protected, body.reason)));

  api.add({
    method: 'get', path: '/api/pages/{path}', honoPath: '/api/pages/:path{.+}', params: PATH, tag: 'pages', summary: 'A page (current revision, or ?revision=N)',
    query: z.object({ revision: z.coerce.number().int().min(1).optional() }),
    responses: { 200: { description: 'Page' }, 404: { description: 'No such page' } },
  }, async (c, { query }) => {
    const { page, revision } = await getPage(c.get('deps'), pathOf(c), query.revision);
    const can = await pagePermissions(c.get('deps'), c.get('viewer'), page.path, page);
    const validator = pageValidator(c.get('deps'), page.id, revision.number, can);
    if (validator) c.header('ETag', validator);
    return c.json({
      path: page.path, title: revision.title, markdown: revision.markdown, html: revision.html, revision: revision.number,
      currentRevision: page.current_revision, namespace: page.namespace, protected: Boolean(page.protected),
      updatedAt: revision.created_at, author: revision.author, summary: revision.summary,
      permissions: { edit: can.edit, revert: can.revert, protect: can.protect, comment: can.comment },
    });
  });

  api.add({
    method: 'put', path: '/api/pages/{path}', honoPath: '/api/pages/:path{.+}', params: PATH, tag: 'pages', summary: 'Create or edit a page; a stale baseRevision gets 409 edit_conflict', auth: true, body: PageBody,
    responses: { 200: { description: 'Saved (or unchanged)' }, 201: { description: 'Created' }, 409: { description: 'edit_conflict: someone saved since baseRevision' }, 413: { description: 'Page over 512 KB' } },
  }, async (c, { body }) => {
    const result = await savePage(c.get('deps'), c.get('viewer'), pathOf(c), body);
    return c.json(result, result.created ? 201 : 200);
  });
}
