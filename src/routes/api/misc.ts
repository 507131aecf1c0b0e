import { z } from 'zod';
import type { ApiRoutes } from '../../http/api-route.js';
import { type Limits, limitByIpAndAccount } from '../../http/guards.js';
import { search } from '../../services/search.js';

export function miscRoutes(api: ApiRoutes, limits: Limits) {
  api.add({
    method: 'get', path: '/api/health', tag: 'system', summary: 'Liveness check',
    responses: { 200: { description: 'OK', schema: z.object({ status: z.literal('ok') }) } },
  }, (c) => c.json({ status: 'ok' as const }));

  api.add({
    method: 'get', path: '/api/openapi.json', tag: 'system', summary: 'This OpenAPI document',
    responses: { 200: { description: 'OpenAPI 3 document' } },
  }, (c) => c.json(api.document(new URL(c.req.url).origin)));

  api.add({
    method: 'get', path: '/api/search', tag: 'search', summary: 'Full-text search (word forms in EN/FR/PT, accents ignored, highlighted snippets)',
    query: z.object({ q: z.string().max(200), limit: z.coerce.number().int().min(1).max(100).default(20), offset: z.coerce.number().int().min(0).max(10_000).default(0) }),
    responses: { 200: { description: 'Results, best first; titleHtml and snippetHtml are escaped HTML with <mark>' }, 429: { description: 'Too many searches' } },
  }, async (c, { query }) => {
    limitByIpAndAccount(c, limits, 'search', limits.rules.searchPerIp, limits.rules.searchPerAccount);
    return c.json(await search(c.get('deps'), query.q, { limit: query.limit, offset: query.offset }));
  });
}
