// Joins the probe's commit stamps, the receiver's receipts and the stored outbox rows by outbox
// row id (= X-Microsoft-Skype-Message-ID) and summarizes the notifications committed in the window.
// `rows` null: no stored rows to read (an in-memory database); the store-only lines are left out.
import { fmtMs, percentiles } from '../lib.mjs';

export function summarize({ probe, receipts, rows, attempts, windowStart, windowEnd }) {
  const receipt = new Map();
  let duplicates = 0;
  receipts.ids.forEach((id, i) => {
    if (receipt.has(id)) duplicates++;
    else receipt.set(id, { mono: receipts.mono[i], wall: receipts.wall[i] });
  });
  const row = rows ? new Map(rows.map((r) => [r.id, r])) : null;
  const firstAttempt = new Map(attempts.filter((a) => a.attempt === 1).map((a) => [a.id, a]));

  const commitToReceipt = [];
  const durableToReceipt = [];
  const commitToDurable = [];
  const applyToReceipt = [];
  const applyDuration = [];
  const commitToHanded = [];
  let fromCommit = 0;
  const handedToReceipt = [];
  const createdToReceiptWall = [];
  const createdToAttempt = [];
  const attemptLatency = [];
  const byState = new Map();
  let missing = 0;
  let beforeAck = 0;
  let retried = 0;
  probe.ids.forEach((id, i) => {
    const committed = probe.sqlCommitted[i];
    const durable = probe.committed[i];
    if (committed < windowStart || committed > windowEnd) return;
    const got = receipt.get(id);
    const stored = row?.get(id);
    if (!got || (row && !stored)) {
      missing++;
      return;
    }
    const ms = (got.mono - committed) / 1e6;
    if (got.mono < durable) beforeAck++;
    commitToReceipt.push(ms);
    durableToReceipt.push((got.mono - durable) / 1e6);
    commitToDurable.push((durable - committed) / 1e6);
    applyToReceipt.push((got.mono - probe.called[i]) / 1e6);
    applyDuration.push((committed - probe.called[i]) / 1e6);
    if (probe.fromCommit?.[id]) fromCommit++;
    const handed = probe.handed?.[id];
    if (handed !== undefined) {
      commitToHanded.push((handed - committed) / 1e6);
      handedToReceipt.push((got.mono - handed) / 1e6);
    }
    if (!stored) return;
    createdToReceiptWall.push(got.wall - stored.createdAt);
    if (stored.attempts > 1) retried++;
    const first = firstAttempt.get(id);
    if (first) {
      createdToAttempt.push(first.at - stored.createdAt);
      attemptLatency.push(first.ms);
    }
    const state = stored.state ?? '(roster/other)';
    if (!byState.has(state)) byState.set(state, []);
    byState.get(state).push(ms);
  });

  const windowSeconds = (windowEnd - windowStart) / 1e9;
  const receivedInWindow = receipts.mono.filter((t) => t >= windowStart && t <= windowEnd).length;
  const lines = [
    `notifications committed in the window: ${commitToReceipt.length + missing} ` +
      `(${missing} never received, ${duplicates} duplicate receipts, ${retried} needed a retry)`,
    `notifications received in the window: ${receivedInWindow} (${(receivedInWindow / windowSeconds).toFixed(0)}/s)`,
    `COMMIT -> receipt [hrtime]: ${fmtMs(percentiles(commitToReceipt))}`,
    `  taken by the dispatcher at their COMMIT (the rest found by claimOutbox): ${fromCommit}`,
    `  COMMIT -> handed to the sender thread [hrtime]: ${fmtMs(percentiles(commitToHanded))}`,
    `  handed to the sender thread -> receipt [hrtime]: ${fmtMs(percentiles(handedToReceipt))}`,
    `durable (store.apply resolved after the WAL fsync) -> receipt [hrtime]: ${fmtMs(percentiles(durableToReceipt))}`,
    `  received before store.apply resolved (claimOutbox sees a row once COMMITted): ${beforeAck}`,
    `COMMIT -> durable (WAL fsync wait) [hrtime]: ${fmtMs(percentiles(commitToDurable))}`,
    `store.apply called -> COMMIT (group commit queue) [hrtime]: ${fmtMs(percentiles(applyDuration))}`,
    `store.apply called -> receipt [hrtime]: ${fmtMs(percentiles(applyToReceipt))}`,
  ];
  if (!row) {
    lines.push('(database in memory: no store view, no retries counted)');
    return lines;
  }
  lines.push(
    `row createdAt -> receipt [Date.now, 1 ms resolution]: ${fmtMs(percentiles(createdToReceiptWall))}`,
    `row createdAt -> first attempt start [store, ms]: ${fmtMs(percentiles(createdToAttempt))}`,
    `first attempt POST latency [store latencyMs, ms]: ${fmtMs(percentiles(attemptLatency))}`,
  );
  for (const [state, values] of byState)
    lines.push(`  ${state}: COMMIT -> receipt ${fmtMs(percentiles(values))}`);
  return lines;
}
