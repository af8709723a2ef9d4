import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { loadOrCreateSigningKeys } from '../auth/signing-keys.js';
import { loadOrCreateTlsCertificate } from '../auth/tls.js';
import { callbackIssuerUrl, type StartOptions } from '../cli/start-options.js';
import { ManualClock, systemClock, type Clock } from '../domain/clock.js';
import { timeOrderedIds, type IdGenerator } from '../domain/ids.js';
import { DEFAULT_BACKOFF } from '../outbox/backoff.js';
import { cachedCallLookup } from '../outbox/call-audience-cache.js';
import { OutboxDispatcher } from '../outbox/dispatcher.js';
import { WorldHolder } from '../services/world-holder.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { defaultWorld } from '../world/default-world.js';
import { loadWorldFile } from '../world/load-world.js';
import type { World } from '../world/world-schema.js';
import { buildApp } from './app.js';

export interface RunningServer {
  url: string;
  world: World;
  /** Path of the TLS certificate when serving https. */
  certPath?: string;
  close(): Promise<void>;
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Opens storage, loads the world and keys, builds the app and listens. */
export async function startServer(
  options: StartOptions,
  deps: { clock?: Clock; ids?: IdGenerator } = {},
): Promise<RunningServer> {
  const manualClock =
    deps.clock instanceof ManualClock
      ? deps.clock
      : options.clock === 'manual'
        ? new ManualClock(Date.now())
        : undefined;
  const clock: Clock = manualClock ?? deps.clock ?? systemClock;
  const ids = deps.ids ?? timeOrderedIds;
  const world = options.worldFile ? await loadWorldFile(options.worldFile) : defaultWorld();
  const dataDir = resolve(options.dataDir);
  const store = new SqliteStore({ file: options.inMemory ? ':memory:' : join(dataDir, 'switchboard.db') });
  await store.migrate();
  try {
    const keys = await loadOrCreateSigningKeys({ store, now: clock.now() });
    const tls = options.https
      ? await loadOrCreateTlsCertificate({
          dir: dataDir,
          certFile: options.certFile,
          keyFile: options.keyFile,
          now: new Date(clock.now()),
        })
      : undefined;
    const logger = pino({ level: options.logLevel }, pino.destination(2));
    let dispatcher: OutboxDispatcher | undefined = undefined;
    const { app, timers } = await buildApp({
      store,
      world: new WorldHolder(world),
      initialWorld: structuredClone(world),
      clock,
      ids,
      keys,
      authMode: options.auth,
      storage: options.inMemory ? 'sqlite-memory' : 'sqlite-file',
      version: packageVersion(),
      loggerInstance: logger,
      https: tls ? { cert: tls.cert, key: tls.key } : undefined,
      deliveryProfile: options.deliveryProfile ?? 'ordered',
      callbacks: options.allowInsecureCallbacks ? 'any' : 'loopback',
      manualClock,
      onOutboxRows: () => dispatcher?.rowsCommitted(),
      kickOutbox: () => dispatcher?.kick(),
    });
    const outbox = new OutboxDispatcher({
      store,
      clock,
      keys,
      issuer: callbackIssuerUrl(options.callbackIssuer),
      lookupCall: cachedCallLookup(store),
      backoff: retryBackoff(options.retryBaseMs),
      onEvent: (event) => {
        if (event.type === 'error') logger.error({ err: event.error, during: event.during }, 'outbox error');
        else logger.debug({ outbox: event.type, row: event.row.id, call: event.row.callId }, 'notification');
      },
    });
    // This process owns the data directory: rows still locked were claimed by an earlier run that
    // died mid-delivery. Free them now instead of after staleLockMs (their bot may see them twice).
    const released = await store.releaseOutboxLocks({ exceptOwner: outbox.owner });
    if (released > 0) logger.info({ released }, 'outbox rows of a previous run released');
    await app.listen({ host: options.host, port: options.port });
    dispatcher = outbox;
    outbox.start();
    timers.start();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    return {
      url: `${options.https ? 'https' : 'http'}://${host}:${port}`,
      world,
      certPath: tls?.certPath,
      close: async () => {
        await timers.stop();
        await outbox.stop();
        await app.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** `--retry-base-ms` as the dispatcher's backoff: the cap stays 60 s unless the base is larger. */
function retryBackoff(baseMs = DEFAULT_BACKOFF.baseMs): { baseMs: number; maxMs: number } {
  return { baseMs, maxMs: Math.max(DEFAULT_BACKOFF.maxMs, baseMs) };
}
