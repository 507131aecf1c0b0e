import type { ApiRoutes } from '../../http/api-route.js';
import { idOf } from './ids.js';
import { choicesCsv, resultsCsv } from '../../services/choice-exports.js';
import {
  addResult, choiceHistory, createChoice, deleteChoice, deleteResult, followUps, getChoice, listChoices, unitSuggestions, updateChoice,
} from '../../services/choices.js';
import { publicOrigin } from '../origin.js';
import { ChoiceBody, ChoicePatchBody, ChoiceQuery, ResultBody } from './schemas.js';

export function choiceRoutes(api: ApiRoutes) {
  api.add({
    method: 'post', path: '/api/choices', tag: 'journal', summary: 'Log a right choice, optionally with results; without visibility or countInSummaries, the author’s consent defaults apply (private and counted unless they chose otherwise in their settings)', auth: true, body: ChoiceBody,
    responses: { 201: { description: 'The choice as GET /api/choices/{id} returns it' }, 400: { description: 'Invalid input; nothing saved' } },
  }, async (c, { body }) => c.json(await createChoice(c.get('deps'), c.get('viewer'), body, c.get('locale')), 201));

  api.add({
    method: 'get', path: '/api/choices', tag: 'journal',
    summary: 'Choices the viewer may see, newest first; filters combine; actor=me lists my own (private included); follow nextCursor for the next page',
    query: ChoiceQuery,
    responses: { 200: { description: '{choices, nextCursor}' } },
  }, async (c, { query }) => c.json(await listChoices(c.get('deps'), c.get('viewer'), query, query.lang ?? c.get('locale'))));

  api.add({
    method: 'get', path: '/api/choices.csv', tag: 'journal', summary: 'The same list as CSV (every page, up to 50,000 rows)', query: ChoiceQuery,
    responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
  }, async (c, { query }) => {
    const csv = await choicesCsv(c.get('deps'), c.get('viewer'), query, query.lang ?? c.get('locale'), publicOrigin(c));
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="choices.csv"' });
  });

  api.add({
    method: 'get', path: '/api/results.csv', tag: 'journal', query: ChoiceQuery,
    summary: 'The results of the same list as CSV, one row per result: date, text, quantity as a number, unit, and the choice it belongs to',
    responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
  }, async (c, { query }) => {
    const csv = await resultsCsv(c.get('deps'), c.get('viewer'), query, query.lang ?? c.get('locale'), publicOrigin(c));
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="results.csv"' });
  });

  api.add({
    method: 'get', path: '/api/choices/{id}', tag: 'journal', summary: 'One choice with its components and results',
    responses: { 200: { description: 'Choice' }, 404: { description: 'Unknown, or not visible to you' } },
  }, async (c, { params }) => c.json(await getChoice(c.get('deps'), c.get('viewer'), idOf(params.id), c.get('locale'))));

  api.add({
    method: 'patch', path: '/api/choices/{id}', tag: 'journal', summary: 'Edit my choice (a new revision in its history)', auth: true, body: ChoicePatchBody,
    responses: { 200: { description: 'Choice' }, 403: { description: 'Not yours' }, 404: { description: 'Unknown' } },
  }, async (c, { params, body }) => c.json(await updateChoice(c.get('deps'), c.get('viewer'), idOf(params.id), body, c.get('locale'))));

  api.add({
    method: 'delete', path: '/api/choices/{id}', tag: 'journal', summary: 'Delete my choice and its results', auth: true,
    responses: { 204: { description: 'Deleted' }, 403: { description: 'Not yours' }, 404: { description: 'Unknown' } },
  }, async (c, { params }) => {
    await deleteChoice(c.get('deps'), c.get('viewer'), idOf(params.id));
    return c.body(null, 204);
  });

  api.add({
    method: 'post', path: '/api/choices/{id}/results', tag: 'journal', summary: 'Record a result obtained (text and/or quantity with a unit)', auth: true, body: ResultBody,
    responses: { 201: { description: 'The choice with its results' }, 403: { description: 'Not yours' } },
  }, async (c, { params, body }) => c.json(await addResult(c.get('deps'), c.get('viewer'), idOf(params.id), body, c.get('locale')), 201));

  api.add({
    method: 'delete', path: '/api/choices/{id}/results/{resultId}', tag: 'journal', summary: 'Remove a result', auth: true,
    responses: { 200: { description: 'The choice with its remaining results' } },
  }, async (c, { params }) => c.json(await deleteResult(c.get('deps'), c.get('viewer'), idOf(params.id), idOf(params.resultId), c.get('locale'))));

  api.add({
    method: 'get', path: '/api/choices/{id}/history', tag: 'journal', summary: 'Who changed what, when (newest first)',
    responses: { 200: { description: '{revisions}' } },
  }, async (c, { params }) => c.json({ revisions: await choiceHistory(c.get('deps'), c.get('viewer'), idOf(params.id)) }));

  api.add({
    method: 'get', path: '/api/me/follow-ups', tag: 'journal', summary: 'My choices waiting for a result (their follow-up date has come)', auth: true,
    responses: { 200: { description: '{choices}' } },
  }, async (c) => c.json({ choices: await followUps(c.get('deps'), c.get('viewer'), c.get('locale')) }));

  api.add({
    method: 'get', path: '/api/units', tag: 'journal', summary: 'Suggested units for result quantities (common ones, then the most used)',
    responses: { 200: { description: '{units}' } },
  }, async (c) => c.json({ units: await unitSuggestions(c.get('deps')) }));
}
