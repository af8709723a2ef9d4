import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { loadOrCreateSigningKeys } from '../auth/signing-keys.js';
import { loadOrCreateTlsCertificate } from '../auth/tls.js';
import type { StartOptions } from '../cli/start-options.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { randomIds, type IdGenerator } from '../domain/ids.js';
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
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
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
    const { app } = await buildApp({
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
    });
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    return {
      url: `${options.https ? 'https' : 'http'}://${host}:${port}`,
      world,
      certPath: tls?.certPath,
      close: async () => {
        await app.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
