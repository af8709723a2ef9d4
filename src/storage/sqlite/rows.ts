import type { CallDocument, CallRecord, CallState } from '../../domain/call-document.js';
import type { DeliveryAttempt, OutboxRow, OutboxStatus, TimerInput } from '../store.js';

/** Column shapes as better-sqlite3 returns them, and their mapping to the Store types. */

export interface CallColumns {
  id: string;
  revision: number;
  app_id: string;
  tenant_id: string;
  state: string;
  created_at: number;
  updated_at: number;
  doc: string;
  /** doc.resource.callChainId when it is a string (set on insert; a call's chain never changes). */
  call_chain_id: string | null;
}

export interface OutboxColumns {
  id: string;
  call_id: string;
  seq: number;
  url: string;
  body: string;
  run_at: number;
  status: string;
  attempts: number;
  locked_by: string | null;
  locked_at: number | null;
  created_at: number;
  last_error: string | null;
}

export interface AttemptColumns {
  outbox_id: string;
  attempt: number;
  at: number;
  status: number | null;
  latency_ms: number;
  excerpt: string;
}

export interface TimerColumns {
  id: string;
  call_id: string;
  kind: string;
  due_at: number;
  payload: string;
}

export function toCallRecord(c: CallColumns): CallRecord {
  return {
    id: c.id,
    revision: c.revision,
    appId: c.app_id,
    tenantId: c.tenant_id,
    state: c.state as CallState,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    doc: JSON.parse(c.doc) as CallDocument,
  };
}

/** Named parameters for the calls table, from a record. */
export function callParams(r: CallRecord): CallColumns {
  return {
    id: r.id,
    revision: r.revision,
    app_id: r.appId,
    tenant_id: r.tenantId,
    state: r.state,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    doc: JSON.stringify(r.doc),
    call_chain_id: typeof r.doc.resource.callChainId === 'string' ? r.doc.resource.callChainId : null,
  };
}

export function toOutboxRow(c: OutboxColumns): OutboxRow {
  return {
    id: c.id,
    callId: c.call_id,
    seq: c.seq,
    url: c.url,
    body: c.body,
    runAt: c.run_at,
    status: c.status as OutboxStatus,
    attempts: c.attempts,
    lockedBy: c.locked_by,
    lockedAt: c.locked_at,
    createdAt: c.created_at,
    lastError: c.last_error,
  };
}

export function toAttempt(c: AttemptColumns): DeliveryAttempt {
  return {
    outboxId: c.outbox_id,
    attempt: c.attempt,
    at: c.at,
    status: c.status,
    latencyMs: c.latency_ms,
    excerpt: c.excerpt,
  };
}

export function toTimer(c: TimerColumns): TimerInput {
  return { id: c.id, callId: c.call_id, kind: c.kind, dueAt: c.due_at, payload: c.payload };
}
