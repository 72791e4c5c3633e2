/**
 * Malformed and boundary requests derived from the OpenAPI document (fast-check): a valid-looking
 * base from each operation's schemas, then exactly one defect (wrong type, missing required field,
 * unknown field, length or item bound + 1, huge, tiny, subnormal or over-precise number, bad enum,
 * bad path id, bad query, bad cursor, bad content type, malformed or oversized JSON, bad header). A
 * case marked `reject` must answer 4xx; the few valid boundary reads may answer 2xx.
 */
import fc from 'fast-check';
import type { JsonSchema, OpenApiDocument, Operation } from '#functions/http/openapi/generate.ts';

export type FuzzRequest = {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** What the defect was, for failure messages. */
  defect: string;
  /** Must be refused (4xx). */
  reject: boolean;
};

export type FuzzContext = {
  /** Existing ids to put in path parameters (so a defect, not a 404, is what refuses the request). */
  pathValues: Record<string, string>;
  /**
   * Real cursors the API issued, with the path of the list that issued them and, for a path with
   * parameters, the values it was issued for (a cursor of another deal's history is a defect too).
   */
  cursors: { path: string; cursor: string; pathValues?: Record<string, string> }[];
};

type Path = (string | number)[];
type Slot = { path: Path; schema: JsonSchema; required: boolean };

const HUGE = '__fuzz_huge_number__';
const MAX_DEPTH = 6;

export const deref = (doc: OpenApiDocument, schema: JsonSchema): JsonSchema => {
  const ref = schema.$ref as string | undefined;
  if (!ref) return schema;
  return deref(doc, doc.components.schemas[ref.replace('#/components/schemas/', '')] ?? {});
};

const branches = (doc: OpenApiDocument, schema: JsonSchema): JsonSchema[] => {
  const s = deref(doc, schema);
  const union = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  return union ? union.flatMap((branch) => branches(doc, branch)) : [s];
};

const isNever = (schema: JsonSchema): boolean =>
  schema.not !== undefined && Object.keys(schema.not as object).length === 0;

const typesOf = (schema: JsonSchema): string[] =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type as string];

// ---- valid-looking values ----

const validString = (s: JsonSchema): fc.Arbitrary<string> => {
  if (s.format === 'date') return fc.constantFrom('2027-03-31', '2026-12-15', '2028-02-29');
  if (s.format === 'date-time') return fc.constant('2026-11-01T09:00:00.000Z');
  if (s.format === 'email') return fc.constantFrom('ann@fabrikam.example', 'bo.lee@example.com');
  const min = (s.minLength as number | undefined) ?? 0;
  const max = (s.maxLength as number | undefined) ?? min + 30;
  if (typeof s.pattern === 'string')
    return fc
      .stringMatching(new RegExp(s.pattern as string))
      .filter((value) => value.length >= min && value.length <= max);
  return fc.string({ minLength: Math.max(min, 1), maxLength: Math.min(max, min + 30) });
};

