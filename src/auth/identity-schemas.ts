import { Type, type Static } from '@sinclair/typebox';

/** Wire schemas of the identity endpoints (token, discovery, keys). */

export const TenantParamsSchema = Type.Object({ tenant: Type.String({ minLength: 1 }) });

/** Every field optional: a missing one is answered with AADSTS900144, not a validation error. */
export const TokenFormSchema = Type.Object(
  {
    grant_type: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String()),
    client_secret: Type.Optional(Type.String()),
    client_assertion: Type.Optional(Type.String()),
    client_assertion_type: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String()),
    resource: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

/**
 * The token endpoints' body: a form, or a string / JSON object sent with another content type,
 * which the handler ignores (AAD reads only the form, then reports 'grant_type' missing).
 */
export const TokenBodySchema = Type.Union([TokenFormSchema, Type.String()]);

export const TokenResponseSchema = Type.Object({
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  ext_expires_in: Type.Integer(),
  access_token: Type.String(),
});
export type TokenResponse = Static<typeof TokenResponseSchema>;

/** The v1 endpoint's answer: numbers as strings, plus expires_on, not_before and resource. */
export const TokenResponseV1Schema = Type.Object({
  token_type: Type.Literal('Bearer'),
  expires_in: Type.String(),
  ext_expires_in: Type.String(),
  expires_on: Type.String(),
  not_before: Type.String(),
  resource: Type.String(),
  access_token: Type.String(),
});
export type TokenResponseV1 = Static<typeof TokenResponseV1Schema>;

export const AadErrorSchema = Type.Object({
  error: Type.String(),
  error_description: Type.String(),
  error_codes: Type.Array(Type.Integer()),
  timestamp: Type.String(),
  trace_id: Type.String(),
  correlation_id: Type.String(),
  error_uri: Type.String(),
});

export const JwksSchema = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.Literal('RSA'),
      use: Type.Literal('sig'),
      kid: Type.String(),
      x5t: Type.String(),
      n: Type.String(),
      e: Type.String(),
      x5c: Type.Array(Type.String()),
    }),
  ),
});

const Strings = Type.Array(Type.String());

export const OpenIdConfigurationSchema = Type.Object({
  token_endpoint: Type.String(),
  token_endpoint_auth_methods_supported: Strings,
  jwks_uri: Type.String(),
  response_modes_supported: Strings,
  subject_types_supported: Strings,
  id_token_signing_alg_values_supported: Strings,
  response_types_supported: Strings,
  scopes_supported: Strings,
  issuer: Type.String(),
  authorization_endpoint: Type.String(),
  device_authorization_endpoint: Type.String(),
  end_session_endpoint: Type.String(),
  http_logout_supported: Type.Boolean(),
  frontchannel_logout_supported: Type.Boolean(),
  request_uri_parameter_supported: Type.Boolean(),
  claims_supported: Strings,
  tenant_region_scope: Type.Union([Type.String(), Type.Null()]),
  cloud_instance_name: Type.String(),
  cloud_graph_host_name: Type.String(),
  msgraph_host: Type.String(),
});

export const InstanceDiscoveryQuerySchema = Type.Object(
  {
    'api-version': Type.Optional(Type.String()),
    authorization_endpoint: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export const InstanceDiscoverySchema = Type.Object({
  tenant_discovery_endpoint: Type.String(),
  'api-version': Type.String(),
  metadata: Type.Array(
    Type.Object({ preferred_network: Type.String(), preferred_cache: Type.String(), aliases: Strings }),
  ),
});

export const CallingServiceConfigurationSchema = Type.Object({
  issuer: Type.String(),
  authorization_endpoint: Type.String(),
  jwks_uri: Type.String(),
  id_token_signing_alg_values_supported: Strings,
  token_endpoint_auth_methods_supported: Strings,
});
