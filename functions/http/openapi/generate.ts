/**
 * Builds the OpenAPI 3.1 document from the route table and the specs the handlers carry
 * (`handler.route`, see route.ts): the very zod schemas that validate requests become the
 * document's schemas through zod 4's own `z.toJSONSchema`. Runs at build and test time only
 * (`npm run openapi` writes openapi.json); the Lambda that serves the document imports the JSON.
 */
import { readdir } from 'node:fs/promises';
import * as z from 'zod';
import { sameJson } from '#domain/kernel/same-json.ts';
import type { RouteDescription } from '../route.ts';
import { ROUTES, type RouteDefinition, routeOperationId } from '../routes.ts';
import { ProblemSchema } from './problem-schema.ts';

export type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
  [key: string]: unknown;
};
export type Parameter = {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
};
export type Operation = {
  operationId: string;
  summary?: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters: Parameter[];
  requestBody?: {
    required: boolean;
    content: Record<string, { schema: JsonSchema; examples?: Record<string, unknown> }>;
  };
  responses: Record<string, unknown>;
  'x-handler': string;
};

/**
 * Every exported schema of a module under functions/http/schemas (folders too) becomes a named
 * component, under its export name (files in path order, so common.ts names the shared shapes
 * before deals/ and the rest).
 */
const SCHEMA_DIR = new URL('../schemas/', import.meta.url);
const namedModules = async (): Promise<Record<string, unknown>[]> => {
  const files = (await readdir(SCHEMA_DIR, { recursive: true }))
    .filter((file) => file.endsWith('.ts'))
    .sort();
  const modules = await Promise.all(
    files.map((file) => import(new URL(file, SCHEMA_DIR).href) as Promise<Record<string, unknown>>),
  );
  return [...modules, { Problem: ProblemSchema }];
};

const COMPONENT_PREFIX = '#/components/schemas/';
const ref = (name: string) => ({ $ref: `${COMPONENT_PREFIX}${name}` });

export const IDEMPOTENCY_KEY_PARAMETER: Parameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', minLength: 1, maxLength: 128 },
};

const strip = (schema: JsonSchema): JsonSchema => {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
};

const namedSchemas = async (): Promise<Map<z.ZodType, string>> => {
  const names = new Map<z.ZodType, string>();
  for (const module of await namedModules())
    for (const [name, value] of Object.entries(module))
      if (value instanceof z.ZodType && !names.has(value)) names.set(value, name);
  return names;
};

type Io = 'input' | 'output';

const render = (names: Map<z.ZodType, string>, io: Io, uri: (id: string) => string) => {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of names) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    uri,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, strip(schema as JsonSchema)]));
};

/**
 * Request schemas are rendered as the client sends them (`io: input`: defaults optional), responses
 * as the server answers (`output`). A schema whose two renderings differ gets a second component,
 * `<Name>Input`; components that reference such a schema differ too, hence the fixpoint.
 */
const components = (names: Map<z.ZodType, string>) => {
  const output = render(names, 'output', (id) => `${COMPONENT_PREFIX}${id}`);
  const differs = new Set<string>();
  for (;;) {
    const input = render(names, 'input', (id) => `${COMPONENT_PREFIX}${differs.has(id) ? `${id}Input` : id}`);
    const next = Object.keys(input).filter((id) => differs.has(id) || !sameJson(input[id], output[id]));
    if (next.length === differs.size) return { output, input, differs };
    for (const id of next) differs.add(id);
  }
};

/** A part of a request that is not a named component: rendered inline. */
const inline = (schema: z.ZodType, io: Io): JsonSchema =>
  strip(z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema);

