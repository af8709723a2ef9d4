/**
 * The one factory for every wire error Switchboard returns on the Graph surface.
 * Status, Graph error code and message sit side by side; the HTTP adapter adds
 * innerError (date, request-id, client-request-id) when it serialises one.
 */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export const graphErrors = {
  badRequest: (message: string, target?: string) => new GraphError(400, 'BadRequest', message, target),
  unauthenticated: (message: string) => new GraphError(401, 'InvalidAuthenticationToken', message),
  /** 403 7504: the app lacks the application permission (role) the scenario needs. */
  insufficientPermissions: (detail?: string) =>
    new GraphError(
      403,
      '7504',
      'Insufficient enterprise tenant permissions, cannot access this API.' + (detail ? ` ${detail}` : ''),
    ),
  /** 403 7505: the request's tenant differs from the token's tenant. */
  tenantMismatch: (detail?: string) =>
    new GraphError(403, '7505', 'Request authorization tenant mismatch.' + (detail ? ` ${detail}` : '')),
  forbidden: (message: string) => new GraphError(403, 'Forbidden', message),
  /** 404 8522: no call with that id for this app. */
  callNotFound: (id?: string) =>
    new GraphError(404, '8522', id ? `Call not found: ${id}` : 'Call not found.'),
  notFound: (message: string) => new GraphError(404, 'NotFound', message),
  methodNotAllowed: (method: string, path: string) =>
    new GraphError(405, 'BadRequest', `The HTTP method '${method}' is not allowed on '${path}'.`),
  conflict: (message: string) => new GraphError(409, 'Conflict', message),
  payloadTooLarge: (message: string) => new GraphError(413, 'RequestEntityTooLarge', message),
  unsupportedMediaType: (message: string) => new GraphError(415, 'UnsupportedMediaType', message),
  internal: () => new GraphError(500, 'generalException', 'An internal server error occurred.'),
} as const;
