import { describe, expect, it } from 'vitest';
import { dataVersion } from '../../db/database.js';
import { createTestApp } from '../helpers.js';

// Walks the OpenAPI document and sends every operation malformed, oversized, wrongly typed,
// prototype-polluting and unicode-edge inputs, anonymously and signed in (member and admin): never a
// 5xx, always the one error shape, and a refused request saves nothing (the database's version does
// not move; sessions and other bookkeeping aside).

type Schema = { type?: string; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; enum?: unknown[] };
type Operation = { parameters?: { name: string; in: string }[]; requestBody?: { content?: Record<string, { schema?: Schema }> } };
interface OpenApi { paths: Record<string, Record<string, Operation>> }

const LONG = 'x'.repeat(70_000);
const STRINGS = [
  '', ' ', '0', '-1', '1e309', '99999999999999999999999', 'NaN', 'null', 'true', '[]', '{}', '__proto__', 'constructor', 'prototype',
  '../../etc/passwd', '%00', '\u0000', '\ud800', '\u202e\u0041\u0042', '\u200b', '🙂'.repeat(50), '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)', "' OR 1=1 --", '${7*7}{{7*7}}', '=HYPERLINK("http://evil")', 'a\r\nSet-Cookie: x=1', LONG,
];
const VALUES: unknown[] = [null, true, false, 0, -1, 1.5, 2 ** 53 + 1, -1e308, [], [null], {}, { a: 1 }, ...STRINGS];

/** Percent-encoding, and bytes that are not UTF-8 at all where a string cannot be encoded (lone surrogates). */
const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80%FF';
  }
};

/** Bodies built from a schema: every property in turn given every hostile value, plus whole-body oddities. */
function bodiesFor(schema: Schema | undefined): unknown[] {
  const bodies: unknown[] = [null, [], 'text', 42, {}, JSON.parse('{"__proto__": {"polluted": "yes"}}'), { constructor: { prototype: { polluted: 'yes' } } }];
  const properties = Object.keys(schema?.properties ?? {});
  for (const name of properties) for (const value of VALUES) bodies.push({ [name]: value });
  // All properties at once with the same hostile value: gets past "required" checks to deeper ones.
  for (const value of STRINGS) bodies.push(Object.fromEntries(properties.map((name) => [name, value])));
  return bodies;
}

describe('every API operation under hostile input', () => {
  it('never answers 5xx, always with the error shape, and saves nothing when it refuses', async () => {
    const t = await createTestApp({ rateLimitScale: 1_000_000 });
    const member = await t.userWithToken();
    const admin = await t.userWithToken({ role: 'admin' });
    await t.json('POST', '/api/territories', { slug: 'fuzz-town', name: 'Fuzz town', kind: 'municipality' }, admin.auth);
    const doc = (await (await t.request('/api/openapi.json')).json()) as OpenApi;
    const failures: string[] = [];
    let requests = 0;
    const statuses = new Map<number, number>();
    const send = async (method: string, path: string, init: RequestInit, label: string, mayWriteOnRefusal: boolean) => {
      const before = dataVersion(t.db);
      const res = await t.app.request(`http://localhost${path}`, { method: method.toUpperCase(), ...init });
      requests++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const text = await res.text();
      if (res.status >= 500) return failures.push(`${res.status} ${method} ${path} ${label}: ${text.slice(0, 200)}`);
      if (res.status >= 400) {
        let body: { error?: { code?: unknown; message?: unknown } } | null = null;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: reported below
        }
        if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string') failures.push(`${res.status} ${method} ${path} ${label}: not the error shape: ${text.slice(0, 120)}`);
        if (!mayWriteOnRefusal && dataVersion(t.db) !== before) failures.push(`${res.status} ${method} ${path} ${label}: refused but the database changed`);
      }
    };
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        // Failed logins are counted on purpose (lockout): a refusal there may write.
        const mayWrite = template.startsWith('/api/auth/');
        const params = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        const queries = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        const fill = (value: string) => template.replace(/\{[^}]+\}/g, () => encode(value));
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        // Revoking a token would sign the fuzzer out for the rest of the run: those go anonymous only.
        const endsSession = template.startsWith('/api/auth/tokens/') || template === '/api/auth/logout' || (method === 'delete' && (template === '/api/me' || template.startsWith('/api/admin/users/')));
        const callers = endsSession ? ([['anonymous', {}]] as const) : ([['anonymous', {}], ['member', member.auth], ['admin', admin.auth]] as const);
        for (const [who, headers] of callers) {
          const pathValues = params.length ? STRINGS.filter((s) => s !== '' && s !== LONG).concat(['1', '2', LONG.slice(0, 3000)]) : [''];
          for (const value of pathValues) {
            const path = params.length ? fill(value) : template;
            if (method === 'get' || method === 'delete') await send(method, path, { headers }, `${who} path=${JSON.stringify(value).slice(0, 30)}`, mayWrite);
            else await send(method, path, { headers: { ...headers, 'Content-Type': 'application/json' }, body: '{}' }, `${who} path=${JSON.stringify(value).slice(0, 30)}`, mayWrite);
          }
          const path = params.length ? fill('1') : template;
          for (const name of queries) {
            for (const value of STRINGS) await send(method, `${path}?${name}=${encode(value)}`, { headers }, `${who} ?${name}=${value.slice(0, 20)}`, mayWrite);
            await send(method, `${path}?${name}=a&${name}=b`, { headers }, `${who} ?${name} twice`, mayWrite);
          }
          if (method === 'get' || method === 'delete') continue;
          for (const body of bodiesFor(schema)) {
            await send(method, path, { headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }, `${who} body=${JSON.stringify(body).slice(0, 60)}`, mayWrite);
          }
          for (const raw of ['{"a":', '\u0000', 'not json', '{"a":1}'.repeat(1000)]) {
            await send(method, path, { headers: { ...headers, 'Content-Type': 'application/json' }, body: raw }, `${who} raw=${raw.slice(0, 20)}`, mayWrite);
          }
          await send(method, path, { headers: { ...headers, 'Content-Type': 'text/plain' }, body: 'plain' }, `${who} text/plain`, mayWrite);
          await send(method, path, { headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ big: 'y'.repeat(1_100_000) }) }, `${who} 1.1 MB`, mayWrite);
        }
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(requests).toBeGreaterThan(5_000);
    // The inputs reach validation (400), permissions (401/403), lookups (404) and, for some, success.
    console.log(`fuzzed ${requests} requests:`, Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])));
    for (const status of [400, 401, 403, 404]) expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(50);
    expect([...statuses.keys()].some((status) => status >= 200 && status < 300)).toBe(true);
    expect(failures.slice(0, 40), `${failures.length} failures of ${requests} requests`).toEqual([]);
  }, 600_000);
});
