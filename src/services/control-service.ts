import type { CallRecord } from '../domain/call-document.js';
import { isDomainError, type DomainError } from '../domain/effects.js';
import { graphErrors } from '../domain/graph-error.js';
import type { ParticipantCommand } from '../domain/participant-machine.js';
import type { DeliveryAttempt, OutboxRow, Store } from '../storage/store.js';
import type { AnswerPolicy } from '../world/world-schema.js';
import type { CallDraft } from './call-draft.js';
import type { CallLifecycle } from './call-lifecycle.js';
import { farEndTimer, runFarEndStep } from './far-end.js';
import { addMember, meetingOf, waitsInLobby } from './meeting-join.js';
import type { WorldHolder } from './world-holder.js';

export type FarEndAction = 'answer' | 'decline' | 'hang-up';
export type ParticipantAction = 'admit' | 'mute' | 'unmute';
export type SharingAction = 'start' | 'update' | 'stop';

export interface ControlServiceOptions {
  lifecycle: CallLifecycle;
  store: Store;
  world: WorldHolder;
  now: () => number;
  /** Asks the outbox dispatcher to look at the store (after a replay). */
  kickOutbox?: () => void;
}

const throwIfRefused = (r: DomainError | undefined | string | object): void => {
  if (r !== undefined && isDomainError(r)) throw r.error;
};

/**
 * The control API: what a developer (or a test) does in place of the simulated people: answer,
 * decline or hang up the far end, join, leave, admit, mute and share in meetings and group
 * calls, change answer policies, inspect calls and their notifications.
 */
export class ControlService {
  readonly #o: ControlServiceOptions;
  constructor(options: ControlServiceOptions) {
    this.#o = options;
  }

  listCalls(limit = 100): Promise<CallRecord[]> {
    return this.#o.store.listCalls({ limit });
  }

  async getCall(id: string): Promise<CallRecord> {
    const record = await this.#o.store.getCall(id);
    if (!record) throw graphErrors.callNotFound(id);
    return record;
  }

  async notifications(callId: string): Promise<{ row: OutboxRow; attempts: DeliveryAttempt[] }[]> {
    await this.getCall(callId);
    const rows = await this.#o.store.listOutbox({ callId, limit: 1000 });
    rows.sort((a, b) => a.seq - b.seq);
    return Promise.all(
      rows.map(async (row) => ({ row, attempts: await this.#o.store.listAttempts(row.id) })),
    );
  }

  async replay(outboxId: string): Promise<OutboxRow> {
    const row = await this.#o.store.getOutbox(outboxId);
    if (!row) throw graphErrors.notFound(`Outbox row not found: ${outboxId}`);
    if (!(await this.#o.store.replayOutbox(outboxId, this.#o.now()))) {
      throw graphErrors.conflict(
        `Outbox row ${outboxId} is ${row.status}; only failed rows can be replayed.`,
      );
    }
    this.#o.kickOutbox?.();
    return (await this.#o.store.getOutbox(outboxId))!;
  }

  /** The simulated far end of a peer-to-peer or PSTN call answers, declines or hangs up. */
  farEnd(callId: string, action: FarEndAction): Promise<CallRecord> {
    return this.#change(callId, (draft) => {
      if (!draft.isTwoParty)
        throw graphErrors.badRequest('Only peer-to-peer and PSTN calls have a far end to act as.');
      const target = draft.runtime.participants.find((p) => p.role === 'target');
      if (!target) throw graphErrors.badRequest('This call has no far end.');
      const step = action === 'hang-up' ? 'hangUp' : action;
      throwIfRefused(runFarEndStep(draft, target.machine.participant.id, step, { followPolicy: null }));
    });
  }

  /** A world user joins a meeting (lobby by its lobbyBypass) or a group call. */
  async addParticipant(
    callId: string,
    userId: string,
  ): Promise<{ participantId: string; record: CallRecord }> {
    let participantId = '';
    const record = await this.#change(callId, (draft) => {
      if (draft.isTwoParty)
        throw graphErrors.badRequest('Only group calls and meetings take more participants.');
      const world = this.#o.world.index;
      const user = world.user(userId);
      if (!user) throw graphErrors.notFound(`User not found in the world: ${userId}`);
      const already = draft.runtime.participants.some(
        (p) =>
          p.ref?.toLowerCase() === user.id.toLowerCase() && p.machine.state !== 'left' && p.role !== 'bot',
      );
      if (already) throw graphErrors.conflict(`User ${userId} is already in the call.`);
      const meeting = draft.doc.scenario === 'meeting' ? meetingOf(draft, world) : undefined;
      const lobby = meeting ? waitsInLobby(meeting, { guest: false, user }) : false;
      const added = addMember(draft, user, lobby);
      throwIfRefused(added);
      participantId = added as string;
    });
    return { participantId, record };
  }

  /** A participant leaves (a target that was called is dropped). */
  removeParticipant(callId: string, participantId: string): Promise<CallRecord> {
    return this.#change(callId, (draft) => {
      const entry = draft.findParticipant(participantId);
      if (!entry) throw graphErrors.notFound(`Participant not found: ${participantId}`);
      if (entry.role === 'bot')
        throw graphErrors.badRequest('The bot leaves by hanging up (DELETE the call).');
      if (entry.role === 'target') {
        const step = entry.machine.state === 'inCall' ? 'hangUp' : 'decline';
        throwIfRefused(runFarEndStep(draft, participantId, step, { followPolicy: null }));
        return;
      }
      draft.cancel(farEndTimer(participantId));
      throwIfRefused(draft.participant(participantId, { type: 'leave' }));
    });
  }

  /** admit (from the lobby), mute, unmute. Admitting the bot establishes the call. */
  participantAction(callId: string, participantId: string, action: ParticipantAction): Promise<CallRecord> {
    return this.#change(callId, (draft) => {
      const entry = draft.findParticipant(participantId);
      if (action === 'admit' && entry?.role === 'bot' && entry.machine.state === 'inLobby') {
        throwIfRefused(asError(draft.call({ type: 'farEndAnswered' }, { admitted: participantId })));
      }
      throwIfRefused(draft.participant(participantId, { type: action }));
    });
  }

  sharing(callId: string, participantId: string, action: SharingAction): Promise<CallRecord> {
    const type = ({ start: 'startSharing', update: 'updateSharing', stop: 'stopSharing' } as const)[action];
    const command: ParticipantCommand = { type };
    return this.#change(callId, (draft) => throwIfRefused(draft.participant(participantId, command)));
  }

  setUserPolicy(userId: string, policy: AnswerPolicy): AnswerPolicy {
    if (!this.#o.world.setUserPolicy(userId, policy))
      throw graphErrors.notFound(`User not found in the world: ${userId}`);
    return policy;
  }

  setPhonePolicy(number: string, policy: AnswerPolicy): AnswerPolicy {
    this.#o.world.setPhonePolicy(number, policy);
    return policy;
  }

  async #change(callId: string, change: (draft: CallDraft) => void): Promise<CallRecord> {
    const done = await this.#o.lifecycle.update(callId, (draft) => {
      if (!draft.live) throw graphErrors.badRequest(`Call ${callId} has ended.`);
      change(draft);
    });
    if (!done) throw graphErrors.callNotFound(callId);
    return done.record;
  }
}

function asError(r: DomainError | object): DomainError | undefined {
  return isDomainError(r) ? r : undefined;
}
