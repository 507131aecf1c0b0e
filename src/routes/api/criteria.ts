import { z } from 'zod';
import type { ApiRoutes } from '../../http/api-route.js';
import { requireViewer } from '../../http/guards.js';
import { forbidden } from '../../errors.js';
import { exportTaxonomy, getCriterion, importTaxonomy, listTaxonomyVersions, localisedTaxonomy, updateCriterion } from '../../services/criteria.js';
import { CriterionPatch, LangQuery, SuggestBody } from './schemas.js';
import { type Limits, limitByIp } from '../../http/guards.js';
import { suggestCriteria } from '../../services/criteria-suggest.js';

export function criteriaRoutes(api: ApiRoutes, limits: Limits) {
  api.add({
    method: 'post', path: '/api/criteria/suggest', tag: 'criteria',
    summary: 'Rank components for a free text (EN, FR or PT), best first, with a score in (0,1); a person confirms, nothing is saved',
    body: SuggestBody,
    responses: { 200: { description: '{version, lang, suggestions:[{code,label,dimension,score}]}' }, 429: { description: 'Too many requests' } },
  }, async (c, { body }) => {
    limitByIp(c, limits, 'suggest', limits.rules.suggestPerIp);
    // The text may be in another language than the reader's: labels follow the reader.
    return c.json(await suggestCriteria(c.get('deps'), body, c.get('locale')));
  });

  api.add({
    method: 'get', path: '/api/criteria', tag: 'criteria', summary: 'The current SPIRAL taxonomy in one language', query: LangQuery.extend({ version: z.string().max(64).optional() }),
    responses: { 200: { description: 'Taxonomy' } },
  }, async (c, { query }) => c.json(await localisedTaxonomy(c.get('deps'), query.lang ?? c.get('locale'), query.version)));

  api.add({
    method: 'get', path: '/api/criteria/versions', tag: 'criteria', summary: 'Taxonomy versions',
    responses: { 200: { description: 'Versions' } },
  }, async (c) => {
    const versions = await listTaxonomyVersions(c.get('deps'));
    return c.json({ versions: versions.map((v) => ({ version: v.version, current: Boolean(v.is_current), createdAt: v.created_at })) });
  });

  api.add({
    method: 'get', path: '/api/criteria/export', tag: 'criteria', summary: 'Export a taxonomy version as JSON (all languages)', query: z.object({ version: z.string().max(64).optional() }),
    responses: { 200: { description: 'Versioned taxonomy document' } },
  }, async (c, { query }) => {
    const doc = await exportTaxonomy(c.get('deps'), query.version);
    c.header('Content-Disposition', `attachment; filename="taxonomy-${doc.version}.json"`);
    return c.json(doc);
  });

  api.add({
    method: 'post', path: '/api/criteria/import', tag: 'criteria', summary: 'Import a taxonomy version (admins); it becomes current', auth: true,
    query: z.object({ replace: z.enum(['true', 'false']).optional(), current: z.enum(['true', 'false']).optional() }),
    body: z.unknown(),
    responses: { 201: { description: 'Imported' }, 409: { description: 'Version exists' } },
  }, async (c, { query, body }) => {
    const viewer = requireViewer(c);
    if (viewer.user.role !== 'admin') throw forbidden('Only admins can import a taxonomy.');
    return c.json(await importTaxonomy(c.get('deps'), viewer, body, { replace: query.replace === 'true', makeCurrent: query.current !== 'false' }), 201);
  });

  api.add({
    method: 'get', path: '/api/criteria/{code}', tag: 'criteria', summary: 'One dimension or component', query: LangQuery,
    responses: { 200: { description: 'Criterion' }, 404: { description: 'Unknown code' } },
  }, async (c, { params, query }) => c.json(await getCriterion(c.get('deps'), params.code, query.lang ?? c.get('locale'))));

  api.add({
    method: 'patch', path: '/api/criteria/{code}', tag: 'criteria', summary: 'Edit labels and descriptions (admins)', auth: true, body: CriterionPatch,
    responses: { 200: { description: 'Updated' }, 404: { description: 'Unknown code' } },
  }, async (c, { params, body }) => c.json(await updateCriterion(c.get('deps'), c.get('viewer'), params.code, body)));
}
