import type { ApiRoutes } from '../../http/api-route.js';
import { getSummary, getThemes } from '../../summaries/quantitative.js';
import { SUMMARY_CSV_COLUMNS, summaryCsv } from '../../summaries/export.js';
import { z } from 'zod';
import { AssessmentBody, SummaryQuery } from './schemas.js';
import { createAssessment, getAssessment, listAssessments } from '../../summaries/assessments.js';

export function summaryRoutes(api: ApiRoutes) {
  api.add({
    method: 'get', path: '/api/summaries', tag: 'summaries',
    summary: 'Quantitative summary of a territory (children included) or of the whole network, for whole months (default: the last six); figures resting on fewer than 3 actors are withheld',
    query: SummaryQuery,
    responses: { 200: { description: '{scope, period, totals, byDimension, byComponent, timeline, byActorKind, byLevel, results, indicators, blindSpots, comparison, suppressed}' }, 404: { description: 'Unknown territory' } },
  }, async (c, { query }) => c.json(await getSummary(c.get('deps'), query, query.lang ?? c.get('locale'))));

  api.add({
    method: 'get', path: '/api/summaries/themes', tag: 'summaries',
    summary: 'Themes of the same scope and period as /api/summaries: groups of public choices and statements about the same thing, across languages, each with its label, key phrases, size, distinct actors (at least 3), languages, SPIRAL components, growth against the previous period (status new, growing, stable or declining), public members and 2–3 quotes; `unassigned` counts the public texts in no theme',
    query: SummaryQuery,
    responses: { 200: { description: '{scope, period, threshold, provisional, texts, unassigned, themes:[{id, label, phrases, size, actors, languages, components, growth, status, previous, members, quotes:[{id, title, text, lang, url}]}]}' }, 404: { description: 'Unknown territory or group' } },
  }, async (c, { query }) => c.json(await getThemes(c.get('deps'), query, query.lang ?? c.get('locale'))));

  api.add({
    method: 'get', path: '/api/summaries.csv', tag: 'summaries', summary: 'The same summary as CSV, one figure per row (see /api/summaries/dictionary)', query: SummaryQuery,
    responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
  }, async (c, { query }) => {
    const summary = await getSummary(c.get('deps'), query, query.lang ?? c.get('locale'));
    return c.body(summaryCsv(summary), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="summary.csv"' });
  });

  api.add({
    method: 'get', path: '/api/summaries/dictionary', tag: 'summaries', summary: 'Data dictionary of the summary CSV: each column and what it means',
    responses: { 200: { description: '{columns:[{name,description}]}' } },
  }, (c) => c.json({ columns: SUMMARY_CSV_COLUMNS, threshold: 3, notes: 'Figures cover whole months. Choices that their authors exclude from summaries are not counted; private choices are counted anonymously, never shown as text.' }));

  api.add({
    method: 'post', path: '/api/assessments', tag: 'summaries', summary: 'Freeze the summary of a territory for a period, compared with the previous period (coordinators of the territory, admins)', auth: true, body: AssessmentBody,
    responses: { 201: { description: 'The assessment' }, 403: { description: 'Not a coordinator here' } },
  }, async (c, { body }) => {
    const id = await createAssessment(c.get('deps'), c.get('viewer'), body);
    return c.json(await getAssessment(c.get('deps'), id, c.get('locale')), 201);
  });

  api.add({
    method: 'get', path: '/api/assessments/{id}', tag: 'summaries', summary: 'An assessment: the frozen summary, the previous period, activities',
    responses: { 200: { description: 'Assessment' }, 404: { description: 'Unknown' } },
  }, async (c, { params }) => {
    const id = z.coerce.number().int().min(1).safeParse(params.id);
    return c.json(await getAssessment(c.get('deps'), id.success ? id.data : 0, c.get('locale')));
  });

  api.add({
    method: 'get', path: '/api/territories/{slug}/assessments', tag: 'summaries', summary: 'Assessments of a territory, newest first, and whether the next one is due',
    responses: { 200: { description: '{assessments, due}' } },
  }, async (c, { params }) => c.json(await listAssessments(c.get('deps'), params.slug)));
}
