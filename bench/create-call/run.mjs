// Create-call throughput: Switchboard (durable SQLite, synchronous=FULL, group commit) versus a
// bare node:http server returning the same 201 body, driven by the same load generator.
// Usage: npm run bench  [-- --duration 10000 --connections 32]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { load } from './load.mjs';
import { defaultWorld } from '../../dist/src/world/default-world.js';

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

const APP = '2891555a-92ff-42e6-80fa-6e1300c6b5c6';
const TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
const makeBody = (callbackUri) =>
  JSON.stringify({
    '@odata.type': '#microsoft.graph.call',
    callbackUri,
    targets: [
      {
        '@odata.type': '#microsoft.graph.invitationParticipantInfo',
        identity: {
          '@odata.type': '#microsoft.graph.identitySet',
          user: { id: '112f7296-5fa4-42ca-bae8-6a692b15d4b8', displayName: 'John' },
        },
      },
    ],
    requestedModalities: ['audio'],
    mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
  });

function start(cmd, args, pattern) {
  const child = spawn(process.execPath, [cmd, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`${cmd} exited ${code}: ${out}`)));
  });
}

const stop = (child) =>
  new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });

const data = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
try {
  // The bot: a local receiver that accepts every notification. Callees never answer during the
  // run (ring timeout 60 s), so each call costs Switchboard its create plus its notifications.
  const bot = await start('bench/create-call/sink.mjs', [], /sink ready at (\S+)/);
  const world = defaultWorld();
  world.defaultPolicy = { action: 'noAnswer' };
  world.users = world.users.map(({ policy: _policy, ...user }) => user);
  const worldFile = join(data, 'world.json');
  writeFileSync(worldFile, JSON.stringify(world));
  const body = makeBody(`${bot.url}/callback`);
  const sb = await start(
    'bin/switchboard.js',
    [
      'start',
      '--port',
      '0',
      ...(values['in-memory'] ? ['--in-memory'] : ['--data', join(data, 'db')]),
      '--world',
      worldFile,
      '--log-level',
      'warn',
    ],
    /Switchboard ready at (\S+)/,
  );
  const tokenRes = await fetch(`${sb.url}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: APP,
      client_secret: 'switchboard-dev-secret',
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  const { access_token: token } = await tokenRes.json();
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const sample = await fetch(`${sb.url}/beta/communications/calls`, { method: 'POST', headers, body });
  const sampleBody = await sample.text();
  const bodyFile = join(data, 'response.json');
  writeFileSync(bodyFile, sampleBody);

  const bare = await start('bench/create-call/bare-server.mjs', [bodyFile], /bare ready at (\S+)/);
  const opts = { path: '/beta/communications/calls', headers, body, connections, expectStatus: 201 };

  // Warm up both, then measure each in turn.
  await load({ ...opts, url: sb.url, durationMs: 2000 });
  await load({ ...opts, url: bare.url, durationMs: 2000 });
  const switchboard = await load({ ...opts, url: sb.url, durationMs });
  const baseline = await load({ ...opts, url: bare.url, durationMs });
  await stop(sb.child);
  await stop(bare.child);
  await stop(bot.child);

  const fmt = (r) =>
    `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.requests} requests, ${r.errors} errors, ${r.unexpected} non-201`;
  console.log(
    `machine: ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  );
  console.log(
    `load: ${connections} connections, ${durationMs} ms each, response ${Buffer.byteLength(sampleBody)} bytes`,
  );
  console.log(
    `switchboard (${values['in-memory'] ? 'SQLite in memory' : 'SQLite file, WAL fsync per group commit'}): ${fmt(switchboard)}`,
  );
  console.log(`bare node:http:                              ${fmt(baseline)}`);
  console.log(`ratio: ${(switchboard.rps / baseline.rps).toFixed(2)}x`);
} finally {
  rmSync(data, { recursive: true, force: true });
}
