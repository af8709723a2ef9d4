import type { Principal } from '../auth/verify-access-token.js';
import { checkCreateCallPermissions } from '../auth/permissions.js';
import type { CallRecord, GraphVersion } from '../domain/call-document.js';
import { startOutgoingCall } from '../domain/call-machine.js';
import type { Clock } from '../domain/clock.js';
import { buildCall } from '../domain/create-call/build-call.js';
import type { CreateCallRequest } from '../domain/create-call/create-call-request.js';
import type { CallbackPolicy } from '../domain/create-call/callback-policy.js';
import { planCreateCall } from '../domain/create-call/plan-create-call.js';
import { isDomainError } from '../domain/effects.js';
import { GraphError, graphErrors } from '../domain/graph-error.js';
import type { IdGenerator } from '../domain/ids.js';
import { createParticipant } from '../domain/participant-machine.js';
import type { CallLifecycle } from './call-lifecycle.js';
import type { CallRuntime } from './call-runtime.js';
import { startFarEnd } from './far-end.js';
import { MEETING_JOIN_DELAY_MS, MEETING_JOIN_TIMER } from './meeting-join.js';
import { botInfo, botStreams } from './participant-info.js';
import type { WorldHolder } from './world-holder.js';

export interface CallServiceOptions {
  lifecycle: CallLifecycle;
  world: WorldHolder;
  clock: Clock;
  ids: IdGenerator;
  /** Which plain-http callbackUris are accepted. Default 'loopback'. */
  callbacks?: CallbackPolicy;
}

/** The bot's side of calls (the Graph surface): create, read and hang up. */
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

    const plan = planCreateCall({
      request,
      tokenTenantId: principal.tenantId,
      version,
      world,
      callbacks: this.#o.callbacks ?? 'loopback',
    });
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
    if (plan.meeting) doc.extra.meetingId = plan.meeting.id;
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
    const start = startOutgoingCall({
      id: record.id,
      version,
      now,
      ringingTimeoutInSeconds: request.ringingTimeoutInSeconds ?? null,
    });
    const runtime: CallRuntime = {
      machine: start.next,
      timeline: [],
      timers: {},
      timerPayloads: {},
      participants: [],
      rosterSequenceNumber: 0,
      rosterPending: [],
      hungUpByBot: false,
      heldNotifications: [],
    };
    return this.#o.lifecycle.create(record, runtime, (draft) => {
      draft.note('created', { scenario: plan.scenario, version });
      draft.applyCallEffects(start);
      const bot = createParticipant({
        id: String(doc.resource.myParticipantId),
        info: botInfo(doc.resource.source),
        ids: this.#o.ids,
        mediaStreams: botStreams(0),
      });
      draft.addParticipant({ role: 'bot', ref: app.appId, machine: bot });
      if (plan.scenario === 'meeting')
        draft.schedule(MEETING_JOIN_TIMER, MEETING_JOIN_DELAY_MS, { type: 'meetingJoin' });
      else startFarEnd(draft, world);
    });
  }

  /**
   * The caller's live call; 404 8522 for unknown, foreign or ended calls. A call the bot hung up
   * is gone for Graph at once, although its terminated notification follows 250 ms later.
   */
  async get(input: { principal: Principal; id: string }): Promise<CallRecord> {
    const record = await this.#o.lifecycle.store.getCall(input.id);
    if (!record || !ownedBy(record, input.principal) || isGone(record)) {
      throw graphErrors.callNotFound(input.id);
    }
    return record;
  }

  /** DELETE: the bot hangs up; terminating now, terminated after the machine's delay. */
  async hangUp(input: { principal: Principal; id: string }): Promise<void> {
    await this.get(input);
    const done = await this.#o.lifecycle.update(input.id, (draft) => {
      const result = draft.call({ type: 'hangUpByBot' });
      if (isDomainError(result)) throw result.error;
      draft.runtime.hungUpByBot = true;
    });
    if (!done) throw graphErrors.callNotFound(input.id);
  }

  /** POST keepAlive: the call stays up for another 45 minutes; 404 8522 once it has ended. */
  async keepAlive(input: { principal: Principal; id: string }): Promise<void> {
    await this.get(input);
    const done = await this.#o.lifecycle.update(input.id, (draft) => {
      const result = draft.call({ type: 'keepAlive' });
      if (isDomainError(result)) throw result.error;
    });
    if (!done) throw graphErrors.callNotFound(input.id);
  }
}

function isGone(record: CallRecord): boolean {
  return record.state === 'terminated' || record.doc.extra.hungUpByBot === true;
}

function ownedBy(record: CallRecord, principal: Principal): boolean {
  return (
    record.appId === principal.appId && record.tenantId.toLowerCase() === principal.tenantId.toLowerCase()
  );
}
