import type { ApiRoutes } from '../../http/api-route.js';
import { getSummary } from '../../summaries/quantitative.js';
import { SummaryQuery } from './schemas.js';

export function summaryRoutes(api: ApiRoutes) {
  api.add({
    method: 'get', path: '/api/summaries', tag: 'summaries',
    summary: 'Quantitative summary of a territory (children included) or of the whole network, for whole months (default: the last six); figures resting on fewer than 3 actors are withheld',
    query: SummaryQuery,
    responses: { 200: { description: '{scope, period, totals, byDimension, byComponent, timeline, byActorKind, byLevel, results, indicators, blindSpots, comparison, suppressed}' }, 404: { description: 'Unknown territory' } },
  }, async (c, { query }) => c.json(await getSummary(c.get('deps'), query, query.lang ?? c.get('locale'))));
}
