import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateOpenApi, type JsonSchema, type OpenApiDocument } from '#functions/http/openapi/generate.ts';
import { loadRouteHandler } from '#functions/http/openapi/load-handlers.ts';
import { OPENAPI_FILE, serializeOpenApi } from '#functions/http/openapi/write.ts';
import { ROUTES } from '#functions/http/routes.ts';

const generated = await generateOpenApi(loadRouteHandler);
const committed = JSON.parse(await readFile(OPENAPI_FILE, 'utf8')) as OpenApiDocument;

const operations = (document: OpenApiDocument) =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
  );

const resolve = (document: OpenApiDocument, schema: JsonSchema): JsonSchema => {
  const ref = schema.$ref as string | undefined;
  if (!ref) return schema;
  const target = document.components.schemas[ref.replace('#/components/schemas/', '')];
  if (!target) throw new Error(`dangling $ref ${ref}`);
  return resolve(document, target);
};

/** Every string, array and number a client can send, with where it is, resolved through $refs. */
const leaves = (
  document: OpenApiDocument,
  schema: JsonSchema,
  at: string,
): { at: string; schema: JsonSchema }[] => {
  const resolved = resolve(document, schema);
  const children: { at: string; schema: JsonSchema }[] = [];
  for (const [name, property] of Object.entries((resolved.properties ?? {}) as Record<string, JsonSchema>))
    children.push({ at: `${at}.${name}`, schema: property });
  if (resolved.items) children.push({ at: `${at}[]`, schema: resolved.items as JsonSchema });
  for (const keyword of ['anyOf', 'oneOf', 'allOf'])
    for (const [index, branch] of ((resolved[keyword] ?? []) as JsonSchema[]).entries())
      children.push({ at: `${at}|${index}`, schema: branch });
  return [{ at, schema: resolved }, ...children.flatMap((child) => leaves(document, child.schema, child.at))];
};

/** A pattern anchored at both ends whose quantifiers are all bounded limits the length by itself. */
const boundedPattern = (pattern: unknown): boolean =>
  typeof pattern === 'string' &&
  pattern.startsWith('^') &&
  pattern.endsWith('$') &&
  !/[*+]|\{\d+,\}/.test(pattern.replace(/\\./g, ''));

