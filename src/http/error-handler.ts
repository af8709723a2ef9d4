import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GraphError, graphErrors } from '../domain/graph-error.js';
import type { ErrorEnvelope } from './schemas/error-envelope.js';

/** Graph's `innerError.date`: ISO 8601 UTC without fractional seconds. */
function graphDate(now: number): string {
  return new Date(now).toISOString().slice(0, 19);
}

export function errorEnvelope(error: GraphError, request: FastifyRequest, now: number): ErrorEnvelope {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.target ? { target: error.target } : {}),
      innerError: {
        date: graphDate(now),
        'request-id': request.graphRequestId,
        'client-request-id': request.clientRequestId,
      },
    },
  };
}

export function sendGraphError(
  reply: FastifyReply,
  request: FastifyRequest,
  error: GraphError,
  now: number,
): FastifyReply {
  return reply
    .code(error.status)
    .type('application/json')
    .serializer(JSON.stringify)
    .send(errorEnvelope(error, request, now));
}

/** Maps anything thrown to a Graph error; 5xx details are logged, never sent. */
export function toGraphError(error: FastifyError | Error): GraphError {
  if (error instanceof GraphError) return error;
  const fe = error as FastifyError;
  if (fe.validation) return graphErrors.badRequest(`Invalid request: ${fe.message}`);
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return graphErrors.unsupportedMediaType('The request content type must be application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return graphErrors.payloadTooLarge('The request body is too large.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return graphErrors.badRequest('The request body is empty; a JSON object is required.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return graphErrors.badRequest(`Unable to read JSON request payload: ${fe.message}`);
  }
  if (fe.statusCode === 400 && error instanceof SyntaxError) {
    return graphErrors.badRequest(`Unable to read JSON request payload: ${error.message}`);
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return graphErrors.badRequest(fe.message);
  }
  return graphErrors.internal();
}

export function registerErrorHandling(app: FastifyInstance, now: () => number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const graphError = toGraphError(error);
    if (graphError.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendGraphError(reply, request, graphError, now());
  });
}
