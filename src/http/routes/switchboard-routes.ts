import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Clock } from '../../domain/clock.js';
import type { WorldHolder } from '../../services/world-holder.js';
import type { Store } from '../../storage/store.js';
import type { World } from '../../world/world-schema.js';
import { WorldSchema } from '../../world/world-schema.js';
import { graphErrorResponses } from '../schemas/error-envelope.js';

export interface SwitchboardRoutesOptions {
  store: Store;
  world: WorldHolder;
  /** The world as loaded at start; reset goes back to it. */
  initialWorld: World;
  clock: Clock;
  startedAt: number;
  storage: 'sqlite-file' | 'sqlite-memory';
  version: string;
}

const Health = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  storage: Type.String(),
  uptimeMs: Type.Integer(),
  now: Type.String(),
});

const ResetResult = Type.Object({ reset: Type.Literal(true) });

/** The emulator's own surface under /_switchboard/: health, the world, reset. */
export const switchboardRoutes: FastifyPluginAsync<SwitchboardRoutesOptions> = async (app, opts) => {
  app.get('/health', { schema: { response: { 200: Health } } }, async () => {
    const now = opts.clock.now();
    return {
      status: 'ok' as const,
      version: opts.version,
      storage: opts.storage,
      uptimeMs: Math.max(0, now - opts.startedAt),
      now: new Date(now).toISOString(),
    };
  });

  app.get('/world', { schema: { response: { 200: WorldSchema } } }, async () => opts.world.index.world);

  app.post('/reset', { schema: { response: { 200: ResetResult, ...graphErrorResponses } } }, async () => {
    await opts.store.reset();
    opts.world.replace(structuredClone(opts.initialWorld));
    return { reset: true as const };
  });
};
