import type { FastifyInstance } from 'fastify';
import type { GraphError } from '../domain/graph-error.js';
import { graphErrors } from '../domain/graph-error.js';
import { sendGraphError } from './error-handler.js';

/**
 * Unknown routes answer like Graph: a known path with an unsupported method is 405, an unknown
 * segment under /v1.0 or /beta is 400 "Resource not found for the segment", anything else 404.
 */
export function registerNotFound(app: FastifyInstance, now: () => number): void {
  const known: RegExp[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url === '*' || route.url === '/*') return;
    const pattern = route.url
      .split('/')
      .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    known.push(new RegExp(`^${pattern}/?$`));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    let error: GraphError;
    if (known.some((re) => re.test(path))) {
      error = graphErrors.methodNotAllowed(request.method, path);
    } else {
      const versioned = /^\/(v1\.0|beta)(\/.*)?$/.exec(path);
      if (versioned) {
        error = graphErrors.badRequest(`Resource not found for the segment '${unknownSegment(path)}'.`);
      } else {
        error = graphErrors.notFound(`No resource was found at '${path}'.`);
      }
    }
    return sendGraphError(reply, request, error, now());
  });
}

function unknownSegment(path: string): string {
  const segments = path.split('/').filter(Boolean);
  const known = ['v1.0', 'beta', 'communications', 'app', 'calls'];
  return segments.find((s, i) => i > 0 && !known.includes(s)) ?? segments[segments.length - 1] ?? '';
}
