import { randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AadError } from '../../auth/aad-errors.js';
import { aadErrorBody, aadErrors } from '../../auth/aad-errors.js';
import {
  checkClientCredentials,
  isMultiTenantSegment,
  type TokenRequestForm,
} from '../../auth/client-credentials.js';
import {
  AadErrorSchema,
  CallingServiceConfigurationSchema,
  InstanceDiscoveryQuerySchema,
  InstanceDiscoverySchema,
  JwksSchema,
  OpenIdConfigurationSchema,
  TenantParamsSchema,
  TokenBodySchema,
  TokenResponseSchema,
  TokenResponseV1Schema,
  type TokenResponse,
  type TokenResponseV1,
} from '../../auth/identity-schemas.js';
import {
  callingServiceConfiguration,
  instanceDiscovery,
  openIdConfigurationV1,
  openIdConfigurationV2,
} from '../../auth/openid-documents.js';
import type { SigningKeys } from '../../auth/signing-keys.js';
import { APP_TOKEN_LIFETIME_SECONDS, issueAppToken } from '../../auth/token-issuer.js';
import type { Clock } from '../../domain/clock.js';
import type { WorldIndex } from '../../world/world-index.js';

export interface IdentityRoutesOptions {
  getWorld: () => WorldIndex;
  keys: SigningKeys;
  clock: Clock;
}

const FORM_TYPE = 'application/x-www-form-urlencoded';
const AAD_ERRORS = { 400: AadErrorSchema, 401: AadErrorSchema };

/**
 * The identity platform (token endpoint, OpenID discovery, keys, MSAL instance discovery) and
 * the calling service's notification-signing discovery document, served on Switchboard's host.
 * Every URL inside a document uses the scheme and host the client used for that request.
 */
