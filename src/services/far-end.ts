import type { JsonObject } from '../domain/call-document.js';
import type { CallCommand } from '../domain/call-machine.js';
import { domainError, isDomainError, type DomainError } from '../domain/effects.js';
import { graphErrors } from '../domain/graph-error.js';
import { createParticipant } from '../domain/participant-machine.js';
import { resultInfo } from '../domain/result-codes.js';
import type { WorldIndex } from '../world/world-index.js';
import type { AnswerPolicy } from '../world/world-schema.js';
import type { CallDraft, FarEndStep } from './call-draft.js';
import { targetIdentity, targetInfo, personStreams } from './participant-info.js';

/**
 * The simulated far end of outgoing calls (peer-to-peer, PSTN, group): each target follows its
 * answer policy from the world. Every step is a timer `farEnd:<participantId>`:
 * FAR_END_DELAY_MS after POST /calls the target rings (or, if unreachable, the call fails
 * `afterMs` later); it answers or declines `afterMs` after it started ringing; noAnswer keeps
 * ringing until the call's ring timeout; an answered target hangs up after `hangUpAfterMs`.
 */

/**
 * Time from POST /calls to the far end ringing (Switchboard's choice: Graph documents none).
 * A GET right after the POST still sees the state the POST returned.
 */
export const FAR_END_DELAY_MS = 500;

const UNREACHABLE: AnswerPolicy = { action: 'unreachable' };

/** The policy of a target: unknown users, apps and other identities cannot be reached. */
export function policyForTarget(world: WorldIndex, target: JsonObject): AnswerPolicy {
  const who = targetIdentity(target);
  if (!who) return UNREACHABLE;
  switch (who.kind) {
    case 'user':
      return world.user(who.id) ? world.policyForUser(who.id) : UNREACHABLE;
    case 'phone':
      return world.policyForPhone(who.id);
    case 'application':
      return world.app(who.id) ? world.world.defaultPolicy : UNREACHABLE;
    case 'applicationInstance':
      return world.applicationInstance(who.id) ? world.world.defaultPolicy : UNREACHABLE;
    default:
      return UNREACHABLE;
  }
}

export const farEndTimer = (participantId: string): string => `farEnd:${participantId}`;

/** Adds a participant per target and arms each target's first step. */
export function startFarEnd(draft: CallDraft, world: WorldIndex): void {
  const targets = (draft.doc.resource.targets ?? []) as JsonObject[];
  for (const target of targets) {
    const machine = createParticipant({
      info: targetInfo(target),
      ids: draft.ids,
      mediaStreams: personStreams(draft.runtime.participants.length),
    });
    const who = targetIdentity(target);
    draft.addParticipant({ role: 'target', ref: who?.id ?? null, machine });
    const policy = policyForTarget(world, target);
    const id = machine.participant.id;
    if (policy.action === 'unreachable')
      schedule(draft, id, 'unreachable', FAR_END_DELAY_MS + (policy.afterMs ?? 0));
    else schedule(draft, id, 'ring', FAR_END_DELAY_MS);
  }
}

function schedule(draft: CallDraft, participantId: string, step: FarEndStep, inMs: number): void {
  draft.schedule(farEndTimer(participantId), inMs, { type: 'farEnd', participantId, step });
}

/** The policy of the target behind a participant. */
function policyOf(draft: CallDraft, world: WorldIndex, participantId: string): AnswerPolicy {
  const targets = (draft.doc.resource.targets ?? []) as JsonObject[];
  const index = draft.runtime.participants
    .filter((p) => p.role === 'target')
    .findIndex((p) => p.machine.participant.id === participantId);
  const target = targets[index];
  return target ? policyForTarget(world, target) : UNREACHABLE;
}

export interface FarEndStepOptions {
  /** From a timer, the policy decides what follows; from the control API nothing follows. */
  followPolicy: WorldIndex | null;
}

/**
 * Runs one far-end step for a target. A refusal (the call is not in a state for it) is
 * returned: the control API reports it, the timer path records it in the timeline.
 */
