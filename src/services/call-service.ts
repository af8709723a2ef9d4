import type { Principal } from '../auth/verify-access-token.js';
import { checkCreateCallPermissions } from '../auth/permissions.js';
import type { CallRecord, GraphVersion } from '../domain/call-document.js';
import type { Clock } from '../domain/clock.js';
import { buildCall } from '../domain/create-call/build-call.js';
import type { CreateCallRequest } from '../domain/create-call/create-call-request.js';
import { planCreateCall } from '../domain/create-call/plan-create-call.js';
import { GraphError, graphErrors } from '../domain/graph-error.js';
import type { IdGenerator } from '../domain/ids.js';
import type { Store } from '../storage/store.js';
import type { WorldHolder } from './world-holder.js';

export interface CallServiceOptions {
  store: Store;
  world: WorldHolder;
  clock: Clock;
  ids: IdGenerator;
}

/** Create, read and hang up calls: load, decide (pure domain), save in one atomic change set. */
export class CallService {
  readonly #o: CallServiceOptions;
  constructor(options: CallServiceOptions) {
    this.#o = options;
  }

  async create(input: {
    principal: Principal;
    version: GraphVersion;
    request: CreateCallRequest;
  }): Promise<CallRecord> {
    const world = this.#o.world.index;
    const { principal, version, request } = input;
    const app = world.app(principal.appId);
    if (!app) throw graphErrors.unauthenticated(`Unknown application ${principal.appId}.`);

    const plan = planCreateCall({ request, tokenTenantId: principal.tenantId, version, world });
    if (plan instanceof GraphError) throw plan;

    const denied = checkCreateCallPermissions({
      principal,
      scenario: plan.scenario,
      guestJoin: plan.guestJoin,
      appHostedMedia: plan.appHostedMedia,
      meetingThreadId: plan.meeting?.chatInfo.threadId,
      rscPermissions: plan.meeting ? world.rscPermissions(app.appId, plan.meeting.chatInfo.threadId) : [],
    });
    if (denied) throw denied;

    const doc = buildCall({ request, plan, app, version, ids: this.#o.ids });
    const now = this.#o.clock.now();
    const record: CallRecord = {
      id: doc.resource.id,
      revision: 1,
      appId: app.appId,
      tenantId: doc.tenantId,
      state: doc.resource.state,
      createdAt: now,
      updatedAt: now,
      doc,
    };
    await this.#o.store.apply({ calls: [{ record, expectedRevision: null }], now });
    return record;
  }

  /** The caller's live call; 404 8522 for unknown, foreign or ended calls. */
  async get(input: { principal: Principal; id: string }): Promise<CallRecord> {
    const record = await this.#o.store.getCall(input.id);
    if (!record || !ownedBy(record, input.principal) || record.state === 'terminated') {
      throw graphErrors.callNotFound(input.id);
    }
    return record;
  }

  /** DELETE: the bot hangs up; the call moves to terminated. */
  async hangUp(input: { principal: Principal; id: string }): Promise<void> {
    const record = await this.get(input);
    const now = this.#o.clock.now();
    const resource = { ...record.doc.resource, state: 'terminated' as const };
    const next: CallRecord = {
      ...record,
      revision: record.revision + 1,
      state: 'terminated',
      updatedAt: now,
      doc: { ...record.doc, resource },
    };
    await this.#o.store.apply({ calls: [{ record: next, expectedRevision: record.revision }], now });
  }
}

function ownedBy(record: CallRecord, principal: Principal): boolean {
  return (
    record.appId === principal.appId && record.tenantId.toLowerCase() === principal.tenantId.toLowerCase()
  );
}