describe('the OpenAPI document', () => {
  it('documents every route of the route table, with the method and path of the table', () => {
    for (const document of [generated, committed]) {
      const documented = new Set(operations(document).map(({ method, path }) => `${method} ${path}`));
      const missing = ROUTES.map((route) => `${route.method} ${route.path}`).filter(
        (key) => !documented.has(key),
      );
      expect(missing, 'routes missing from the document').toEqual([]);
      expect(documented.size).toBe(ROUTES.length);
    }
  });

  it('is committed as generated (run `npm run openapi` after changing a route or schema)', () => {
    expect(serializeOpenApi(committed)).toBe(serializeOpenApi(generated));
  });

  it('is OpenAPI 3.1 with bearer JWT on every authenticated route and none on public ones', () => {
    expect(generated.openapi).toBe('3.1.0');
    expect(generated.components.securitySchemes.bearer).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    for (const route of ROUTES) {
      const operation = generated.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation?.security, `${route.method} ${route.path}`).toEqual(
        route.auth === 'jwt' ? [{ bearer: [] }] : [],
      );
    }
  });

  it('declares path parameters, a success response and problem+json errors for every operation', () => {
    for (const { path, method, operation } of operations(generated)) {
      const label = `${method} ${path}`;
      const pathNames = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = operation.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      expect(declared.sort(), label).toEqual(pathNames.sort());
      const statuses = Object.keys(operation.responses).map(Number);
      expect(
        statuses.some((status) => status >= 200 && status < 300),
        `${label} declares no success response (add \`responses\` to its route spec)`,
      ).toBe(true);
      expect(statuses, label).toEqual(expect.arrayContaining([400, 429, 500]));
      for (const status of statuses.filter((status) => status >= 400))
        expect(operation.responses[status], label).toEqual({
          $ref: `#/components/responses/Problem${status}`,
        });
    }
    const problem = generated.components.responses.Problem400 as {
      content: Record<string, { schema: JsonSchema }>;
    };
    expect(Object.keys(problem.content)).toEqual(['application/problem+json']);
    expect(resolve(generated, problem.content['application/problem+json']!.schema).required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance']),
    );
  });

  it('declares the 304 of the OpenAPI document itself, which answers a matching If-None-Match', () => {
    const document = operations(generated).find((o) => o.path === '/openapi.json' && o.method === 'GET');
    expect(Object.keys(document?.operation.responses ?? {})).toEqual(expect.arrayContaining(['200', '304']));
  });

  it('offers Idempotency-Key (1-128 characters) on every member POST, and none on a person’s answers to invitations', () => {
    const posts = operations(generated).filter((o) => o.method === 'POST');
    // Accepting or declining is idempotent by itself and needs no membership to scope a key to.
    const answers = posts.filter((o) => o.path.startsWith('/v1/me/invitations/'));
    expect(answers.map((o) => o.path).sort()).toEqual([
      '/v1/me/invitations/{orgId}/accept',
      '/v1/me/invitations/{orgId}/decline',
    ]);
    for (const { operation } of answers) {
      expect(operation.parameters.find((p) => p.name === 'Idempotency-Key')).toBeUndefined();
    }
    for (const { path, method, operation } of posts.filter((o) => !answers.includes(o))) {
      const key = operation.parameters.find((p) => p.name === 'Idempotency-Key');
      expect(key, `${method} ${path}`).toMatchObject({
        in: 'header',
        schema: { minLength: 1, maxLength: 128 },
      });
    }
  });

  it('bounds every string, array and number a client can send, and gives every number a precision', () => {
    const unbounded: string[] = [];
    for (const { path, method, operation } of operations(generated)) {
      const inputs = [
        ...operation.parameters.map((p) => ({ at: `${p.in}.${p.name}`, schema: p.schema })),
        ...Object.values(operation.requestBody?.content ?? {}).map(({ schema }) => ({ at: 'body', schema })),
      ];
      for (const input of inputs)
        for (const { at, schema } of leaves(generated, input.schema, input.at)) {
          const type = schema.type;
          const bounded =
            type === 'string'
              ? schema.maxLength !== undefined ||
                schema.enum !== undefined ||
                schema.const !== undefined ||
                boundedPattern(schema.pattern)
              : type === 'array'
                ? schema.maxItems !== undefined
                : type === 'integer'
                  ? schema.maximum !== undefined
                  : type === 'number'
                    ? // A precision too: DynamoDB numbers end at 1e-130, so 5e-324 must be refused by rule.
                      schema.maximum !== undefined &&
                      schema.minimum !== undefined &&
                      schema.multipleOf !== undefined
                    : true;
          if (!bounded) unbounded.push(`${method} ${path} ${at}`);
        }
    }
    expect(unbounded).toEqual([]);
  });

  it('names request and response schemas as components, so clients get named types', () => {
    const create = generated.paths['/v1/deals']?.post;
    expect(create?.requestBody?.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/CreateDealBody',
    });
    expect(create?.responses['201']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/DealResponse' } } },
    });
    // A query with defaults is optional for the client: rendered as input, not as the parsed output.
    const list = generated.paths['/v1/deals']?.get;
    expect(list?.parameters.find((p) => p.name === 'limit')).toMatchObject({
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
    });
  });
  it('gives every operation a summary and a description', () => {
    for (const { path, method, operation } of operations(generated)) {
      expect(operation.summary?.trim(), `${method} ${path}`).toBeTruthy();
      expect(operation.description?.trim(), `${method} ${path}`).toBeTruthy();
    }
  });

  it("declares no JSON Schema dialect but OpenAPI 3.1's default, which Swagger UI renders without a warning", () => {
    // Swagger UI warns about any `jsonSchemaDialect` other than the OAS base dialect; our schemas
    // are JSON Schema 2020-12, which that default dialect is, so the field is left out.
    for (const document of [generated, committed])
      expect([undefined, 'https://spec.openapis.org/oas/3.1/dialect/base']).toContain(
        document.jsonSchemaDialect,
      );
  });

  it('offers request examples for every route that takes a body, each valid for its route', async () => {
    // The artifact tier (test/artifacts) invokes every route with its first example.
    for (const route of ROUTES) {
      const key = `${route.method} ${route.path}`;
      const { spec } = (await loadRouteHandler(route)).route ?? {};
      if (!spec?.body) continue;
      const examples = Object.values(spec.examples ?? {});
      expect(examples.length, key).toBeGreaterThan(0);
      for (const example of examples) expect(spec.body.safeParse(example.value).success, key).toBe(true);
      const documented =
        committed.paths[route.path]?.[route.method.toLowerCase()]?.requestBody?.content['application/json']
          ?.examples;
      expect(documented, key).toEqual(spec.examples);
    }
  });
});