export function runFarEndStep(
  draft: CallDraft,
  participantId: string,
  step: FarEndStep,
  options: FarEndStepOptions,
): DomainError | undefined {
  const entry = draft.findParticipant(participantId);
  if (!entry || entry.role !== 'target') {
    return domainError(graphErrors.notFound(`Participant not found: ${participantId}`));
  }
  const world = options.followPolicy;
  const policy = world ? policyOf(draft, world, participantId) : undefined;
  const twoParty = draft.isTwoParty;
  switch (step) {
    case 'ring': {
      if (entry.machine.state !== 'joining')
        return refused(`participant ${participantId} is not being called`);
      if (draft.state === 'establishing') {
        const r = draft.call({ type: 'farEndRinging' }, { participantId });
        if (isDomainError(r)) return r;
      }
      if (policy?.action === 'answer') schedule(draft, participantId, 'answer', policy.afterMs ?? 0);
      if (policy?.action === 'decline') schedule(draft, participantId, 'decline', policy.afterMs ?? 0);
      return undefined;
    }
    case 'answer': {
      if (entry.machine.state !== 'joining')
        return refused(`participant ${participantId} is not being called`);
      draft.cancel(farEndTimer(participantId));
      if (draft.state === 'establishing' || draft.state === 'ringing') {
        const r = draft.call({ type: 'farEndAnswered' }, { participantId });
        if (isDomainError(r)) return r;
        const bot = draft.bot;
        if (bot?.machine.state === 'joining')
          draft.participant(bot.machine.participant.id, { type: 'join', lobby: false });
      } else if (twoParty || draft.state !== 'established') {
        return refused(`the call is ${draft.state}`);
      }
      const joined = draft.participant(participantId, { type: 'join', lobby: false });
      if (isDomainError(joined)) return joined;
      if (policy?.hangUpAfterMs !== undefined) schedule(draft, participantId, 'hangUp', policy.hangUpAfterMs);
      return undefined;
    }
    case 'decline':
    case 'unreachable': {
      if (entry.machine.state !== 'joining')
        return refused(`participant ${participantId} is not being called`);
      draft.cancel(farEndTimer(participantId));
      const left = draft.participant(participantId, { type: 'leave' });
      if (isDomainError(left)) return left;
      const command: CallCommand = { type: step === 'decline' ? 'farEndDeclined' : 'farEndUnreachable' };
      if (twoParty) return callOrError(draft, command, participantId);
      if ((draft.state === 'establishing' || draft.state === 'ringing') && noTargetLeft(draft)) {
        return callOrError(draft, command, participantId);
      }
      return undefined;
    }
    case 'hangUp': {
      if (entry.machine.state !== 'inCall') return refused(`participant ${participantId} is not in the call`);
      draft.cancel(farEndTimer(participantId));
      const left = draft.participant(participantId, { type: 'leave' });
      if (isDomainError(left)) return left;
      if (twoParty) {
        const code = draft.doc.scenario === 'pstn' ? 'pstnUserHungUp' : 'farEndHangUpPeerToPeer';
        return callOrError(draft, { type: 'hangUpByFarEnd', resultInfo: resultInfo(code) }, participantId);
      }
      if (noTargetLeft(draft)) {
        return callOrError(
          draft,
          { type: 'hangUpByFarEnd', resultInfo: resultInfo('allOthersLeft') },
          participantId,
        );
      }
      return undefined;
    }
  }
}

/** No target is still being called or in the call. */
function noTargetLeft(draft: CallDraft): boolean {
  return draft.runtime.participants.every(
    (p) =>
      p.role === 'bot' || p.machine.state === 'left' || (p.role === 'member' && p.machine.state !== 'inCall'),
  );
}

function callOrError(draft: CallDraft, command: CallCommand, participantId: string): DomainError | undefined {
  const r = draft.call(command, { participantId });
  return isDomainError(r) ? r : undefined;
}

function refused(why: string): DomainError {
  return domainError(graphErrors.badRequest(`The far end cannot do that: ${why}.`));
}
