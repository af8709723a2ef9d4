import type { CallDocument, CallRecord, Json, JsonObject } from '../domain/call-document.js';
import type { CallMachineState } from '../domain/call-machine.js';
import type { ParticipantMachineState } from '../domain/participant-machine.js';

/**
 * What Switchboard keeps about a live call besides its Graph resource, stored in the call
 * document's `extra` (the store treats the document as opaque JSON):
 *
 * - `machine`: the call state machine's state (resource.state/resultInfo/terminationReason mirror it)
 * - `timeline`: what happened, newest last, capped at TIMELINE_LIMIT entries
 * - `timers`: the pending timers of the call, kind -> dueAt, in the order they were first armed
 * - `timerPayloads`: what each pending timer does when it fires, kind -> payload; the store holds
 *   one timer row per call, due when the call's earliest timer is (see `CallDraft.timerRow`)
 * - `participantStates`: every participant's machine state and who it stands for; one in the
 *   roster is stored with its `participantId` only, its participant object being in
 *   `doc.participants` (see `participantEntriesOf`)
 * - `rosterSequenceNumber`: the call-wide roster counter (delta rosters)
 * - `rosterPending`: participant ids changed since the last roster notification
 * - `hungUpByBot`: the bot sent DELETE; Graph forgets the call at once
 * - `heldNotifications`: notifications held back by the `graph` delivery profile
 */

export const TIMELINE_LIMIT = 200;

export interface TimelineEntry {
  /** ISO 8601 time of the Switchboard clock. */
  at: string;
  event: string;
  detail?: JsonObject;
}

/** Whom a participant stands for. */
export type ParticipantRole = 'bot' | 'target' | 'member';

export interface ParticipantEntry {
  role: ParticipantRole;
  /** The world user id, phone number, guest id or app id it represents; null when unknown. */
  ref: string | null;
  machine: ParticipantMachineState;
}

/** What a timer does when it fires; `CallLifecycle.handleTimer` runs it. */
export type TimerPayload =
  { type: 'call' } | { type: 'farEnd'; participantId: string; step: FarEndStep } | { type: 'meetingJoin' };

export type FarEndStep = 'ring' | 'answer' | 'decline' | 'unreachable' | 'hangUp';

export interface CallRuntime {
  machine: CallMachineState;
  timeline: TimelineEntry[];
  timers: Record<string, number>;
  timerPayloads: Record<string, TimerPayload>;
  participants: ParticipantEntry[];
  rosterSequenceNumber: number;
  rosterPending: string[];
  hungUpByBot: boolean;
  heldNotifications: JsonObject[];
}

const asJson = (value: unknown): Json => value as Json;

/**
 * Reads the runtime from a stored document (written by `withRuntime`). It is not a copy: the
 * runtime's arrays and objects are the document's own, and a draft changes them in place. Give it
 * a document read for that draft alone (every `Store.getCall` parses a new one).
 */
export function readRuntime(doc: CallDocument): CallRuntime {
  const x = doc.extra;
  if (!x.machine) throw new Error(`call ${doc.resource.id} has no machine state`);
  return {
    machine: x.machine as unknown as CallMachineState,
    timeline: (x.timeline ?? []) as unknown as TimelineEntry[],
    timers: (x.timers ?? {}) as unknown as Record<string, number>,
    timerPayloads: (x.timerPayloads ?? {}) as unknown as Record<string, TimerPayload>,
    participants: participantEntriesOf(doc),
    rosterSequenceNumber: (x.rosterSequenceNumber ?? 0) as number,
    rosterPending: (x.rosterPending ?? []) as string[],
    hungUpByBot: x.hungUpByBot === true,
    heldNotifications: (x.heldNotifications ?? []) as JsonObject[],
  };
}

