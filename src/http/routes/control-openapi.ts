import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync, RouteOptions } from 'fastify';

/**
 * GET /_switchboard/openapi.json: an OpenAPI 3.1 document generated from the schemas of the
 * routes registered under the prefix (collected with an onRoute hook, so it never drifts from
 * what the routes validate and serialise).
 */

interface CollectedRoute {
  method: string;
  url: string;
  schema: NonNullable<RouteOptions['schema']>;
}

export interface OpenApiCollector {
  routes: CollectedRoute[];
}

/** Adds the onRoute hook; call it before the routes are registered. */
export function collectOpenApiRoutes(app: FastifyInstance, prefix: string): OpenApiCollector {
  const collector: OpenApiCollector = { routes: [] };
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(prefix + '/') || !route.schema) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      collector.routes.push({ method: method.toLowerCase(), url: route.url, schema: route.schema });
    }
  });
  return collector;
}

type Json = Record<string, unknown>;

/** A JSON schema as OpenAPI 3.1 embeds it: plain JSON, without $id. */
function clean(schema: unknown): Json {
  const copy = JSON.parse(JSON.stringify(schema)) as Json;
  const strip = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(strip);
    else if (value && typeof value === 'object') {
      delete (value as Json).$id;
      Object.values(value).forEach(strip);
    }
  };
  strip(copy);
  return copy;
}

export function openApiDocument(routes: CollectedRoute[], version: string): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operation: Json = { operationId: `${route.method} ${path}` };
    const params = route.schema.params as
      { properties?: Record<string, unknown>; required?: string[] } | undefined;
    if (params?.properties) {
      operation.parameters = Object.entries(params.properties).map(([name, schema]) => ({
        name,
        in: 'path',
        required: true,
        schema: clean(schema),
      }));
    }
    if (route.schema.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: clean(route.schema.body) } },
      };
    }
    const responses: Json = {};
    for (const [status, schema] of Object.entries((route.schema.response ?? {}) as Record<string, unknown>)) {
      const description = status.startsWith('2') ? 'Success' : 'Graph error envelope';
      const isNull = (schema as Json).type === 'null';
      responses[status] = isNull
        ? { description }
        : { description, content: { 'application/json': { schema: clean(schema) } } };
    }
    operation.responses = responses;
    paths[path] = { ...paths[path], [route.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard control API',
      version,
      description:
        "Switchboard's own surface: inspect calls and notifications, act as the simulated people, move the clock.",
    },
    paths,
  };
}

export interface OpenApiRoutesOptions {
  collector: OpenApiCollector;
  version: string;
}

const OpenApiSchema = Type.Object({ openapi: Type.String() }, { additionalProperties: true });

export const openApiRoutes: FastifyPluginAsync<OpenApiRoutesOptions> = async (app, opts) => {
  app.get('/openapi.json', { schema: { response: { 200: OpenApiSchema } } }, async () =>
    openApiDocument(opts.collector.routes, opts.version),
  );
};
