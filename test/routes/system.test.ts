import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers.js';

describe('system routes', () => {
  it('answers the health check', async () => {
    const { request } = await createTestApp();
    const res = await request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('publishes a valid OpenAPI 3 document listing every API route', async () => {
    const { request } = await createTestApp();
    const doc = (await (await request('/api/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    await SwaggerParser.validate(structuredClone(doc) as never);
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    for (const expected of [
      'GET /api/health', 'POST /api/auth/register', 'POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/me', 'POST /api/auth/tokens',
      'GET /api/criteria', 'GET /api/territories', 'POST /api/territories', 'GET /api/territories/{slug}', 'GET /api/pages/{path}',
      'PUT /api/pages/{path}', 'GET /api/pages/{path}/revisions', 'GET /api/pages/{path}/diff', 'POST /api/pages/{path}/revert',
      'GET /api/pages/{path}/backlinks', 'GET /api/recent-changes', 'GET /api/search',
    ]) expect(operations).toContain(expected);
    const put = doc.paths['/api/pages/{path}'].put as { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } };
    expect(Object.keys(put.requestBody.content['application/json'].schema.properties)).toEqual(expect.arrayContaining(['markdown', 'baseRevision']));
  });

  it('answers unknown API paths with a JSON 404 in the error shape', async () => {
    const { request } = await createTestApp();
    const res = await request('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('sends strict security headers on pages and API answers', async () => {
    const { request } = await createTestApp();
    for (const path of ['/', '/api/health']) {
      const res = await request(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    }
  });

  it('rejects malformed JSON and wrong content types with 400 in the error shape', async () => {
    const { request, userWithToken } = await createTestApp();
    const { auth } = await userWithToken();
    const bad = await request('/api/pages/x', { method: 'PUT', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"markdown": ' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'validation_failed' } });
    const wrongType = await request('/api/pages/x', { method: 'PUT', headers: { ...auth, 'Content-Type': 'text/plain' }, body: 'hello' });
    expect(wrongType.status).toBe(400);
    const wrongField = await request('/api/pages/x', { method: 'PUT', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ markdown: 12 }) });
    const body = (await wrongField.json()) as { error: { issues: { path: string }[] } };
    expect(wrongField.status).toBe(400);
    expect(body.error.issues[0].path).toBe('markdown');
  });
});
