import { loadOrCreateSigningKeys, type SigningKeys } from '../../../src/auth/signing-keys.js';
import type { Clock } from '../../../src/domain/clock.js';
import { OutboxDispatcher, type OutboxDispatcherOptions } from '../../../src/outbox/dispatcher.js';
import type { OutboxEvent, OutboxEventType } from '../../../src/outbox/events.js';
import { SqliteStore } from '../../../src/storage/sqlite/sqlite-store.js';
import type { Store } from '../../../src/storage/store.js';
import { Receiver } from './receiver.js';

export const ISSUER = 'https://graph.microsoft.com';
export const APP_ID = '11111111-2222-3333-4444-555555555555';
export const TENANT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

let keys: Promise<SigningKeys> | undefined;

/** One signing key per test process (RSA generation is slow). */
export function testKeys(): Promise<SigningKeys> {
  const meta = new Map<string, string>();
  keys ??= loadOrCreateSigningKeys({
    store: { getMeta: async (k) => meta.get(k), setMeta: async (k, v) => void meta.set(k, v) },
    now: Date.now(),
  });
  return keys;
}

export async function memoryStore(): Promise<SqliteStore> {
  const store = new SqliteStore({ file: ':memory:' });
  await store.migrate();
  return store;
}

export async function startReceiver(port?: number): Promise<Receiver> {
  return Receiver.start({ keys: await testKeys(), issuer: ISSUER, audiences: { [APP_ID]: TENANT_ID }, port });
}

/** A notification body naming its call, so the receiver can tell calls apart. */
export function notificationBody(callId: string, n: number): string {
  return JSON.stringify({
    '@odata.type': '#microsoft.graph.commsNotifications',
    callId,
    n,
    value: [
      {
        '@odata.type': '#microsoft.graph.commsNotification',
        changeType: 'updated',
        resourceUrl: `/communications/calls/${callId}`,
      },
    ],
  });
}

/** Inserts rows `${callId}-${n}` for each [callId, n] pair, in the given order, due at `runAt`. */
export async function addRows(
  store: Store,
  opts: { url: (callId: string) => string; rows: [string, number][]; now: number },
): Promise<void> {
  await store.apply({
    now: opts.now,
    outbox: opts.rows.map(([callId, n]) => ({
      id: `${callId}-${n}`,
      callId,
      url: opts.url(callId),
      body: notificationBody(callId, n),
      runAt: opts.now,
    })),
  });
}

/** Collects the dispatcher's events and lets a test wait for them. */
export class EventLog {
  readonly events: OutboxEvent[] = [];
  readonly #waiters: { test: () => boolean; resolve: () => void }[] = [];

  readonly listener = (event: OutboxEvent): void => {
    this.events.push(event);
    for (const waiter of [...this.#waiters]) {
      if (waiter.test()) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };

  of<T extends OutboxEventType>(type: T): Extract<OutboxEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<OutboxEvent, { type: T }> => e.type === type);
  }

  /** Resolves once `count` events of `type` have been seen. */
  waitFor(type: OutboxEventType, count = 1): Promise<void> {
    const test = (): boolean => this.of(type).length >= count;
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }
}

export async function makeDispatcher(
  opts: { store: Store; clock: Clock; log?: EventLog } & Partial<OutboxDispatcherOptions>,
): Promise<OutboxDispatcher> {
  const { log, ...rest } = opts;
  return new OutboxDispatcher({
    keys: await testKeys(),
    issuer: ISSUER,
    lookupCall: async (callId) => ({ appId: APP_ID, tenantId: TENANT_ID, callChainId: `chain-${callId}` }),
    onEvent: log?.listener,
    backoff: { baseMs: 10, maxMs: 40 },
    ...rest,
  });
}
