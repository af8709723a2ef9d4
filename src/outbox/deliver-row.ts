import type { Clock } from '../domain/clock.js';
import type { DeliveryAttempt, OutboxRow, Store } from '../storage/store.js';
import { nextRunAt, type Backoff } from './backoff.js';
import { notificationHeaders, type CallbackTokenCache } from './callback-auth.js';
import { classifyOutcome, parseHttpUrl } from './classify-outcome.js';
import type { FailReason, OutboxEvent } from './events.js';
import { EXCERPT_CHARS, errorExcerpt } from './send-notification.js';
import type { NotificationSender } from './sender-protocol.js';

/** What the dispatcher knows about a row's call: whom the token is for. */
export interface CallAudience {
  appId: string;
  tenantId: string;
  /** Sent as X-Microsoft-Skype-Chain-ID when given. */
  callChainId?: string;
}

export interface DeliveryContext {
  store: Store;
  clock: Clock;
  send: NotificationSender;
  tokens: CallbackTokenCache;
  lookupCall: (callId: string) => Promise<CallAudience | undefined>;
  backoff: Backoff;
  requestTimeoutMs: number;
  userAgent: string;
  newRequestId: () => string;
  emit: (event: OutboxEvent) => void;
}

/**
 * Makes one delivery attempt of a claimed row and records it: completeOutbox on 2xx; on a
 * 302/307 retargetOutbox then failOutbox due now; on a retryable outcome failOutbox with the
 * backoff's next run (or null after the last attempt); otherwise failOutbox with null.
 * Never throws: a store error is reported as an `error` event and the row keeps its lock until
 * it goes stale.
 */
export async function deliverRow(ctx: DeliveryContext, row: OutboxRow): Promise<void> {
  try {
    await attemptDelivery(ctx, row);
  } catch (error) {
    ctx.emit({ type: 'error', during: 'record', error, row });
  }
}

async function attemptDelivery(ctx: DeliveryContext, row: OutboxRow): Promise<void> {
  const number = row.attempts + 1;
  const at = ctx.clock.now();
  const attempt = (status: number | null, latencyMs: number, excerpt: string): DeliveryAttempt => ({
    outboxId: row.id,
    attempt: number,
    at,
    status,
    latencyMs,
    excerpt: excerpt.slice(0, EXCERPT_CHARS),
  });

  let call: CallAudience | undefined;
  let token: string;
  try {
    call = await ctx.lookupCall(row.callId);
    if (!call) {
      const excerpt = `no call ${row.callId} is known, so the notification cannot be signed`;
      return await reject(ctx, row, attempt(null, 0, excerpt), 'unknown-call');
    }
    if (!parseHttpUrl(row.url)) {
      const excerpt = `the callback url is not an absolute http(s) URL: ${row.url}`;
      return await reject(ctx, row, attempt(null, 0, excerpt), 'invalid-url');
    }
    token = await ctx.tokens.get({ appId: call.appId, tenantId: call.tenantId, now: at });
  } catch (error) {
    return await retry(ctx, row, attempt(null, 0, errorExcerpt(error)));
  }

  const result = await ctx.send({
    url: row.url,
    body: row.body,
    timeoutMs: ctx.requestTimeoutMs,
    headers: notificationHeaders({
      token,
      requestId: ctx.newRequestId(),
      messageId: row.id,
      callChainId: call.callChainId,
      userAgent: ctx.userAgent,
    }),
  });
  const status = result.kind === 'response' ? result.status : null;
  const outcome = classifyOutcome(result, row.url);
  switch (outcome.kind) {
    case 'delivered': {
      const done = attempt(status, result.latencyMs, result.excerpt);
      await ctx.store.completeOutbox(row.id, done);
      ctx.emit({ type: 'delivered', row, attempt: done });
      return;
    }
    case 'redirect': {
      const excerpt = result.excerpt || `redirected to ${outcome.location}`;
      const done = attempt(status, result.latencyMs, excerpt);
      await ctx.store.retargetOutbox(row.callId, outcome.location);
      const again = number >= ctx.backoff.maxAttempts ? null : ctx.clock.now();
      await ctx.store.failOutbox(row.id, done, again);
      ctx.emit({ type: 'redirected', row, attempt: done, location: outcome.location });
      if (again === null) ctx.emit({ type: 'failed', row, attempt: done, reason: 'exhausted' });
      return;
    }
    case 'retry':
      return retry(ctx, row, attempt(status, result.latencyMs, result.excerpt));
    case 'reject':
      return reject(ctx, row, attempt(status, result.latencyMs, result.excerpt), 'rejected');
  }
}

async function retry(ctx: DeliveryContext, row: OutboxRow, done: DeliveryAttempt): Promise<void> {
  const next = nextRunAt({ attempt: done.attempt, now: ctx.clock.now(), backoff: ctx.backoff });
  await ctx.store.failOutbox(row.id, done, next);
  if (next === null) ctx.emit({ type: 'failed', row, attempt: done, reason: 'exhausted' });
  else ctx.emit({ type: 'retrying', row, attempt: done, nextRunAt: next });
}

async function reject(
  ctx: DeliveryContext,
  row: OutboxRow,
  done: DeliveryAttempt,
  reason: FailReason,
): Promise<void> {
  await ctx.store.failOutbox(row.id, done, null);
  ctx.emit({ type: 'failed', row, attempt: done, reason });
}
