import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { WorldSchema } from './world-schema.js';

let compiled: TypeCheck<typeof WorldSchema> | undefined;

function checker(): TypeCheck<typeof WorldSchema> {
  compiled ??= TypeCompiler.Compile(WorldSchema);
  return compiled;
}

const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const E164_PATTERN = '^\\+[1-9][0-9]{6,14}$';
const DIGITS_PATTERN = '^[0-9]{1,20}$';

/** A short JSON rendering of a value for an error line. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

function describe(schema: TSchema): string {
  if (schema.const !== undefined) return show(schema.const);
  switch (schema.type) {
    case 'null':
      return 'null';
    case 'string':
      return schema.minLength ? 'a non-empty string' : 'a string';
    case 'integer':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    default:
      return 'a valid value';
  }
}

function explain(error: ValueError): string {
  const got = `got ${show(error.value)}`;
  switch (error.type) {
    case ValueErrorType.ObjectAdditionalProperties:
      return 'unknown property';
    case ValueErrorType.ObjectRequiredProperty:
      return `missing required property (expected ${describe(error.schema)})`;
    case ValueErrorType.StringPattern:
      if (error.schema.pattern === GUID_PATTERN)
        return `must be a GUID like 00000000-0000-0000-0000-000000000000, ${got}`;
      if (error.schema.pattern === E164_PATTERN)
        return `must be an E.164 phone number like +14255550100, ${got}`;
      if (error.schema.pattern === DIGITS_PATTERN) return `must be 1 to 20 digits, ${got}`;
      return `${error.message}, ${got}`;
    case ValueErrorType.Union: {
      const options = (error.schema.anyOf as TSchema[] | undefined) ?? [];
      return `must be one of ${options.map(describe).join(', ')}; ${got}`;
    }
    default:
      return `${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}, ${got}`;
  }
}

/**
 * Checks `input` against WorldSchema. Returns one line per offending JSON path
 * (`/apps/0/appId: must be a GUID ...`), in the order TypeBox reports them; empty when valid.
 */
export function schemaProblems(input: unknown): string[] {
  const check = checker();
  if (check.Check(input)) return [];
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const error of check.Errors(input)) {
    const path = error.path === '' ? '/' : error.path;
    if (seen.has(path)) continue;
    seen.add(path);
    problems.push(`${path}: ${explain(error)}`);
  }
  return problems;
}
