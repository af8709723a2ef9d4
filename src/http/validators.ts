import { Ajv } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Request bodies are validated strictly (no coercion, no silent removal of unknown
 * properties: Graph rejects what it does not know); params and query strings are coerced
 * from their string form.
 */
export function graphValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = new Ajv({ removeAdditional: false, coerceTypes: false, useDefaults: false, strict: false });
  const coercing = new Ajv({ removeAdditional: false, coerceTypes: true, useDefaults: true, strict: false });
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : coercing;
    return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
  };
}
