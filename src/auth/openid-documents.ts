/**
 * The discovery documents of the identity platform and of the calling service, built for the
 * origin (scheme + host + port) the client used to reach Switchboard. `tenant` is a tenant id
 * or one of common / organizations / consumers, for which `{tenantid}` stays a placeholder.
 */

const CLAIMS_V2 = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'acr',
  'nonce',
  'preferred_username',
  'name',
  'tid',
  'ver',
];
const CLAIMS_V1 = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'acr',
  'amr',
  'nonce',
  'email',
  'given_name',
];

export interface OpenIdConfiguration {
  token_endpoint: string;
  token_endpoint_auth_methods_supported: string[];
  jwks_uri: string;
  response_modes_supported: string[];
  subject_types_supported: string[];
  id_token_signing_alg_values_supported: string[];
  response_types_supported: string[];
  scopes_supported: string[];
  issuer: string;
  authorization_endpoint: string;
  device_authorization_endpoint: string;
  end_session_endpoint: string;
  http_logout_supported: boolean;
  frontchannel_logout_supported: boolean;
  request_uri_parameter_supported: boolean;
  claims_supported: string[];
  tenant_region_scope: string | null;
  cloud_instance_name: string;
  cloud_graph_host_name: string;
  msgraph_host: string;
}

/** The issuer segment: a tenant id, or the `{tenantid}` placeholder for multi-tenant segments. */
function issuerTenant(tenant: string, multiTenant: boolean): string {
  return multiTenant ? '{tenantid}' : tenant;
}

/** `GET /{tenant}/v2.0/.well-known/openid-configuration` */
export function openIdConfigurationV2(opts: {
  origin: string;
  tenant: string;
  multiTenant: boolean;
}): OpenIdConfiguration {
  const base = `${opts.origin}/${opts.tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${opts.origin}/${issuerTenant(opts.tenant, opts.multiTenant)}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    request_uri_parameter_supported: false,
    claims_supported: CLAIMS_V2,
    tenant_region_scope: opts.multiTenant ? null : 'NA',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}

/**
 * `GET /{tenant}/.well-known/openid-configuration` (v1). Its issuer is the v1 token issuer
 * `https://sts.windows.net/{tenant}/`, the `iss` of every Graph app token, as on Azure.
 */
export function openIdConfigurationV1(opts: {
  origin: string;
  tenant: string;
  multiTenant: boolean;
}): OpenIdConfiguration {
  const base = `${opts.origin}/${opts.tenant}`;
  return {
    ...openIdConfigurationV2(opts),
    token_endpoint: `${base}/oauth2/token`,
    jwks_uri: `${opts.origin}/common/discovery/keys`,
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid'],
    issuer: `https://sts.windows.net/${issuerTenant(opts.tenant, opts.multiTenant)}/`,
    authorization_endpoint: `${base}/oauth2/authorize`,
    device_authorization_endpoint: `${base}/oauth2/devicecode`,
    end_session_endpoint: `${base}/oauth2/logout`,
    claims_supported: CLAIMS_V1,
  };
}

export interface InstanceDiscovery {
  tenant_discovery_endpoint: string;
  'api-version': string;
  metadata: { preferred_network: string; preferred_cache: string; aliases: string[] }[];
}

/**
 * `GET /common/discovery/instance?api-version=1.1&authorization_endpoint=...`: names this host
 * as its own cloud, so a client that asks Switchboard (not login.microsoftonline.com) trusts it.
 */
export function instanceDiscovery(opts: {
  origin: string;
  host: string;
  authorizationEndpoint?: string;
}): InstanceDiscovery {
  const tenant = tenantOfAuthorizeUrl(opts.authorizationEndpoint) ?? 'common';
  return {
    tenant_discovery_endpoint: `${opts.origin}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: opts.host, preferred_cache: opts.host, aliases: [opts.host] }],
  };
}

function tenantOfAuthorizeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const first = new URL(url).pathname.split('/').filter(Boolean)[0];
    return first !== undefined && /^[A-Za-z0-9._-]+$/.test(first) ? first : undefined;
  } catch {
    return undefined;
  }
}

export interface CallingServiceConfiguration {
  issuer: string;
  authorization_endpoint: string;
  jwks_uri: string;
  id_token_signing_alg_values_supported: string[];
  token_endpoint_auth_methods_supported: string[];
}

/** `GET /v1/.well-known/OpenIdConfiguration`, mirroring https://api.aps.skype.com's document. */
export function callingServiceConfiguration(opts: { origin: string }): CallingServiceConfiguration {
  return {
    issuer: 'https://graph.microsoft.com',
    authorization_endpoint: 'https://invalid.botframework.com',
    jwks_uri: `${opts.origin}/v1/.well-known/keys`,
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
  };
}
