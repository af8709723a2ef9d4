import type { CallDocument, CallRecord, Json, JsonObject } from '../domain/call-document.js';
import type { CallMachineState } from '../domain/call-machine.js';
import type { ParticipantMachineState } from '../domain/participant-machine.js';

/**
 * What Switchboard keeps about a live call besides its Graph resource, stored in the call
 * document's `extra` (the store treats the document as opaque JSON):
 *
 * - `machine`: the call state machine's state (resource.state/resultInfo/terminationReason mirror it)
 * - `timeline`: what happened, newest last, capped at TIMELINE_LIMIT entries
 * - `timers`: the pending timers of the call, kind -> dueAt (the store rows are `${callId}:${kind}`)
 * - `participantStates`: every participant's machine state and who it stands for
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

export interface CallRuntime {
  machine: CallMachineState;
  timeline: TimelineEntry[];
  timers: Record<string, number>;
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
    participants: (x.participantStates ?? []) as unknown as ParticipantEntry[],
    rosterSequenceNumber: (x.rosterSequenceNumber ?? 0) as number,
    rosterPending: (x.rosterPending ?? []) as string[],
    hungUpByBot: x.hungUpByBot === true,
    heldNotifications: (x.heldNotifications ?? []) as JsonObject[],
  };
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
  const doc: CallDocument = {
    ...record.doc,
    resource,
    participants: rosterOf(runtime).map((p) => p.machine.participant as unknown as JsonObject),
    extra: {
      ...record.doc.extra,
      machine: asJson(machine),
      timeline: asJson(timeline),
      timers: asJson(runtime.timers),
      participantStates: asJson(runtime.participants),
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
