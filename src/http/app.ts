import type { Server as HttpsServer } from 'node:https';
import Fastify, { type FastifyHttpsOptions, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { SigningKeys } from '../auth/signing-keys.js';
import { verifyAccessToken } from '../auth/verify-access-token.js';
import type { Clock } from '../domain/clock.js';
import type { IdGenerator } from '../domain/ids.js';
import { CallService } from '../services/call-service.js';
import type { WorldHolder } from '../services/world-holder.js';
import type { Store } from '../storage/store.js';
import type { World } from '../world/world-schema.js';
import { registerErrorHandling } from './error-handler.js';
import { registerNotFound } from './not-found.js';
import { registerRequestContext } from './request-context.js';
import { callRoutes } from './routes/call-routes.js';
import { identityRoutes } from './routes/identity-routes.js';
import { switchboardRoutes } from './routes/switchboard-routes.js';
import { graphValidatorCompiler } from './validators.js';

export interface AppDeps {
  store: Store;
  world: WorldHolder;
  /** The world as loaded at start; POST /_switchboard/reset returns to it. */
  initialWorld: World;
  clock: Clock;
  ids: IdGenerator;
  keys: SigningKeys;
  authMode: 'strict' | 'loose';
  storage: 'sqlite-file' | 'sqlite-memory';
  version: string;
  /** A pino logger; none: silent. */
  loggerInstance?: FastifyServerOptions['loggerInstance'];
  https?: { cert: string; key: string };
}

export interface BuiltApp {
  app: FastifyInstance;
  calls: CallService;
}

/** Builds the whole Switchboard HTTP application. It never listens: server.ts does. */
export async function buildApp(deps: AppDeps): Promise<BuiltApp> {
  const options: FastifyServerOptions = {
    ...(deps.loggerInstance ? { loggerInstance: deps.loggerInstance } : { logger: false }),
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: 1024 * 1024,
    genReqId: () => deps.ids.uuid(),
  };
  const app = deps.https
    ? (Fastify({
        ...options,
        https: { cert: deps.https.cert, key: deps.https.key },
      } as FastifyHttpsOptions<HttpsServer>) as unknown as FastifyInstance)
    : Fastify(options);
  const now = () => deps.clock.now();

  app.setValidatorCompiler(graphValidatorCompiler());
  // Graph accepts JSON bodies only (the identity routes add form bodies for themselves).
  app.removeContentTypeParser('text/plain');
  registerRequestContext(app, deps.ids);
  registerErrorHandling(app, now);
  registerNotFound(app, now);

  const calls = new CallService({ store: deps.store, world: deps.world, clock: deps.clock, ids: deps.ids });
  const authenticate = (request: { headers: { authorization?: string } }) =>
    verifyAccessToken({
      authorization: request.headers.authorization,
      keys: deps.keys,
      mode: deps.authMode,
      now: deps.clock.now(),
      world: deps.world.index,
    });

  for (const version of ['v1.0', 'beta'] as const) {
    for (const collection of ['communications/calls', 'app/calls'] as const) {
      await app.register(callRoutes, {
        prefix: `/${version}/${collection}`,
        version,
        collection,
        calls,
        authenticate,
      });
    }
  }
  await app.register(identityRoutes, {
    getWorld: () => deps.world.index,
    keys: deps.keys,
    clock: deps.clock,
  });
  await app.register(switchboardRoutes, {
    prefix: '/_switchboard',
    store: deps.store,
    world: deps.world,
    initialWorld: deps.initialWorld,
    clock: deps.clock,
    startedAt: deps.clock.now(),
    storage: deps.storage,
    version: deps.version,
  });
  return { app, calls };
}