/** A participant entry as stored: in the roster, its participant object is left to doc.participants. */
type StoredParticipantEntry = Omit<ParticipantEntry, 'machine'> & {
  machine: Omit<ParticipantEntry['machine'], 'participant'> &
    ({ participant: ParticipantEntry['machine']['participant'] } | { participantId: string });
};

/**
 * The call's participant entries from its stored document, each with its participant object
 * (taken from `doc.participants` for those in the roster). New entry objects; the participant
 * objects are the document's own.
 */
export function participantEntriesOf(doc: CallDocument): ParticipantEntry[] {
  const stored = (doc.extra.participantStates ?? []) as unknown as StoredParticipantEntry[];
  const roster = new Map(
    (doc.participants as unknown as ParticipantEntry['machine']['participant'][]).map((p) => [p.id, p]),
  );
  return stored.map(({ machine, ...who }) => {
    if ('participant' in machine) return { ...who, machine };
    const { participantId, ...rest } = machine;
    const participant = roster.get(participantId);
    if (!participant)
      throw new Error(`call ${doc.resource.id}: participant ${participantId} is not in the roster`);
    return { ...who, machine: { ...rest, participant } };
  });
}

/** How an entry is stored: by id when its participant object is in the roster. */
function storedEntry(entry: ParticipantEntry, inRoster: boolean): StoredParticipantEntry {
  if (!inRoster) return entry;
  const { participant, ...rest } = entry.machine;
  return { ...entry, machine: { ...rest, participantId: participant.id } };
}

/**
 * Participants in the roster (in the call or in the lobby): people in the order they came,
 * then the bot (as in the Create call example's roster).
 */
export function rosterOf(runtime: CallRuntime): ParticipantEntry[] {
  const present = runtime.participants.filter(
    (p) => p.machine.state === 'inCall' || p.machine.state === 'inLobby',
  );
  return [...present.filter((p) => p.role !== 'bot'), ...present.filter((p) => p.role === 'bot')];
}

/**
 * The record to save: the runtime written into `extra`, the resource mirroring the machine,
 * `doc.participants` = the roster, revision bumped.
 */
export function withRuntime(record: CallRecord, runtime: CallRuntime, now: number): CallRecord {
  const { machine } = runtime;
  const timeline = runtime.timeline.slice(-TIMELINE_LIMIT);
  const resource: CallDocument['resource'] = {
    ...record.doc.resource,
    state: machine.state,
    resultInfo: asJson(machine.resultInfo),
  };
  if ('terminationReason' in resource || machine.terminationReason !== null) {
    resource.terminationReason = machine.terminationReason;
  }
  const roster = rosterOf(runtime);
  const inRoster = new Set(roster);
  const doc: CallDocument = {
    ...record.doc,
    resource,
    participants: roster.map((p) => p.machine.participant as unknown as JsonObject),
    extra: {
      ...record.doc.extra,
      machine: asJson(machine),
      timeline: asJson(timeline),
      timers: asJson(runtime.timers),
      timerPayloads: asJson(runtime.timerPayloads),
      // Each participant object is stored once: in the roster, or else in its entry.
      participantStates: asJson(runtime.participants.map((p) => storedEntry(p, inRoster.has(p)))),
      rosterSequenceNumber: runtime.rosterSequenceNumber,
      rosterPending: runtime.rosterPending,
      hungUpByBot: runtime.hungUpByBot,
      heldNotifications: runtime.heldNotifications,
    },
  };
  return {
    ...record,
    revision: record.revision + 1,
    state: machine.state,
    updatedAt: now,
    doc,
  };
}

/** The call options the notifications depend on. */
export function callOptionsOf(doc: CallDocument): { deltaRoster: boolean; contentSharing: boolean } {
  const options = doc.resource.callOptions;
  const o = options && typeof options === 'object' && !Array.isArray(options) ? options : {};
  return {
    deltaRoster: o.isDeltaRosterEnabled === true,
    contentSharing: o.isContentSharingNotificationEnabled === true,
  };
}