export const identityRoutes: FastifyPluginAsync<IdentityRoutesOptions> = async (instance, opts) => {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  if (!app.hasContentTypeParser(FORM_TYPE)) await app.register(formbody);

  const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

  const sendAadError = (request: FastifyRequest, reply: FastifyReply, error: AadError) => {
    const traceId = randomUUID();
    const sent = request.headers['client-request-id'];
    const correlationId = typeof sent === 'string' && sent.length > 0 ? sent : randomUUID();
    return reply
      .code(error.status)
      .headers({ 'cache-control': 'no-store, no-cache', pragma: 'no-cache', 'x-ms-request-id': traceId })
      .send(aadErrorBody(error, { now: opts.clock.now(), traceId, correlationId }));
  };

  /** A tenant segment the discovery endpoints answer for: a world tenant or common/organizations/consumers. */
  const knownTenant = (tenant: string): AadError | undefined =>
    isMultiTenantSegment(tenant) || opts.getWorld().tenant(tenant)
      ? undefined
      : aadErrors.tenantNotFound(tenant);

  /** Checks the request; on success signs the token, else sends the AADSTS error. */
  const grantToken = async (
    request: FastifyRequest,
    reply: FastifyReply,
    target: { endpoint: 'v1' | 'v2'; tenant: string; body: TokenRequestForm | string | undefined },
  ) => {
    const isForm = (request.headers['content-type'] ?? '').toLowerCase().startsWith(FORM_TYPE);
    const { endpoint, tenant: tenantSegment, body } = target;
    const result = checkClientCredentials({
      world: opts.getWorld(),
      tenant: tenantSegment,
      form: isForm && typeof body === 'object' ? body : {},
      endpoint,
      basic: basicCredentials(request.headers.authorization),
    });
    if (!result.ok) {
      await sendAadError(request, reply, result.error);
      return undefined;
    }
    const { app: client, tenant, audience } = result.grant;
    const now = opts.clock.now();
    const accessToken = await issueAppToken({
      keys: opts.keys,
      appId: client.appId,
      tenantId: tenant.id,
      roles: client.roles,
      now,
      appDisplayName: client.displayName,
      audience,
    });
    reply.headers({ 'cache-control': 'no-store, no-cache', pragma: 'no-cache' });
    return { accessToken, audience, now };
  };

  app.post(
    '/:tenant/oauth2/v2.0/token',
    {
      schema: {
        params: TenantParamsSchema,
        body: TokenBodySchema,
        response: { 200: TokenResponseSchema, ...AAD_ERRORS },
      },
    },
    async (request, reply) => {
      const granted = await grantToken(request, reply, {
        endpoint: 'v2',
        tenant: request.params.tenant,
        body: request.body,
      });
      if (!granted) return reply;
      const body: TokenResponse = {
        token_type: 'Bearer',
        expires_in: APP_TOKEN_LIFETIME_SECONDS,
        ext_expires_in: APP_TOKEN_LIFETIME_SECONDS,
        access_token: granted.accessToken,
      };
      return body;
    },
  );

  app.post(
    '/:tenant/oauth2/token',
    {
      schema: {
        params: TenantParamsSchema,
        body: TokenBodySchema,
        response: { 200: TokenResponseV1Schema, ...AAD_ERRORS },
      },
    },
    async (request, reply) => {
      const granted = await grantToken(request, reply, {
        endpoint: 'v1',
        tenant: request.params.tenant,
        body: request.body,
      });
      if (!granted) return reply;
      const issuedAt = Math.floor(granted.now / 1000);
      const body: TokenResponseV1 = {
        token_type: 'Bearer',
        expires_in: String(APP_TOKEN_LIFETIME_SECONDS),
        ext_expires_in: String(APP_TOKEN_LIFETIME_SECONDS),
        expires_on: String(issuedAt + APP_TOKEN_LIFETIME_SECONDS),
        not_before: String(issuedAt),
        resource: granted.audience,
        access_token: granted.accessToken,
      };
      return body;
    },
  );

  const discoverySchema = {
    params: TenantParamsSchema,
    response: { 200: OpenIdConfigurationSchema, ...AAD_ERRORS },
  };
  for (const [path, build] of [
    ['/:tenant/v2.0/.well-known/openid-configuration', openIdConfigurationV2],
    ['/:tenant/.well-known/openid-configuration', openIdConfigurationV1],
  ] as const) {
    app.get(path, { schema: discoverySchema }, async (request, reply) => {
      const { tenant } = request.params;
      const error = knownTenant(tenant);
      if (error) return sendAadError(request, reply, error);
      return build({ origin: origin(request), tenant, multiTenant: isMultiTenantSegment(tenant) });
    });
  }

  const keysSchema = { params: TenantParamsSchema, response: { 200: JwksSchema, ...AAD_ERRORS } };
  for (const path of ['/:tenant/discovery/v2.0/keys', '/:tenant/discovery/keys']) {
    app.get(path, { schema: keysSchema }, async (request, reply) => {
      const error = knownTenant(request.params.tenant);
      if (error) return sendAadError(request, reply, error);
      return opts.keys.jwks();
    });
  }

  app.get(
    '/common/discovery/instance',
    { schema: { querystring: InstanceDiscoveryQuerySchema, response: { 200: InstanceDiscoverySchema } } },
    async (request) =>
      instanceDiscovery({
        origin: origin(request),
        host: request.host,
        authorizationEndpoint: request.query.authorization_endpoint,
      }),
  );

  app.get(
    '/v1/.well-known/OpenIdConfiguration',
    { schema: { response: { 200: CallingServiceConfigurationSchema } } },
    async (request) => callingServiceConfiguration({ origin: origin(request) }),
  );
  app.get('/v1/.well-known/keys', { schema: { response: { 200: JwksSchema } } }, async () =>
    opts.keys.jwks(),
  );
};

/** client_secret_basic: `Authorization: Basic base64(urlencoded id ":" urlencoded secret)`. */
function basicCredentials(
  authorization: string | undefined,
): { clientId: string; clientSecret: string } | undefined {
  const match = /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return undefined;
  }
}
