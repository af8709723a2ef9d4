import { Type, type Static } from '@sinclair/typebox';
import type { CallRecord } from '../../domain/call-document.js';
import { participantEntriesOf } from '../../services/call-runtime.js';
import type { DeliveryAttempt, OutboxRow } from '../../storage/store.js';

/** Schemas of the control API (/_switchboard/...); the OpenAPI document is generated from them. */

const Opaque = Type.Object({}, { additionalProperties: true, description: 'JSON object' });

export const CallIdParams = Type.Object({ id: Type.String({ minLength: 1, description: 'call id' }) });

export const CallSummarySchema = Type.Object({
  id: Type.String(),
  state: Type.String(),
  scenario: Type.String(),
  version: Type.String(),
  appId: Type.String(),
  tenantId: Type.String(),
  revision: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const CallListSchema = Type.Object({ value: Type.Array(CallSummarySchema) });

export const StoredCallSchema = Type.Object({
  ...CallSummarySchema.properties,
  resource: Opaque,
  participants: Type.Array(Opaque),
  participantStates: Type.Array(Opaque),
  timeline: Type.Array(Opaque),
  timers: Type.Record(Type.String(), Type.Integer()),
});

export const AttemptSchema = Type.Object({
  attempt: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Integer(), Type.Null()]),
  latencyMs: Type.Number(),
  excerpt: Type.String(),
});

export const NotificationRowSchema = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  url: Type.String(),
  runAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  body: Opaque,
  attemptLog: Type.Array(AttemptSchema),
});

export const NotificationListSchema = Type.Object({ value: Type.Array(NotificationRowSchema) });

export const OutboxIdParams = Type.Object({
  id: Type.String({ minLength: 1, description: 'outbox row id' }),
});

export const FarEndParams = Type.Object({
  id: Type.String({ minLength: 1 }),
  action: Type.Union([Type.Literal('answer'), Type.Literal('decline'), Type.Literal('hang-up')]),
});

export const AddParticipantBody = Type.Object(
  { userId: Type.String({ minLength: 1, description: 'a world user id' }) },
  { additionalProperties: false },
);

export const ParticipantParams = Type.Object({
  id: Type.String({ minLength: 1 }),
  participantId: Type.String({ minLength: 1 }),
});

export const ParticipantActionParams = Type.Object({
  id: Type.String({ minLength: 1 }),
  participantId: Type.String({ minLength: 1 }),
  action: Type.Union([Type.Literal('admit'), Type.Literal('mute'), Type.Literal('unmute')]),
});

export const SharingBody = Type.Object(
  { action: Type.Union([Type.Literal('start'), Type.Literal('update'), Type.Literal('stop')]) },
  { additionalProperties: false },
);

export const AddedParticipantSchema = Type.Object({ participantId: Type.String(), call: StoredCallSchema });

export const ClockSchema = Type.Object({
  mode: Type.Union([Type.Literal('system'), Type.Literal('manual')]),
  now: Type.String({ format: 'date-time' }),
  epochMs: Type.Integer(),
});

export const AdvanceBody = Type.Object(
  { ms: Type.Integer({ minimum: 0, description: 'milliseconds to move the manual clock forward' }) },
  { additionalProperties: false },
);

export const AdvanceResultSchema = Type.Object({
  ...ClockSchema.properties,
  timersRun: Type.Integer(),
});

export const UserPolicyParams = Type.Object({ id: Type.String({ minLength: 1 }) });
export const PhonePolicyParams = Type.Object({ number: Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$' }) });

const iso = (ms: number) => new Date(ms).toISOString();

export function callSummary(record: CallRecord): Static<typeof CallSummarySchema> {
  return {
    id: record.id,
    state: record.state,
    scenario: record.doc.scenario,
    version: record.doc.version,
    appId: record.appId,
    tenantId: record.tenantId,
    revision: record.revision,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
  };
}

export function storedCall(record: CallRecord): Static<typeof StoredCallSchema> {
  const extra = record.doc.extra;
  return {
    ...callSummary(record),
    resource: record.doc.resource,
    participants: record.doc.participants,
    participantStates: participantEntriesOf(record.doc) as unknown as Static<
      typeof StoredCallSchema
    >['participantStates'],
    timeline: (extra.timeline ?? []) as Static<typeof StoredCallSchema>['timeline'],
    timers: (extra.timers ?? {}) as Record<string, number>,
  };
}

export function notificationRow(
  row: OutboxRow,
  attempts: DeliveryAttempt[],
): Static<typeof NotificationRowSchema> {
  return {
    id: row.id,
    seq: row.seq,
    status: row.status,
    attempts: row.attempts,
    url: row.url,
    runAt: iso(row.runAt),
    createdAt: iso(row.createdAt),
    lastError: row.lastError,
    body: JSON.parse(row.body) as Record<string, unknown>,
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      at: iso(a.at),
      status: a.status,
      latencyMs: a.latencyMs,
      excerpt: a.excerpt,
    })),
  };
}
