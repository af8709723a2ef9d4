// The sender thread's path alone, without Switchboard's request and SQLite work: this process
// hands signed-size notifications to a SenderThread at --rate per second (as the dispatcher does
// at each COMMIT) and receiver.mjs stamps each arrival, both on CLOCK_MONOTONIC. Run once on an
// otherwise idle machine and once with --busy-core (a child process spinning on one core), to see
// what the second core's contention alone does to hand-over -> receipt.
// Usage: node bench/notifications/sender-path.mjs [--rate 3000] [--seconds 8] [--busy-core]
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SenderThread } from '../../dist/src/outbox/sender-thread.js';
import * as lib from '../lib.mjs';

const { values: o } = parseArgs({
  options: {
    rate: { type: 'string', default: '3000' },
    seconds: { type: 'string', default: '8' },
    'busy-core': { type: 'boolean', default: false },
  },
});
const rate = Number(o.rate);
const seconds = Number(o.seconds);
/** The first second is left out: it opens the keep-alive connections. */
const WARM_UP_MS = 1_000;

const tmp = lib.tempDir();
const children = [];
try {
  const receiver = await lib.startReceiver({ outFile: join(tmp.dir, 'receipts.json') });
  children.push(receiver.child);
  if (o['busy-core']) children.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  // The size of a real notification: a ~2 KB body and a ~1 KB bearer token.
  const body = JSON.stringify({ value: [{ resourceData: { padding: 'x'.repeat(2_000) } }] });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${'t'.repeat(1_000)}` };
  const thread = new SenderThread({ connections: 256, connectTimeoutMs: 5_000, keepAliveTimeoutMs: 4_000 });
  const handed = new Map();
  const started = lib.monoNs();
  let sent = 0;
  const sends = [];
  while (lib.monoNs() - started < seconds * 1e9) {
    const due = Math.floor(((lib.monoNs() - started) / 1e9) * rate);
    for (; sent < due; sent++) {
      const id = `n-${sent}`;
      handed.set(id, lib.monoNs());
      sends.push(
        thread.send({
          url: `${receiver.url}/callback`,
          body,
          headers: { ...headers, 'x-microsoft-skype-message-id': id },
          timeoutMs: 10_000,
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const results = await Promise.all(sends);
  await thread.close();
  for (const child of children.splice(0)) await lib.stopProcess(child);

  const receipts = lib.readJson(join(tmp.dir, 'receipts.json'));
  const latencies = [];
  receipts.ids.forEach((id, i) => {
    const at = handed.get(id);
    if (at !== undefined && at - started > WARM_UP_MS * 1e6) latencies.push((receipts.mono[i] - at) / 1e6);
  });
  console.log(`machine: ${lib.machine()}`);
  console.log(
    `load: ${rate} notifications/s for ${seconds} s from a SenderThread${o['busy-core'] ? ', one core kept busy by another process' : ''}`,
  );
  console.log(`answered: ${results.filter((r) => r.kind === 'response').length} of ${results.length}`);
  console.log(
    `handed to the sender thread -> receipt (after the first second): ${lib.fmtMs(lib.percentiles(latencies))}`,
  );
} finally {
  for (const child of children) await lib.stopProcess(child);
  tmp.remove();
}
