import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/verify-access-token.js';
import type { IdGenerator } from '../domain/ids.js';

declare module 'fastify' {
  interface FastifyRequest {
    graphRequestId: string;
    clientRequestId: string;
    principal: Principal | null;
  }
}

/**
 * Every response carries `request-id` and `client-request-id` (echoed from the request when
 * the client sent one, as Graph does) and Graph's diagnostic header.
 */
export function registerRequestContext(app: FastifyInstance, ids: IdGenerator): void {
  app.decorateRequest('graphRequestId', '');
  app.decorateRequest('clientRequestId', '');
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    const requestId = ids.uuid();
    const sent = request.headers['client-request-id'];
    request.graphRequestId = requestId;
    request.clientRequestId = typeof sent === 'string' && sent.length > 0 ? sent : requestId;
    reply.header('request-id', requestId);
    reply.header('client-request-id', request.clientRequestId);
    reply.header('x-ms-ags-diagnostic', DIAGNOSTIC);
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
  });
}

const DIAGNOSTIC = JSON.stringify({
  ServerInfo: {
    DataCenter: 'Local',
    Slice: 'E',
    Ring: 'Switchboard',
    ScaleUnit: '000',
    RoleInstance: 'local',
  },
});

/** `http(s)://host:port` as the client addressed this server. */
export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
