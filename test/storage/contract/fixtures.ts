import type { DeliveryAttempt, OutboxRow, OutboxRowInput } from '../../../src/storage/store.js';

/** An outbox row input with a predictable url and body. */
export function box(id: string, callId: string, runAt = 0): OutboxRowInput {
  return { id, callId, url: `https://bot.example.com/${callId}`, body: `{"id":"${id}"}`, runAt };
}

/** The row the store should hold right after inserting `input` at `createdAt` with `seq`. */
export function freshRow(input: OutboxRowInput, seq: number, createdAt: number): OutboxRow {
  return {
    ...input,
    seq,
    status: 'pending',
    attempts: 0,
    lockedBy: null,
    lockedAt: null,
    createdAt,
    lastError: null,
  };
}

export function attempt(outboxId: string, n: number, over: Partial<DeliveryAttempt> = {}): DeliveryAttempt {
  return { outboxId, attempt: n, at: 1_000 * n, status: 500, latencyMs: 12, excerpt: `boom ${n}`, ...over };
}
