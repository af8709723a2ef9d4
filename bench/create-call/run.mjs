// Create-call throughput: Switchboard (durable SQLite: WAL fsync per group commit) versus a bare
// node:http server returning the same 201 body, driven by the same load generator.
// Usage: npm run bench  [-- --duration 10000 --connections 32 --in-memory]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as lib from '../lib.mjs';
import { load } from './load.mjs';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '32' },
    // Keep Switchboard's database in memory, to see what the durable writes cost.
    'in-memory': { type: 'boolean', default: false },
  },
});
const durationMs = Number(values.duration);
const connections = Number(values.connections);
const HERE = new URL('.', import.meta.url).pathname;

const tmp = lib.tempDir();
const children = [];
try {
  // The bot: a local receiver that accepts every notification. Callees never answer during the
  // run (ring timeout 60 s), so each call costs Switchboard its create plus its notifications.
  const bot = await lib.startProcess({ script: join(HERE, 'sink.mjs'), pattern: /sink ready at (\S+)/ });
  children.push(bot.child);
  const sb = await lib.startSwitchboard({
    dir: tmp.dir,
    worldFile: lib.writeWorld(tmp.dir, { action: 'noAnswer' }),
    inMemory: values['in-memory'],
  });
  children.push(sb.child);
  const headers = await lib.authHeaders(sb.url);
  const body = lib.callBody(`${bot.url}/callback`);
  const sample = await fetch(sb.url + lib.CALLS_PATH, { method: 'POST', headers, body });
  const sampleBody = await sample.text();
  const bodyFile = join(tmp.dir, 'response.json');
  writeFileSync(bodyFile, sampleBody);

  const bare = await lib.startProcess({
    script: join(HERE, 'bare-server.mjs'),
    args: [bodyFile],
    pattern: /bare ready at (\S+)/,
  });
  children.push(bare.child);
  const opts = { path: lib.CALLS_PATH, headers, body, connections, expectStatus: 201 };

  // Warm up both, then measure each in turn.
  await load({ ...opts, url: sb.url, durationMs: 2000 });
  await load({ ...opts, url: bare.url, durationMs: 2000 });
  const switchboard = await load({ ...opts, url: sb.url, durationMs });
  const baseline = await load({ ...opts, url: bare.url, durationMs });

  const fmt = (r) =>
    `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.requests} requests, ${r.errors} errors, ${r.unexpected} non-201`;
  const storage = values['in-memory'] ? 'SQLite in memory' : 'SQLite file, WAL fsync per group commit';
  console.log(`machine: ${lib.machine()}`);
  console.log(
    `load: ${connections} connections, ${durationMs} ms each, response ${Buffer.byteLength(sampleBody)} bytes`,
  );
  console.log(`switchboard (${storage}): ${fmt(switchboard)}`);
  console.log(`bare node:http: ${fmt(baseline)}`);
  console.log(`ratio: ${(switchboard.rps / baseline.rps).toFixed(2)}x`);
} finally {
  for (const child of children.reverse()) await lib.stopProcess(child);
  tmp.remove();
}
