/**
 * The one factory for identity-platform (AADSTS) errors the token endpoint returns. Status,
 * OAuth `error`, AADSTS number and message sit side by side; `aadErrorBody` adds the trace
 * lines and ids the way login.microsoftonline.com does.
 */
export class AadError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'AadError';
  }
}

const NOT_CONSENTED =
  'This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.';

export const aadErrors = {
  tenantNotFound: (tenant: string) =>
    new AadError(
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  /** Client credentials against /common or /organizations: there is no tenant to issue for. */
  noTenantInformation: () =>
    new AadError(
      400,
      'invalid_request',
      50059,
      'No tenant-identifying information found in either the request or implied by any provided credentials.',
    ),
  missingParameter: (name: string) =>
    new AadError(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  unsupportedGrantType: (grantType: string) =>
    new AadError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    ),
  applicationNotFound: (clientId: string, directory: string) =>
    new AadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${directory}'. ${NOT_CONSENTED}`,
    ),
  missingClientCredential: () =>
    new AadError(
      401,
      'invalid_client',
      7000216,
      "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
    ),
  invalidClientSecret: (clientId: string) =>
    new AadError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  /** Worlds hold client secrets only, so no certificate can ever match a client assertion. */
  unknownAssertionKey: () =>
    new AadError(
      401,
      'invalid_client',
      700027,
      'Client assertion contains an invalid signature. [Reason - The key was not found.] Switchboard worlds register client secrets only; use client_secret.',
    ),
  scopeNotDefault: (scope: string) =>
    new AadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  invalidScope: (scope: string) =>
    new AadError(
      400,
      'invalid_scope',
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  resourceNotFound: (resource: string, tenantName: string) =>
    new AadError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. ${NOT_CONSENTED.replace('You may', 'You might')}`,
    ),
} as const;

/** The JSON body of an identity-platform error response. */
export interface AadErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

/** "2024-03-05 09:45:32Z", the identity platform's timestamp format. */
export function aadTimestamp(now: number): string {
  return new Date(now).toISOString().slice(0, 19).replace('T', ' ') + 'Z';
}

export function aadErrorBody(
  error: AadError,
  ctx: { now: number; traceId: string; correlationId: string },
): AadErrorBody {
  const timestamp = aadTimestamp(ctx.now);
  return {
    error: error.error,
    error_description:
      `AADSTS${error.code}: ${error.message}\r\n` +
      `Trace ID: ${ctx.traceId}\r\nCorrelation ID: ${ctx.correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [error.code],
    timestamp,
    trace_id: ctx.traceId,
    correlation_id: ctx.correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${error.code}`,
  };
}
