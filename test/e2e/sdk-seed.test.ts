import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { spawnSwitchboard, type SwitchboardProcess } from '../support/switchboard-process.js';

const CLIENT = fileURLToPath(new URL('./sdk-seed.client.js', import.meta.url));

describe('official SDKs against a listening Switchboard over --https', () => {
  const data = mkdtempSync(join(tmpdir(), 'switchboard-sdk-'));
  let server: SwitchboardProcess;
  before(async () => {
    // A manual clock: each call stays as created while the test reads it back.
    server = await spawnSwitchboard([
      '--port',
      '0',
      '--data',
      data,
      '--https',
      '--clock',
      'manual',
      '--log-level',
      'warn',
    ]);
  });
  after(async () => {
    await server.stop();
    rmSync(data, { recursive: true, force: true });
  });

  it('msal-node gets a token from Switchboard and the Graph client sends all 12 seed requests', async () => {
    // A fresh process, not a nested test run: drop the runner's own context variable.
    const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
    const child = spawn(process.execPath, ['--test-reporter=tap', CLIENT], {
      env: { ...env, NODE_EXTRA_CA_CERTS: server.fields.cert, SWITCHBOARD_URL: server.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, output);
    assert.match(output, /^# pass 14$/m);
    assert.match(output, /^# fail 0$/m);
  });
});
