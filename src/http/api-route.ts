import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import type { Context, Hono } from 'hono';
import { z, type ZodType } from 'zod';
import { AppError, invalid, unauthenticated } from '../errors.js';
import { zodIssues } from '../i18n/issues.js';
import type { AppEnv } from './env.js';

export const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteDefinition<B extends ZodType | undefined, Q extends ZodType | undefined> {
  method: Method;
  /** OpenAPI path, e.g. /api/territories/{slug}. */
  path: string;
  /** Hono path when it differs (e.g. a parameter that spans slashes). */
  honoPath?: string;
  summary: string;
  tag: string;
  body?: B;
  /** The body may be left out altogether (no Content-Type, no bytes): it is then read as {}. */
  optionalBody?: boolean;
  query?: Q;
  params?: Record<string, string>;
  /** Status → description (and optional schema of the JSON answer). */
  responses: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
  auth?: boolean;
}

type Infer<T> = T extends ZodType ? z.infer<T> : undefined;

export interface RouteInput<B, Q> {
  body: B;
  query: Q;
  params: Record<string, string>;
}


/**
 * The one way to declare an API route: the zod schemas that validate the request also produce the
 * OpenAPI document, so the document lists exactly what the server checks.
 */
export class ApiRoutes {
  readonly registry = new OpenAPIRegistry();

  constructor(private readonly app: Hono<AppEnv>) {
    this.registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'Personal access token (POST /api/auth/tokens)' });
    this.registry.registerComponent('securitySchemes', 'cookie', { type: 'apiKey', in: 'cookie', name: 'sj_session' });
  }

  add<B extends ZodType | undefined = undefined, Q extends ZodType | undefined = undefined>(
    def: RouteDefinition<B, Q>,
    handler: (c: Context<AppEnv>, input: RouteInput<Infer<B>, Infer<Q>>) => Response | Promise<Response>,
  ): void {
    const responses: Record<string, object> = {};
    for (const [status, r] of Object.entries(def.responses)) {
      responses[status] = r.schema
        ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: r.schema } } }
        : { description: r.description };
    }
    for (const status of ['400', ...(def.auth ? ['401', '403'] : [])]) {
      responses[status] ??= { description: status === '400' ? 'Invalid request' : status === '401' ? 'Not logged in' : 'Not allowed', content: { 'application/json': { schema: ErrorSchema } } };
    }
    const pathParams = [...def.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    this.registry.registerPath({
      method: def.method,
      path: def.path,
      summary: def.summary,
      tags: [def.tag],
      ...(def.auth ? { security: [{ bearer: [] }, { cookie: [] }] } : {}),
      request: {
        ...(pathParams.length ? { params: z.object(Object.fromEntries(pathParams.map((p) => [p, z.string().describe(def.params?.[p] ?? p)]))) } : {}),
        ...(def.query ? { query: def.query as never } : {}),
        ...(def.body ? { body: { required: !def.optionalBody, content: { 'application/json': { schema: def.body } } } } : {}),
      },
      responses: responses as never,
    });
    const honoPath = def.honoPath ?? def.path.replace(/\{(\w+)\}/g, ':$1');
    this.app.on(def.method.toUpperCase(), honoPath, async (c) => {
      // Who is asking comes before what they send: an anonymous caller of a signed-in route learns nothing from validation.
      if (def.auth && !c.get('viewer')) throw unauthenticated();
      let body: unknown;
      if (def.body) {
        const type = c.req.header('content-type') ?? '';
        let raw: unknown;
        const text = def.optionalBody ? await c.req.text() : null;
        if (text !== null && text.trim() === '') raw = {};
        else {
          if (!/^application\/(.+\+)?json\b/i.test(type)) throw invalid('Send a JSON body with Content-Type: application/json.');
          try {
            raw = text !== null ? JSON.parse(text) : await c.req.json();
          } catch (error) {
            if (error instanceof AppError) throw error;
            throw invalid('The request body is not valid JSON.');
          }
        }
        const parsed = def.body.safeParse(raw);
        if (!parsed.success) throw invalid('The request body is not valid.', zodIssues(parsed.error));
        body = parsed.data;
      }
      let query: unknown;
      if (def.query) {
        const parsed = def.query.safeParse(c.req.query());
        if (!parsed.success) throw invalid('The query string is not valid.', zodIssues(parsed.error));
        query = parsed.data;
      }
      return handler(c, { body: body as Infer<B>, query: query as Infer<Q>, params: c.req.param() as Record<string, string> });
    });
  }

  document(origin?: string) {
    return new OpenApiGeneratorV3(this.registry.definitions).generateDocument({
      openapi: '3.0.3',
      info: { title: 'Spiral Journal API', version: '0.1.0', description: 'JSON API of the co-responsibility journal. Errors are always {"error":{"code","message","issues"?}}.' },
      ...(origin ? { servers: [{ url: origin }] } : {}),
    });
  }
}