const parametersOf = (schema: z.ZodType | undefined, where: 'path' | 'query'): Parameter[] => {
  if (!schema) return [];
  const json = inline(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
};

const PROBLEM_STATUSES = {
  400: 'The request is not valid (fields named in `errors`), or a bad cursor or header.',
  401: 'No valid bearer token.',
  403: 'The caller is not a member, or its role does not allow this.',
  404: 'Not found, or not visible to the caller.',
  409: 'Conflicts with the current state (`invalid-transition`, `terminal-deal`, `already-participant`, `membership-changed` when the membership of the caller changed while a deal write was being made, `request-in-progress` for a duplicate Idempotency-Key still running, `outcome-unknown` when the first request with the key may have been applied but its answer was lost).',
  412: 'If-Match names a stale version.',
  413: 'The body is over 64 KiB.',
  415: 'The body is not application/json.',
  422: 'A business rule refuses the request, or the Idempotency-Key was used for a different request.',
  429: 'Throttled.',
  500: 'Something went wrong on our side.',
  503: '`outcome-unknown`: the data store did not answer in time and the request may have been applied; retry with the same Idempotency-Key.',
} as const;

const problemStatuses = (route: RouteDefinition, description: RouteDescription): number[] => {
  const statuses = [400];
  if (route.auth === 'jwt') statuses.push(401, 403);
  if (route.path.includes('{')) statuses.push(404);
  if (route.method !== 'GET') statuses.push(409, 412, 422);
  if (description.spec.body) statuses.push(413, 415);
  statuses.push(429, 500);
  if (route.method !== 'GET') statuses.push(503);
  return statuses.sort((a, b) => a - b);
};

const tagOf = (route: RouteDefinition): string => route.handler.split('/')[0] ?? 'api';

/** One line per tag (the handler folder of functions/http/). */
const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  operations: 'Health and this document.',
  identity: 'The caller and the members of its org.',
  directory: 'Customers and solutions every org shares.',
  insights: 'Partner search, recent contacts and the pipeline report.',
  deals:
    'Deals, invitations, stages, registration, favorites and history; filters and delta sync for CRM connectors.',
  webhooks: 'Webhook endpoints of the org and their deliveries.',
};

export type HandlerLoader = (route: RouteDefinition) => Promise<{ route?: RouteDescription } | undefined>;

/** The document for `routes` (default: the whole route table), reading each route's spec through `load`. */
export const generateOpenApi = async (
  load: HandlerLoader,
  routes: readonly RouteDefinition[] = ROUTES,
): Promise<OpenApiDocument> => {
  const names = await namedSchemas();
  const { output, input, differs } = components(names);
  const schemas: Record<string, JsonSchema> = {};
  const use = (schema: z.ZodType, io: Io): JsonSchema => {
    const name = names.get(schema);
    if (!name) return inline(schema, io);
    const id = io === 'input' && differs.has(name) ? `${name}Input` : name;
    return ref(id);
  };

  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    const description = (await load(route))?.route;
    if (!description) throw new Error(`${route.method} ${route.path}: the handler carries no route spec`);
    const { spec } = description;
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(spec.responses ?? {})) {
      responses[status] = schema
        ? { description: 'Success', content: { 'application/json': { schema: use(schema, 'output') } } }
        : {
            description:
              status === '304' ? 'Not modified: If-None-Match names the current ETag' : 'Success, no body',
          };
    }
    for (const status of problemStatuses(route, description))
      responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };

    const parameters = [
      ...parametersOf(spec.params, 'path'),
      ...parametersOf(spec.query, 'query'),
      ...(route.method === 'POST' && description.auth === 'member' ? [IDEMPOTENCY_KEY_PARAMETER] : []),
    ];
    const operation: Operation = {
      operationId: routeOperationId(route),
      ...(spec.summary ? { summary: spec.summary } : {}),
      ...(spec.description ? { description: spec.description } : {}),
      tags: [tagOf(route)],
      security: route.auth === 'jwt' ? [{ bearer: [] }] : [],
      parameters,
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: use(spec.body, 'input'),
                  ...(spec.examples ? { examples: spec.examples } : {}),
                },
              },
            },
          }
        : {}),
      responses,
      'x-handler': `functions/http/${route.handler}.ts`,
    };
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, Operation>)[route.method.toLowerCase()] = operation;
  }

  // Components reachable from the operations (and from each other), nothing else.
  const all: Record<string, JsonSchema> = { ...output };
  for (const name of differs) if (input[name]) all[`${name}Input`] = input[name];
  const pending = [...JSON.stringify(paths).matchAll(/#\/components\/schemas\/([\w]+)/g)].map(
    (m) => m[1] as string,
  );
  pending.push('Problem');
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (schemas[name] || !all[name]) continue;
    schemas[name] = all[name];
    for (const match of JSON.stringify(all[name]).matchAll(/#\/components\/schemas\/([\w]+)/g))
      pending.push(match[1] as string);
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Co-sell referrals API',
      version: '1',
      description:
        'Generated from the zod schemas that validate each request (npm run openapi). Errors are RFC 9457 problem details. POST routes accept Idempotency-Key.',
      license: { name: 'Proprietary' },
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map(tagOf))].map((name) => ({
      name,
      description: TAG_DESCRIPTIONS[name] ?? name,
    })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
      responses: Object.fromEntries(
        Object.entries(PROBLEM_STATUSES).map(([status, text]) => [
          `Problem${status}`,
          { description: text, content: { 'application/problem+json': { schema: ref('Problem') } } },
        ]),
      ),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
};
