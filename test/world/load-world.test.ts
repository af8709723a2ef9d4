import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { defaultWorld } from '../../src/world/default-world.js';
import { loadWorldFile } from '../../src/world/load-world.js';
import { WorldError } from '../../src/world/validate-world.js';

/** Compiled to dist/test/world/, so the repository root is three levels up. */
const EXAMPLE = fileURLToPath(new URL('../../../examples/world.example.json', import.meta.url));

describe('loadWorldFile', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-world-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function rejection(path: string): Promise<WorldError> {
    try {
      await loadWorldFile(path);
    } catch (error) {
      assert.ok(error instanceof WorldError, `expected WorldError, got ${String(error)}`);
      return error;
    }
    assert.fail(`loadWorldFile accepted ${path}`);
  }

  it('loads a valid world file, with or without a byte-order mark', async () => {
    const plain = join(dir, 'plain.json');
    const bom = join(dir, 'bom.json');
    await writeFile(plain, JSON.stringify(defaultWorld(), null, 2));
    await writeFile(bom, '\uFEFF' + JSON.stringify(defaultWorld()));
    assert.deepEqual(await loadWorldFile(plain), defaultWorld());
    assert.deepEqual(await loadWorldFile(bom), defaultWorld());
  });

  it('names a missing file', async () => {
    const path = join(dir, 'missing.json');
    const error = await rejection(path);
    assert.equal(error.message, `world file ${path}: cannot read: file not found`);
  });

  it('names a directory given as the file', async () => {
    const error = await rejection(dir);
    assert.equal(error.message, `world file ${dir}: cannot read: is a directory, not a file`);
  });

  it('names a JSON syntax error', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{ "tenants": [ }');
    const error = await rejection(path);
    assert.equal(error.source, `world file ${path}`);
    assert.equal(error.problems.length, 1);
    assert.match(
      error.message,
      new RegExp(`^world file ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid JSON: `),
    );
  });

  it('names schema problems with the file as source', async () => {
    const path = join(dir, 'wrong.json');
    const world = defaultWorld();
    world.users[2]!.tenantId = '00000000-0000-4000-8000-00000000dead';
    await writeFile(path, JSON.stringify(world));
    const error = await rejection(path);
    assert.equal(
      error.message,
      `world file ${path}: /users/2/tenantId: no tenant with id "00000000-0000-4000-8000-00000000dead"`,
    );
  });

  it('accepts examples/world.example.json', async () => {
    const world = await loadWorldFile(EXAMPLE);
    assert.equal(world.tenants[0]?.displayName, 'Northwind');
    assert.equal(world.meetings[0]?.joinMeetingId, '9876543210');
  });
});
