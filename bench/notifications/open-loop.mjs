// An open-loop generator: request i is sent at t0 + i / rate whatever the answers do (an undici
// Pool queues what its connections cannot take at once). Latency counts from the scheduled
// send time, so a server falling behind shows up as latency, not as a lower request rate.
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';

export async function openLoop({ url, path, headers, body, rate, seconds, connections, expectStatus }) {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const total = Math.round(rate * seconds);
  const gapMs = 1000 / rate;
  const latencies = [];
  let ok = 0;
  let unexpected = 0;
  let errors = 0;
  let lastDone = 0;
  let maxOutstanding = 0;
  const pending = new Set();
  const t0 = performance.now();
  const send = (i) => {
    const scheduled = t0 + i * gapMs;
    const p = pool
      .request({ method: 'POST', path, headers, body })
      .then(async (res) => {
        await res.body.text();
        if (res.statusCode === expectStatus) ok++;
        else unexpected++;
      })
      .catch(() => errors++)
      .finally(() => {
        lastDone = performance.now();
        latencies.push(lastDone - scheduled);
        pending.delete(p);
      });
    pending.add(p);
    maxOutstanding = Math.max(maxOutstanding, pending.size);
  };
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - t0) / gapMs) + 1);
    while (sent < due) send(sent++);
    await sleep(1);
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  await Promise.all(pending);
  await pool.close();
  return {
    t0,
    total,
    ok,
    unexpected,
    errors,
    maxOutstanding,
    sendSeconds,
    /** Answers per second, first send to last answer. */
    achievedRate: (ok + unexpected) / ((lastDone - t0) / 1000),
    latencies,
  };
}
