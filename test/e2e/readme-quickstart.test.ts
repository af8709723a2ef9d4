import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnSwitchboard, type SwitchboardProcess } from '../support/switchboard-process.js';

const README = new URL('../../../README.md', import.meta.url);

/** The README's quick start, run as written: default port, then its own snippet. */
describe('README quick start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-readme-'));
  let server: SwitchboardProcess;
  before(async () => {
    server = await spawnSwitchboard(['--data', join(dir, 'data'), '--log-level', 'silent']);
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on the documented default port', () => {
    assert.equal(server.url, 'http://127.0.0.1:7410');
    const readme = readFileSync(README, 'utf8');
    assert.ok(
      readme.includes(server.readyLine.replace(/cert=\S+/, '').trim()),
      'README shows the ready line',
    );
  });

  it('the quickstart.mjs snippet gets a token and creates a call', async () => {
    const readme = readFileSync(README, 'utf8');
    const section = /<!-- quickstart:begin -->\s*```js\n([\s\S]*?)```\s*<!-- quickstart:end -->/.exec(readme);
    assert.ok(section, 'README has the quickstart snippet');
    const file = join(dir, 'quickstart.mjs');
    writeFileSync(file, section[1]!);
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, out);
    assert.match(
      out.trim(),
      /^201 http:\/\/127\.0\.0\.1:7410\/beta\/communications\/calls\/[0-9a-f-]{36} establishing$/,
    );
  });
});
