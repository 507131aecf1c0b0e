import { z } from 'zod';
import type { ApiRoutes } from '../../http/api-route.js';
import { createTool, getTool, listTools, proposeToTool, recordToolUse } from '../../services/tools.js';
import { ToolBody, ToolProposalBody, ToolUseBody } from './schemas.js';

export function toolRoutes(api: ApiRoutes) {
  api.add({
    method: 'get', path: '/api/tools', tag: 'tools', summary: 'The tools catalogue, optionally in one language', query: z.object({ lang: z.string().trim().max(12).optional() }),
    responses: { 200: { description: '{tools}' } },
  }, async (c, { query }) => c.json({ tools: await listTools(c.get('deps'), query) }));

  api.add({
    method: 'post', path: '/api/tools', tag: 'tools', auth: true, body: ToolBody, summary: 'Add a tool to the catalogue',
    responses: { 201: { description: 'Tool' } },
  }, async (c, { body }) => c.json(await getTool(c.get('deps'), await createTool(c.get('deps'), c.get('viewer'), body)), 201));

  api.add({
    method: 'get', path: '/api/tools/{id}', tag: 'tools', summary: 'A tool (by slug or id) with its proposals and where it was used (workshops, public choices)',
    responses: { 200: { description: 'Tool' }, 404: { description: 'Unknown tool' } },
  }, async (c, { params }) => c.json(await getTool(c.get('deps'), params.id)));

  api.add({
    method: 'post', path: '/api/tools/{id}/proposals', tag: 'tools', auth: true, body: ToolProposalBody, summary: 'Propose an improvement, or a new tool inspired by this one',
    responses: { 201: { description: '{id}' } },
  }, async (c, { params, body }) => c.json({ id: await proposeToTool(c.get('deps'), c.get('viewer'), params.id, body) }, 201));

  api.add({
    method: 'post', path: '/api/tools/{id}/uses', tag: 'tools', auth: true, body: ToolUseBody, summary: 'Record that the tool was used in a workshop (its organiser) or a choice (its actor)',
    responses: { 201: { description: 'Tool' }, 409: { description: 'Already recorded' } },
  }, async (c, { params, body }) => {
    await recordToolUse(c.get('deps'), c.get('viewer'), params.id, body);
    return c.json(await getTool(c.get('deps'), params.id), 201);
  });
}