export const validValue = (doc: OpenApiDocument, schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> => {
  const s = deref(doc, schema);
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const union = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (union) return fc.oneof(...union.filter((b) => !isNever(b)).map((b) => validValue(doc, b, depth)));
  const types = typesOf(s);
  if (types.length > 1) return fc.oneof(...types.map((type) => validValue(doc, { ...s, type }, depth)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({
        min: (s.minimum as number) ?? 0,
        max: Math.min((s.maximum as number) ?? 1000, 1e9),
      });
    case 'number':
      // A declared precision (`multipleOf` ≤ 1) holds for every whole number.
      if (typeof s.multipleOf === 'number')
        return fc.integer({
          min: Math.ceil((s.minimum as number) ?? 0),
          max: Math.min((s.maximum as number) ?? 1e6, 1e9),
        });
      return fc.double({
        min: (s.minimum as number) ?? 0,
        max: Math.min((s.maximum as number) ?? 1e6, 1e9),
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'string':
      return validString(s);
    case 'array': {
      const min = (s.minItems as number) ?? 0;
      return fc.array(validValue(doc, (s.items ?? {}) as JsonSchema, depth + 1), {
        minLength: min,
        maxLength: Math.min((s.maxItems as number) ?? min + 2, min + 2),
      });
    }
    case 'object': {
      if (depth > MAX_DEPTH) return fc.constant({});
      const properties = Object.entries((s.properties ?? {}) as Record<string, JsonSchema>).filter(
        ([, property]) => !isNever(deref(doc, property)),
      );
      const required = new Set((s.required ?? []) as string[]);
      return fc.record(
        Object.fromEntries(
          properties.map(([name, property]) => [name, validValue(doc, property, depth + 1)]),
        ),
        { requiredKeys: properties.map(([name]) => name).filter((name) => required.has(name)) },
      );
    }
    default:
      return fc.constant('x');
  }
};

// ---- where a body can be wrong ----

const slotsOf = (doc: OpenApiDocument, schema: JsonSchema, path: Path = [], required = true): Slot[] => {
  if (path.length > MAX_DEPTH) return [];
  const slot: Slot = { path, schema: deref(doc, schema), required };
  const nested = branches(doc, schema).flatMap((branch) => {
    if (typesOf(branch).includes('object')) {
      const needed = new Set((branch.required ?? []) as string[]);
      return Object.entries((branch.properties ?? {}) as Record<string, JsonSchema>).flatMap(
        ([name, property]) => slotsOf(doc, property, [...path, name], needed.has(name)),
      );
    }
    if (typesOf(branch).includes('array') && branch.items)
      return slotsOf(doc, branch.items as JsonSchema, [...path, 0], false);
    return [];
  });
  return [slot, ...nested];
};

const jsonType = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : typeof value === 'object'
        ? 'object'
        : typeof value;

/** Values of a JSON type the slot does not allow (for a never-field, anything). */
const wrongTypes = (doc: OpenApiDocument, slot: Slot): unknown[] => {
  const all = branches(doc, slot.schema);
  if (all.some(isNever)) return ['anything', 1, null];
  const allowed = new Set(all.flatMap(typesOf));
  if (allowed.size === 0) return [];
  return [42, 1.5, 'text', true, null, {}, [], HUGE].filter((value) => {
    if (value === HUGE) return !allowed.has('number') && !allowed.has('integer');
    const type = jsonType(value);
    if (type === 'number')
      return Number.isInteger(value)
        ? !allowed.has('number') && !allowed.has('integer')
        : !allowed.has('number');
    return !allowed.has(type);
  });
};

/**
 * Numbers DynamoDB cannot store (below its smallest magnitude 1e-130, down to subnormals, and above
 * its largest, 9.99e125): a defect in every number field, whatever the schema declares, since
 * accepting one can only end in a refused write.
 */
const UNSTORABLE_NUMBERS = [
  1e-131,
  1e-300,
  2.2250738585072014e-308, // smallest normal double
  2.2e-309, // subnormal
  5e-324, // smallest subnormal
  1e126,
  1.7976931348623157e308,
];

/** Huge and over-precise numbers: a defect wherever the slot's bounds or precision exclude them. */
const EDGE_NUMBERS = [1e-7, 0.30000000000000004, 1.0000001, 12.3456, 1e16, 1e21];

/** Decimals as the number is written in JSON (exponent notation counted). */
const decimalsOf = (value: number): number => {
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent));
};

const outsideNumber = (s: JsonSchema, value: number): boolean =>
  (typeof s.maximum === 'number' && value > s.maximum) ||
  (typeof s.minimum === 'number' && value < s.minimum) ||
  (s.type === 'integer' && !Number.isInteger(value)) ||
  (typeof s.multipleOf === 'number' && decimalsOf(value) > decimalsOf(s.multipleOf));

/** Values just outside the slot's bounds, enum or pattern. */
const outOfBounds = (doc: OpenApiDocument, slot: Slot): unknown[] => {
  const values: unknown[] = [];
  for (const s of branches(doc, slot.schema)) {
    if (typeof s.maxLength === 'number') values.push('x'.repeat(s.maxLength + 1));
    if (typeof s.minLength === 'number' && s.minLength > 0) values.push('');
    if (typeof s.maxItems === 'number') values.push(Array.from({ length: s.maxItems + 1 }, () => 'item'));
    if (typeof s.minItems === 'number' && s.minItems > 0) values.push([]);
    if (typeof s.maximum === 'number') values.push(s.maximum * 10 + 1, HUGE);
    if (typeof s.minimum === 'number') values.push(s.minimum - 1, -1e308);
    if (s.type === 'integer') values.push(((s.minimum as number) ?? 0) + 0.5);
    if (s.type === 'integer' || s.type === 'number')
      values.push(...UNSTORABLE_NUMBERS, ...EDGE_NUMBERS.filter((value) => outsideNumber(s, value)));
    if (Array.isArray(s.enum) || s.const !== undefined) values.push('not-a-known-value', '');
    if (typeof s.pattern === 'string') values.push('!!', 'd1e');
  }
  return values;
};

const clone = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

/** Sets (or, with `remove`, deletes) the value at `path`, creating containers on the way. */
const setAt = (root: unknown, path: Path, value: unknown, remove = false): unknown => {
  if (path.length === 0) return value;
  const base = (root && typeof root === 'object' ? root : typeof path[0] === 'number' ? [] : {}) as Record<
    string | number,
    unknown
  >;
  const [head, ...rest] = path as [string | number, ...Path];
  if (rest.length === 0) {
    if (remove) delete base[head];
    else base[head] = value;
  } else {
    base[head] = setAt(base[head], rest, value, remove);
  }
  return base;
};

const serialize = (value: unknown): string => JSON.stringify(value).replaceAll(`"${HUGE}"`, '1e999');

type BodyCase = { body: string; contentType: string; defect: string };

const MALFORMED_JSON = [
  '{',
  '{"name":',
  '[1,2',
  '{"name": "x",}',
  'nul',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '\u0000',
];
const NON_OBJECT_JSON = ['[]', '"text"', '42', 'null', 'true', '[{}]'];
const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  'text/json',
];

const bodyDefects = (doc: OpenApiDocument, schema: JsonSchema | undefined): fc.Arbitrary<BodyCase> => {
  const json = 'application/json';
  const generic: fc.Arbitrary<BodyCase>[] = [
    fc.constantFrom(...MALFORMED_JSON).map((body) => ({ body, contentType: json, defect: 'malformed JSON' })),
    fc
      .tuple(fc.constantFrom(...WRONG_CONTENT_TYPES), fc.constantFrom('{}', '{"name":"x"}', 'a=b'))
      .map(([contentType, body]) => ({ body, contentType, defect: `content type ${contentType}` })),
    fc.integer({ min: 64 * 1024 + 1, max: 80 * 1024 }).map((size) => ({
      body: `{"notes":"${'x'.repeat(size)}"}`,
      contentType: json,
      defect: `body of ${size} bytes`,
    })),
    // Deep enough to overflow any recursive walk of the body, still under 64 KiB.
    fc.integer({ min: 33, max: 30_000 }).map((levels) => ({
      body: `${'['.repeat(levels)}${']'.repeat(levels)}`,
      contentType: json,
      defect: `arrays nested ${levels} levels deep`,
    })),
    fc.integer({ min: 33, max: 10_000 }).map((levels) => ({
      body: `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`,
      contentType: json,
      defect: `objects nested ${levels} levels deep`,
    })),
  ];
  if (!schema) return fc.oneof(...generic);
  const base = validValue(doc, schema);
  const slots = slotsOf(doc, schema);
  const specific: fc.Arbitrary<BodyCase>[] = [
    fc.constantFrom(...NON_OBJECT_JSON).map((body) => ({ body, contentType: json, defect: 'not an object' })),
  ];
  type Mutation = { apply: (value: unknown) => unknown; defect: string };
  const withBase = (mutations: Mutation[]) =>
    mutations.length === 0
      ? undefined
      : fc.tuple(base, fc.constantFrom(...mutations)).map(([value, mutation]) => {
          const mutated = mutation.apply(clone(value));
          // A field of one union branch removed from a value of another changes nothing: every
          // request body is a strict object, so an unknown field still makes it defective.
          return serialize(mutated) === serialize(value)
            ? {
                body: serialize({ ...(mutated as object), fuzzUnknownField: true }),
                contentType: json,
                defect: `${mutation.defect} (not in this branch), unknown field instead`,
              }
            : { body: serialize(mutated), contentType: json, defect: mutation.defect };
        });
  const at = (slot: Slot) => slot.path.join('.') || '(root)';
  const kinds = [
    withBase(
      slots.flatMap((slot) =>
        wrongTypes(doc, slot).map((wrong) => ({
          apply: (value: unknown) => setAt(value, slot.path, wrong),
          defect: `wrong type at ${at(slot)}: ${JSON.stringify(wrong)}`,
        })),
      ),
    ),
    withBase(
      slots
        .filter((slot) => slot.required && slot.path.length > 0)
        .map((slot) => ({
          apply: (value: unknown) => setAt(value, slot.path, undefined, true),
          defect: `missing required ${at(slot)}`,
        })),
    ),
    withBase(
      slots
        .filter((slot) => branches(doc, slot.schema).every((b) => b.additionalProperties === false))
        .filter((slot) => branches(doc, slot.schema).every((b) => typesOf(b).includes('object')))
        .map((slot) => ({
          apply: (value: unknown) => setAt(value, [...slot.path, 'fuzzUnknownField'], 1),
          defect: `unknown field at ${at(slot)}`,
        })),
    ),
    withBase(
      slots.flatMap((slot) =>
        outOfBounds(doc, slot).map((bad) => ({
          apply: (value: unknown) => setAt(value, slot.path, bad),
          defect: `out of bounds at ${at(slot)}: ${JSON.stringify(bad).slice(0, 40)}`,
        })),
      ),
    ),
  ].filter((kind): kind is fc.Arbitrary<BodyCase> => kind !== undefined);
  specific.push(...kinds);
  return fc.oneof(
    { weight: 1, arbitrary: fc.oneof(...generic) },
    { weight: 1, arbitrary: specific[0] as fc.Arbitrary<BodyCase> },
    { weight: 8, arbitrary: fc.oneof(...specific.slice(1)) },
  );
};

// ---- path, query, headers ----

const BAD_LIMITS = [
  '0',
  '101',
  '-1',
  '1.5',
  'abc',
  '',
  '1e3',
  'Infinity',
  '9'.repeat(400),
  '5e-324',
  '1e-131',
  '1e308',
  '1.0000000000000002',
];

const queryDefects = (
  doc: OpenApiDocument,
  path: string,
  operation: Operation,
  context: FuzzContext,
): fc.Arbitrary<{ query: Record<string, string>; defect: string; reject: boolean }> | undefined => {
  const params = operation.parameters.filter((p) => p.in === 'query');
  if (params.length === 0) return undefined;
  // A cursor is bound to the route, its path parameters, the caller and the query that issued it:
  // from another route, or from the same route for another deal, it is bad.
  const issuedElsewhere = (c: FuzzContext['cursors'][number]) =>
    c.path !== path ||
    Object.entries(c.pathValues ?? {}).some(([name, value]) => context.pathValues[name] !== value);
  const cursors = context.cursors.filter(issuedElsewhere).map((c) => c.cursor);
  const base = fc.record(
    Object.fromEntries(
      params.map((p) => [p.name, validValue(doc, p.schema).map((value) => String(value))]),
    ) as Record<string, fc.Arbitrary<string>>,
    { requiredKeys: params.filter((p) => p.required).map((p) => p.name) },
  );
  const options = params.flatMap((p) => {
    const s = deref(doc, p.schema);
    const bad: { value: string | undefined; defect: string }[] = [];
    if (p.name === 'limit')
      bad.push(...BAD_LIMITS.map((value) => ({ value, defect: `limit=${value.slice(0, 20)}` })));
    if (p.name === 'cursor')
      bad.push(
        { value: 'not-a-cursor', defect: 'garbage cursor' },
        { value: 'x'.repeat(2049), defect: 'cursor too long' },
        ...cursors.map((cursor) => ({ value: cursor, defect: 'cursor of another route or deal' })),
        ...cursors.map((cursor) => ({
          value: `${cursor.slice(0, -3)}${cursor.endsWith('AAA') ? 'BBB' : 'AAA'}`,
          defect: 'tampered cursor',
        })),
      );
    if (Array.isArray(s.enum)) bad.push({ value: 'not-a-known-value', defect: `${p.name} not in enum` });
    if (typeof s.maxLength === 'number')
      bad.push({ value: 'q'.repeat(s.maxLength + 1), defect: `${p.name} too long` });
    if (typeof s.pattern === 'string') bad.push({ value: 'x!', defect: `${p.name} off pattern` });
    if (p.required) bad.push({ value: undefined, defect: `${p.name} missing` });
    return bad.map((b) => ({ ...b, name: p.name }));
  });
  options.push({ name: 'fuzzUnknownParam', value: '1', defect: 'unknown query parameter' });
  const defective = fc.tuple(base, fc.constantFrom(...options)).map(([query, { name, value, defect }]) => {
    const next = { ...query };
    if (value === undefined) delete next[name];
    else next[name] = value;
    return { query: next, defect, reject: true };
  });
  const hasLimit = params.some((p) => p.name === 'limit');
  if (!hasLimit) return defective;
  const boundary = fc.tuple(base, fc.constantFrom('1', '100')).map(([query, limit]) => ({
    query: { ...query, limit },
    defect: `boundary limit=${limit}`,
    reject: false,
  }));
  return fc.oneof({ weight: 9, arbitrary: defective }, { weight: 1, arbitrary: boundary });
};

const pathDefects = (
  operation: Operation,
): fc.Arbitrary<{ name: string; value: string; defect: string }> | undefined => {
  const params = operation.parameters.filter((p) => p.in === 'path');
  if (params.length === 0) return undefined;
  return fc.constantFrom(...params).chain((p) => {
    const max = (p.schema.maxLength as number | undefined) ?? 64;
    const bad = [
      fc
        .integer({ min: max + 1, max: max + 200 })
        .map((n) => ({ value: 'a'.repeat(n), defect: `${p.name} of ${n} chars` })),
    ];
    // A well-formed id nobody has is a 404; a well-formed `sub` would name a new member, so only ids.
    if (p.name === 'id')
      bad.push(
        fc
          .array(fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZ'), { minLength: 26, maxLength: 26 })
          .map((chars) => ({ value: chars.join(''), defect: 'unknown id' })),
        fc.constantFrom('%00', '%E2%9C%93', '..', '%20', '%22%3E', 'null').map((value) => ({
          value,
          defect: `${p.name}=${value}`,
        })),
      );
    return fc.oneof(...bad).map((b) => ({ name: p.name, ...b }));
  });
};

const jsonHeaders = (body: string | undefined): Record<string, string> =>
  body === undefined ? {} : { 'content-type': 'application/json' };

const fillPath = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? 'fuzz-unknown');

/** An arbitrary of defective requests for one operation of the document. */
export const requestsFor = (
  doc: OpenApiDocument,
  path: string,
  method: string,
  operation: Operation,
  context: FuzzContext,
): fc.Arbitrary<FuzzRequest> => {
  const upper = method.toUpperCase();
  const bodySchema = operation.requestBody?.content['application/json']?.schema;
  const canSendBody = upper !== 'GET';
  const url = (values: Record<string, string>, query: Record<string, string> = {}) => {
    const search = new URLSearchParams(query).toString();
    return `${fillPath(path, { ...context.pathValues, ...values })}${search ? `?${search}` : ''}`;
  };
  const validBody = bodySchema ? validValue(doc, bodySchema).map(serialize) : fc.constant(undefined);
  const kinds: { weight: number; arbitrary: fc.Arbitrary<FuzzRequest> }[] = [];
  if (canSendBody)
    kinds.push({
      weight: bodySchema ? 10 : 3,
      arbitrary: bodyDefects(doc, bodySchema).map((c) => ({
        method: upper,
        path: url({}),
        headers: { 'content-type': c.contentType },
        body: c.body,
        defect: c.defect,
        reject: true,
      })),
    });
  const pathCase = pathDefects(operation);
  if (pathCase)
    kinds.push({
      weight: 3,
      arbitrary: fc.tuple(pathCase, validBody).map(([p, body]) => ({
        method: upper,
        path: url({ [p.name]: p.value }),
        headers: jsonHeaders(body),
        ...(body === undefined ? {} : { body }),
        defect: p.defect,
        reject: true,
      })),
    });
  const queryCase = queryDefects(doc, path, operation, context);
  if (queryCase)
    kinds.push({
      weight: 6,
      arbitrary: queryCase.map((q) => ({
        method: upper,
        path: url({}, q.query),
        headers: {},
        defect: q.defect,
        reject: q.reject,
      })),
    });
  if (upper === 'POST' && operation.parameters.some((p) => p.name === 'Idempotency-Key'))
    kinds.push({
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('', 'k'.repeat(129), 'k'.repeat(1000)), validBody)
        .map(([key, body]) => ({
          method: upper,
          path: url({}),
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          ...(body === undefined ? {} : { body }),
          defect: `Idempotency-Key of ${key.length} chars`,
          reject: true,
        })),
    });
  if (upper !== 'GET' && path.startsWith('/v1/deals/{id}'))
    kinds.push({
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('garbage', '"abc"', 'W/"x"', '12'), validBody)
        .map(([ifMatch, body]) => ({
          method: upper,
          path: url({}),
          headers: {
            'if-match': ifMatch,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body }),
          defect: `If-Match ${ifMatch}`,
          reject: true,
        })),
    });
  if (kinds.length === 0)
    // Nothing to break in a bodiless GET without parameters: probe it with unknown query parameters.
    return fc.constantFrom('x=1', 'limit=abc', `q=${'q'.repeat(300)}`).map((query) => ({
      method: upper,
      path: `${path}?${query}`,
      headers: {},
      defect: `query ${query.slice(0, 20)} on a route without parameters`,
      reject: false,
    }));
  return fc.oneof(...kinds);
};

/** With a valid Idempotency-Key now and then, so a rejected request proves it wrote no record either. */
export const withIdempotencyKey = (request: FuzzRequest, index: number): FuzzRequest =>
  request.method === 'POST' && index % 3 === 0 && !('idempotency-key' in request.headers)
    ? { ...request, headers: { ...request.headers, 'idempotency-key': `fuzz-${index}` } }
    : request;
