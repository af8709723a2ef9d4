import type { Server as HttpsServer } from 'node:https';
import Fastify, { type FastifyHttpsOptions, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { SigningKeys } from '../auth/signing-keys.js';
import { verifyAccessToken } from '../auth/verify-access-token.js';
import type { Clock, ManualClock } from '../domain/clock.js';
import type { IdGenerator } from '../domain/ids.js';
import { CallLifecycle, type CommitInfo } from '../services/call-lifecycle.js';
import { CallService } from '../services/call-service.js';
import type { CallbackPolicy } from '../domain/create-call/callback-policy.js';
import { ControlService } from '../services/control-service.js';
import type { DeliveryProfile } from '../services/notification-rows.js';
import { TimerRunner } from '../services/timer-runner.js';
import type { WorldHolder } from '../services/world-holder.js';
import type { Store } from '../storage/store.js';
import type { World } from '../world/world-schema.js';
import { registerErrorHandling } from './error-handler.js';
import { registerNotFound } from './not-found.js';
import { registerRequestContext } from './request-context.js';
import { callRoutes } from './routes/call-routes.js';
import { controlRoutes } from './routes/control-routes.js';
import { collectOpenApiRoutes, openApiRoutes } from './routes/control-openapi.js';
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
  /** How notifications are grouped into POSTs. Default 'ordered'. */
  deliveryProfile?: DeliveryProfile;
  /** Which plain-http callbackUris are accepted. Default 'loopback'. */
  callbacks?: CallbackPolicy;
  /** Set with `--clock manual`: POST /_switchboard/clock/advance moves it. */
  manualClock?: ManualClock;
  /** Called after each commit that added outbox rows (server.ts kicks the dispatcher). */
  onOutboxRows?: () => void;
  /** Makes the outbox look at the store now (after a replay or a clock move). Default: onOutboxRows. */
  kickOutbox?: () => void;
}

export interface BuiltApp {
  app: FastifyInstance;
  calls: CallService;
  lifecycle: CallLifecycle;
  control: ControlService;
  /** Runs call timers; server.ts starts it after listen and stops it on close. */
  timers: TimerRunner;
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

  let timers: TimerRunner | undefined = undefined;
  const onCommit = (info: CommitInfo) => {
    if (info.rows > 0) deps.onOutboxRows?.();
    if (info.timers > 0) timers?.kick();
  };
  const lifecycle = new CallLifecycle({
    store: deps.store,
    clock: deps.clock,
    ids: deps.ids,
    world: deps.world,
    profile: deps.deliveryProfile ?? 'ordered',
    onCommit,
  });
  const runner = new TimerRunner({
    store: deps.store,
    clock: deps.clock,
    handle: (timer) => lifecycle.handleTimer(timer),
    realTime: !deps.manualClock,
    onError: (error, timer) => app.log.error({ err: error, timer: timer.id }, 'timer handler failed'),
  });
  timers = runner;
  const calls = new CallService({
    lifecycle,
    world: deps.world,
    clock: deps.clock,
    ids: deps.ids,
    callbacks: deps.callbacks ?? 'loopback',
  });
  const kickOutbox = (): void => (deps.kickOutbox ?? deps.onOutboxRows)?.();
  const control = new ControlService({
    lifecycle,
    store: deps.store,
    world: deps.world,
    now,
    kickOutbox,
  });
  const openApi = collectOpenApiRoutes(app, '/_switchboard');
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
  await app.register(controlRoutes, {
    prefix: '/_switchboard',
    control,
    clock: deps.clock,
    manualClock: deps.manualClock,
    runTimers: () => runner.runDue(),
    kickOutbox,
  });
  await app.register(openApiRoutes, { prefix: '/_switchboard', collector: openApi, version: deps.version });
  return { app, calls, lifecycle, control, timers: runner };
}
