import Fastify, { type FastifyInstance } from 'fastify';
import { loadOrCreateSigningKeys, type SigningKeys } from '../../src/auth/signing-keys.js';
import { ManualClock } from '../../src/domain/clock.js';
import { identityRoutes } from '../../src/http/routes/identity-routes.js';
import { graphValidatorCompiler } from '../../src/http/validators.js';
import { WorldIndex } from '../../src/world/world-index.js';
import type { World } from '../../src/world/world-schema.js';

/** Ids and secrets of the small world the auth tests run against. */
export const T = {
  contoso: '11111111-1111-4111-8111-111111111111',
  fabrikam: '22222222-2222-4222-8222-222222222222',
  botApp: 'aaaaaaaa-0000-4000-8000-000000000001',
  rscApp: 'aaaaaaaa-0000-4000-8000-000000000002',
  bareApp: 'aaaaaaaa-0000-4000-8000-000000000003',
  secret: 'bot-secret~value',
  meetingThread: '19:meeting_abc@thread.v2',
  start: Date.UTC(2025, 0, 15, 9, 30, 0),
} as const;

export const BOT_ROLES = ['Calls.Initiate.All', 'Calls.JoinGroupCall.All', 'Calls.AccessMedia.All'];

export function testWorld(): World {
  return {
    tenants: [
      { id: T.contoso, displayName: 'Contoso' },
      { id: T.fabrikam, displayName: 'Fabrikam' },
    ],
    apps: [
      {
        appId: T.botApp,
        displayName: 'Calling Bot',
        tenantId: T.contoso,
        secret: T.secret,
        roles: [...BOT_ROLES],
      },
      {
        appId: T.rscApp,
        displayName: 'Meeting Chat Bot',
        tenantId: T.contoso,
        secret: T.secret,
        roles: [],
        rsc: [{ chatId: T.meetingThread, permissions: ['Calls.JoinGroupCalls.Chat'] }],
      },
      { appId: T.bareApp, displayName: 'Bare Bot', tenantId: T.fabrikam, secret: T.secret, roles: [] },
    ],
    users: [],
    guests: [],
    applicationInstances: [],
    phones: [],
    meetings: [],
    defaultPolicy: { action: 'answer' },
  };
}

/** An in-memory stand-in for the store's meta table. */
export function memoryMeta(): {
  getMeta(k: string): Promise<string | undefined>;
  setMeta(k: string, v: string): Promise<void>;
  data: Map<string, string>;
} {
  const data = new Map<string, string>();
  return {
    data,
    getMeta: async (k) => data.get(k),
    setMeta: async (k, v) => {
      data.set(k, v);
    },
  };
}

let sharedKeys: Promise<SigningKeys> | undefined;
/** One generated key per test process (generation takes a few hundred ms). */
export function testKeys(): Promise<SigningKeys> {
  sharedKeys ??= loadOrCreateSigningKeys({ store: memoryMeta(), now: T.start });
  return sharedKeys;
}

export interface IdentityTestApp {
  app: FastifyInstance;
  keys: SigningKeys;
  clock: ManualClock;
  world: WorldIndex;
}

/** A Fastify instance with only the identity plugin, configured like the real app. */
export async function buildIdentityApp(
  opts: { https?: { cert: string; key: string } } = {},
): Promise<IdentityTestApp> {
  const keys = await testKeys();
  const clock = new ManualClock(T.start);
  const world = new WorldIndex(testWorld());
  const app = (opts.https ? Fastify({ https: opts.https }) : Fastify()) as FastifyInstance;
  app.setValidatorCompiler(graphValidatorCompiler());
  await app.register(identityRoutes, { getWorld: () => world, keys, clock });
  await app.ready();
  return { app, keys, clock, world };
}

/** Form-encodes a token request. */
export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
