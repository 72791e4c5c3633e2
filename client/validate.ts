/**
 * Checks a request body against the API's own JSON Schema for it (`body-schemas.json`, generated
 * from the OpenAPI document by `npm run openapi`) before it is sent, and says what is wrong in the
 * API's own sentences (`messages.ts`) at the API's own paths. A form can so check one step of a
 * longer body (`only`) and refuse to go on, the way the API would refuse the whole. The API stays
 * the judge: rules it checks beyond the schema (a past date, an unknown customer) still come back
 * from it.
 */
import BODY_SCHEMAS from './body-schemas.json' with { type: 'json' };
import { type BrokenRule, sentence } from './messages.ts';

export type BodyName = keyof typeof BODY_SCHEMAS;
export type FieldProblem = { path: string; message: string };

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
};

const SCHEMAS = BODY_SCHEMAS as unknown as Record<string, Schema>;

const resolve = (schema: Schema): Schema =>
  schema.$ref ? resolve(SCHEMAS[schema.$ref.split('/').at(-1) ?? ''] ?? {}) : schema;

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

const typeOf = (value: unknown): string =>
  Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;

/** The first rule `value` breaks, checking the schema's own limits; nested ones go to `problems`. */
const check = (schema: Schema, value: unknown, path: string, broken: BrokenRule[]): void => {
  const own = resolve(schema);
  if (own.anyOf) {
    // The first alternative the value fits is the one it means (e.g. a value or `null`).
    const fits = own.anyOf.find((alternative) => {
      const trial: BrokenRule[] = [];
      check(alternative, value, path, trial);
      return trial.length === 0;
    });
    if (!fits) check(own.anyOf[0] ?? {}, value, path, broken);
    return;
  }
  if (own.enum && !own.enum.includes(value)) {
    broken.push({ rule: 'enum', path, values: own.enum });
    return;
  }
  const type = own.type === 'integer' ? 'number' : own.type;
  if (type && typeOf(value) !== type) {
    broken.push({ rule: 'type', path, expected: type });
    return;
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (own.minLength !== undefined && length < own.minLength)
      broken.push({ rule: 'minLength', path, limit: own.minLength });
    else if (own.maxLength !== undefined && length > own.maxLength)
      broken.push({ rule: 'maxLength', path, limit: own.maxLength });
    else if (own.pattern !== undefined && !new RegExp(own.pattern, 'u').test(value))
      broken.push(own.format ? { rule: 'format', path, format: own.format } : { rule: 'unknown', path });
  } else if (typeof value === 'number') {
    if (own.minimum !== undefined && value < own.minimum)
      broken.push({ rule: 'minimum', path, limit: own.minimum });
    else if (own.maximum !== undefined && value > own.maximum)
      broken.push({ rule: 'maximum', path, limit: own.maximum });
  } else if (Array.isArray(value)) {
    if (own.minItems !== undefined && value.length < own.minItems)
      broken.push({ rule: 'minItems', path, limit: own.minItems });
    else if (own.maxItems !== undefined && value.length > own.maxItems)
      broken.push({ rule: 'maxItems', path, limit: own.maxItems });
    if (own.items)
      for (const [index, item] of value.entries()) check(own.items, item, join(path, index), broken);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of own.required ?? []) {
      if (record[key] !== undefined) continue;
      // A missing choice is asked for as a choice, as the API asks for it.
      const values = resolve(own.properties?.[key] ?? {}).enum;
      broken.push(
        values
          ? { rule: 'enum', path: join(path, key), values }
          : { rule: 'required', path: join(path, key) },
      );
    }
    for (const [key, property] of Object.entries(own.properties ?? {}))
      if (record[key] !== undefined) check(property, record[key], join(path, key), broken);
  }
};

/**
 * What is wrong with `body` as the API's `name` body, one problem per field, in the API's words.
 * `only` limits the check to the fields at or under these paths (one step of a form).
 */
export const validateBody = (name: BodyName, body: unknown, only?: readonly string[]): FieldProblem[] => {
  const broken: BrokenRule[] = [];
  check(SCHEMAS[name] ?? {}, body, '', broken);
  return broken
    .filter(
      ({ path }) =>
        only === undefined || only.some((field) => path === field || path.startsWith(`${field}.`)),
    )
    .map((rule) => ({ path: rule.path, message: sentence(rule) }));
};
