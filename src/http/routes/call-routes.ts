import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/verify-access-token.js';
import type { CallDocument, GraphVersion } from '../../domain/call-document.js';
import { projectCallState } from '../../domain/call-machine.js';
import { projectCall } from '../../domain/call-projection.js';
import {
  CreateCallRequestSchema,
  type CreateCallRequest,
} from '../../domain/create-call/create-call-request.js';
import type { CallService } from '../../services/call-service.js';
import { baseUrlOf } from '../request-context.js';
import { CallResponseSchema } from '../schemas/call-response.js';
import { graphErrorResponses } from '../schemas/error-envelope.js';

export interface CallRoutesOptions {
  version: GraphVersion;
  /** 'communications/calls' or the deprecated alias 'app/calls'. */
  collection: 'communications/calls' | 'app/calls';
  calls: CallService;
  authenticate: (request: FastifyRequest) => Promise<Principal>;
}

const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });

/** POST, GET and DELETE on one version's calls collection. Thin: schema + one service call. */
export const callRoutes: FastifyPluginAsync<CallRoutesOptions> = async (app, opts) => {
  const { version, collection, calls } = opts;
  const context = (request: FastifyRequest) => `${baseUrlOf(request)}/${version}/$metadata#app/calls/$entity`;
  // v1.0 has no `ringing`: its clients see establishing.
  const present = (request: FastifyRequest, resource: CallDocument['resource']) => ({
    ...projectCall(resource, version),
    state: projectCallState(resource.state, version),
    '@odata.context': context(request),
  });

  // Authentication comes first, as on Graph: a request without a valid token gets 401 whatever
  // its body holds.
  app.addHook('onRequest', async (request) => {
    request.principal = await opts.authenticate(request);
  });

  app.post<{ Body: CreateCallRequest }>(
    '/',
    {
      schema: {
        body: CreateCallRequestSchema,
        response: { 201: CallResponseSchema, ...graphErrorResponses },
      },
    },
    async (request, reply) => {
      const record = await calls.create({ principal: request.principal!, version, request: request.body });
      reply.header('location', `${baseUrlOf(request)}/${version}/${collection}/${record.id}`);
      return reply.code(201).send(present(request, record.doc.resource));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/:id',
    { schema: { params: IdParams, response: { 200: CallResponseSchema, ...graphErrorResponses } } },
    async (request) => {
      const record = await calls.get({ principal: request.principal!, id: request.params.id });
      return present(request, record.doc.resource);
    },
  );

  // keepAlive: 200 with an empty body (Graph's docs and real responses; its OpenAPI says 204).
  app.post<{ Params: { id: string } }>(
    '/:id/keepAlive',
    { schema: { params: IdParams, response: { 200: Type.Null(), ...graphErrorResponses } } },
    async (request, reply) => {
      await calls.keepAlive({ principal: request.principal!, id: request.params.id });
      return reply.code(200).send();
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/:id',
    { schema: { params: IdParams, response: { 204: Type.Null(), ...graphErrorResponses } } },
    async (request, reply) => {
      await calls.hangUp({ principal: request.principal!, id: request.params.id });
      return reply.code(204).send();
    },
  );
};
