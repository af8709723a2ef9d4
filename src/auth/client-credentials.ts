import { timingSafeEqual } from 'node:crypto';
import type { WorldIndex } from '../world/world-index.js';
import type { App, Tenant } from '../world/world-schema.js';
import { aadErrors, type AadError } from './aad-errors.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE, type GraphAudience } from './token-issuer.js';

/** Tenant segments that name no single tenant: client credentials cannot use them. */
export const MULTI_TENANT_SEGMENTS = ['common', 'organizations', 'consumers'] as const;

/** The form fields of a token request (all optional: missing ones are reported like AAD does). */
export interface TokenRequestForm {
  grant_type?: string;
  client_id?: string;
  client_secret?: string;
  client_assertion?: string;
  client_assertion_type?: string;
  scope?: string;
  /** v1 endpoint (/oauth2/token) only: the resource instead of a scope. */
  resource?: string;
}

export interface GrantedClient {
  app: App;
  tenant: Tenant;
  audience: GraphAudience;
}

export type ClientCredentialsResult = { ok: true; grant: GrantedClient } | { ok: false; error: AadError };

export function isMultiTenantSegment(tenant: string): boolean {
  return (MULTI_TENANT_SEGMENTS as readonly string[]).includes(tenant.toLowerCase());
}

/**
 * Checks a client credentials request the way the identity platform does, in this order:
 * tenant, grant_type, client_id, scope, the app, its secret, then the scope's resource.
 * An app may get tokens for its home tenant and for every other tenant of the world.
 * `basic` holds the credentials of an `Authorization: Basic` header (client_secret_basic).
 */
export function checkClientCredentials(opts: {
  world: WorldIndex;
  tenant: string;
  form: TokenRequestForm;
  /** 'v2' (default): /oauth2/v2.0/token with `scope`; 'v1': /oauth2/token with `resource`. */
  endpoint?: 'v1' | 'v2';
  basic?: { clientId: string; clientSecret: string };
}): ClientCredentialsResult {
  const fail = (error: AadError): ClientCredentialsResult => ({ ok: false, error });
  const { form, world } = opts;
  const multiTenant = isMultiTenantSegment(opts.tenant);
  const tenant = multiTenant ? undefined : world.tenant(opts.tenant);
  if (!multiTenant && !tenant) return fail(aadErrors.tenantNotFound(opts.tenant));

  const grantType = nonEmpty(form.grant_type);
  if (grantType === undefined) return fail(aadErrors.missingParameter('grant_type'));
  if (grantType !== 'client_credentials') return fail(aadErrors.unsupportedGrantType(grantType));
  if (!tenant) return fail(aadErrors.noTenantInformation());

  const clientId = nonEmpty(form.client_id) ?? nonEmpty(opts.basic?.clientId);
  if (clientId === undefined) return fail(aadErrors.missingParameter('client_id'));
  const v1Resource = opts.endpoint === 'v1' ? nonEmpty(form.resource) : undefined;
  const scope = opts.endpoint === 'v1' ? v1Resource && `${v1Resource}/.default` : nonEmpty(form.scope);
  if (scope === undefined)
    return fail(aadErrors.missingParameter(opts.endpoint === 'v1' ? 'resource' : 'scope'));
  const resource = graphResourceOf(scope);
  if (!resource.ok) return fail(resource.error);

  const app = world.app(clientId);
  if (!app) return fail(aadErrors.applicationNotFound(clientId, tenant.displayName));
  const secret = nonEmpty(form.client_secret) ?? nonEmpty(opts.basic?.clientSecret);
  if (secret === undefined) {
    return fail(
      nonEmpty(form.client_assertion) ? aadErrors.unknownAssertionKey() : aadErrors.missingClientCredential(),
    );
  }
  if (!sameSecret(secret, app.secret)) return fail(aadErrors.invalidClientSecret(clientId));

  const audience = graphAudience(resource.resource);
  if (!audience) return fail(aadErrors.resourceNotFound(resource.resource, tenant.displayName));
  return { ok: true, grant: { app, tenant, audience } };
}

/** The single resource named by `<resource>/.default` scopes, or the AAD error for the scope. */
function graphResourceOf(scope: string): { ok: true; resource: string } | { ok: false; error: AadError } {
  const scopes = scope.split(/\s+/).filter((s) => s.length > 0);
  const resources = new Set<string>();
  for (const s of scopes) {
    if (!s.endsWith('/.default') || s === '/.default')
      return { ok: false, error: aadErrors.scopeNotDefault(s) };
    resources.add(s.slice(0, -'/.default'.length).replace(/\/+$/, ''));
  }
  const [first, ...rest] = [...resources];
  if (first === undefined || rest.length > 0)
    return { ok: false, error: aadErrors.invalidScope(scopes.join(' ')) };
  return { ok: true, resource: first };
}

function graphAudience(resource: string): GraphAudience | undefined {
  if (resource.toLowerCase() === GRAPH_RESOURCE) return GRAPH_RESOURCE;
  if (resource.toLowerCase() === GRAPH_APP_ID) return GRAPH_APP_ID;
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.length > 0 ? value : undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
