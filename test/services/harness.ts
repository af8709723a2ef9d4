import type { Principal } from '../../src/auth/verify-access-token.js';
import type { CallRecord } from '../../src/domain/call-document.js';
import type { CreateCallRequest } from '../../src/domain/create-call/create-call-request.js';
import { ManualClock } from '../../src/domain/clock.js';
import { sequentialIds } from '../../src/domain/ids.js';
import { CallLifecycle } from '../../src/services/call-lifecycle.js';
import { CallService } from '../../src/services/call-service.js';
import { ControlService } from '../../src/services/control-service.js';
import type { DeliveryProfile } from '../../src/services/notification-rows.js';
import { TimerRunner } from '../../src/services/timer-runner.js';
import { WorldHolder } from '../../src/services/world-holder.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { defaultWorld } from '../../src/world/default-world.js';
import { SEED_IDS as S } from '../../src/world/seed-ids.js';

export const START = Date.parse('2024-03-05T09:00:00.000Z');

/** The services wired as in the app, on an in-memory store and a manual clock; no HTTP. */
export interface ServiceHarness {
  store: SqliteStore;
  clock: ManualClock;
  world: WorldHolder;
  calls: CallService;
  control: ControlService;
  runner: TimerRunner;
  principal: Principal;
  create(request: Record<string, unknown>, version?: 'v1.0' | 'beta'): Promise<CallRecord>;
  /** Moves the clock and runs every timer that became due. */
  advance(ms: number): Promise<void>;
  /** The parsed POST bodies of a call's outbox rows, in seq order. */
  bodies(callId: string): Promise<Record<string, unknown>[]>;
  /** The `value` items of every POST body of a call, flattened. */
  items(callId: string): Promise<Record<string, unknown>[]>;
  call(callId: string): Promise<CallRecord>;
  close(): Promise<void>;
}

export async function serviceHarness(opts: { profile?: DeliveryProfile } = {}): Promise<ServiceHarness> {
  const store = new SqliteStore({ file: ':memory:' });
  await store.migrate();
  const clock = new ManualClock(START);
  const ids = sequentialIds();
  const world = new WorldHolder(defaultWorld());
  const lifecycle = new CallLifecycle({ store, clock, ids, world, profile: opts.profile ?? 'ordered' });
  const runner = new TimerRunner({ store, clock, handle: (t) => lifecycle.handleTimer(t), realTime: false });
  const calls = new CallService({ lifecycle, world, clock, ids });
  const control = new ControlService({ lifecycle, store, world, now: () => clock.now() });
  const principal: Principal = {
    appId: S.callingBotAppId,
    tenantId: S.contosoTenantId,
    roles: [
      'Calls.Initiate.All',
      'Calls.InitiateGroupCall.All',
      'Calls.JoinGroupCall.All',
      'Calls.JoinGroupCallAsGuest.All',
    ],
  };
  const bodies = async (callId: string) => {
    const rows = await store.listOutbox({ callId, limit: 1000 });
    return rows.sort((a, b) => a.seq - b.seq).map((r) => JSON.parse(r.body) as Record<string, unknown>);
  };
  return {
    store,
    clock,
    world,
    calls,
    control,
    runner,
    principal,
    create: (request, version = 'beta') =>
      calls.create({ principal, version, request: request as unknown as CreateCallRequest }),
    async advance(ms) {
      clock.advance(ms);
      await runner.runDue();
    },
    bodies,
    async items(callId) {
      return (await bodies(callId)).flatMap((b) => b.value as Record<string, unknown>[]);
    },
    async call(callId) {
      return (await store.getCall(callId))!;
    },
    close: () => store.close(),
  };
}

/** resourceData.state of each call-state item, and `roster` / `sharing:<changeType>` for the others. */
export function summarize(items: Record<string, unknown>[]): string[] {
  return items.map((item) => {
    const url = item.resourceUrl as string;
    if (url.endsWith('/participants')) return 'roster';
    if (url.endsWith('/contentsharingsessions')) return `sharing:${String(item.changeType)}`;
    const data = item.resourceData as { state: string };
    return `${String(item.changeType)}:${data.state}`;
  });
}
