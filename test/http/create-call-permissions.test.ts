import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultWorld } from '../../src/world/default-world.js';
import { SEED_IDS as S } from '../../src/world/seed-ids.js';
import type { World } from '../../src/world/world-schema.js';
import { startTestServer, type TestServer } from '../support/in-process.js';
import {
  appMedia,
  guestSource,
  instanceSource,
  organizerMeetingBody,
  p2pBody,
  phoneTarget,
  userTarget,
} from './call-requests.js';

/** One app per role set, so each test withholds exactly one permission. */
const APPS = {
  initiate: ['Calls.Initiate.All'],
  group: ['Calls.InitiateGroupCall.All'],
  join: ['Calls.JoinGroupCall.All'],
  guest: ['Calls.JoinGroupCallAsGuest.All'],
  initiateMedia: ['Calls.Initiate.All', 'Calls.AccessMedia.All'],
  none: [],
} as const;
const appId = (i: number) => `a0000000-0000-4000-8000-00000000000${i}`;

function testWorld(): World {
  const world = defaultWorld();
  Object.values(APPS).forEach((roles, i) =>
    world.apps.push({
      appId: appId(i),
      displayName: `Role test ${i}`,
      tenantId: S.contosoTenantId,
      secret: 's',
      roles: [...roles],
    }),
  );
  world.apps.push({
    appId: 'a0000000-0000-4000-8000-0000000000ff',
    displayName: 'RSC elsewhere',
    tenantId: S.contosoTenantId,
    secret: 's',
    roles: [],
    rsc: [{ chatId: S.channelThreadId, permissions: ['Calls.JoinGroupCalls.Chat'] }],
  });
  world.apps.push({
    appId: 'a0000000-0000-4000-8000-0000000000fe',
    displayName: 'RSC here',
    tenantId: S.contosoTenantId,
    secret: 's',
    roles: [],
    rsc: [{ chatId: S.scheduledThreadId, permissions: ['Calls.JoinGroupCalls.Chat'] }],
  });
  return world;
}

const idOf = (name: keyof typeof APPS) => appId(Object.keys(APPS).indexOf(name));
const groupBody = () =>
  p2pBody({ targets: [userTarget(S.user1UserId, 'user1'), userTarget(S.user2UserId, 'user2')] });
const pstnBody = () => p2pBody({ source: instanceSource(), targets: [phoneTarget()] });
const guestBody = () =>
  organizerMeetingBody({
    source: guestSource(),
    chatInfo: { threadId: S.channelThreadId, messageId: S.channelMessageId },
  });

describe('create call: permissions', () => {
  let server: TestServer;
  before(async () => {
    const probe = await startTestServer();
    const file = join(probe.dataDir, 'world.json');
    writeFileSync(file, JSON.stringify(testWorld()));
    server = await startTestServer({ worldFile: file });
    await probe.close();
  });
  after(() => server.close());

  const create = async (app: string, body: unknown) => {
    const token = await server.token({ appId: app, secret: 's' });
    return server.graph('POST', '/beta/communications/calls', { body, token });
  };
  const expect7504 = async (app: string, body: unknown, missing: RegExp) => {
    const res = await create(app, body);
    assert.equal(res.status, 403, JSON.stringify(res.body));
    const error = (res.body as { error: { code: string; message: string } }).error;
    assert.equal(error.code, '7504');
    assert.match(error.message, missing);
  };

  it('peer-to-peer needs Calls.Initiate.All', async () => {
    await expect7504(idOf('group'), p2pBody(), /Calls\.Initiate\.All/);
    assert.equal((await create(idOf('initiate'), p2pBody())).status, 201);
  });

  it('PSTN needs Calls.Initiate.All', async () => {
    await expect7504(idOf('join'), pstnBody(), /Calls\.Initiate\.All/);
    assert.equal((await create(idOf('initiate'), pstnBody())).status, 201);
  });

  it('a group call needs Calls.InitiateGroupCall.All', async () => {
    await expect7504(idOf('initiate'), groupBody(), /Calls\.InitiateGroupCall\.All/);
    assert.equal((await create(idOf('group'), groupBody())).status, 201);
  });

  it('joining a meeting needs Calls.JoinGroupCall.All', async () => {
    await expect7504(idOf('initiate'), organizerMeetingBody(), /Calls\.JoinGroupCall\.All/);
    assert.equal((await create(idOf('join'), organizerMeetingBody())).status, 201);
  });

  it('or the RSC Calls.JoinGroupCalls.Chat granted on that meeting chat', async () => {
    assert.equal((await create('a0000000-0000-4000-8000-0000000000fe', organizerMeetingBody())).status, 201);
    await expect7504('a0000000-0000-4000-8000-0000000000ff', organizerMeetingBody(), /Calls\.JoinGroupCall/);
  });

  it('a guest join needs Calls.JoinGroupCallAsGuest.All', async () => {
    await expect7504(idOf('initiate'), guestBody(), /Calls\.JoinGroupCallAsGuest\.All/);
    assert.equal((await create(idOf('guest'), guestBody())).status, 201);
  });

  it('app-hosted media also needs Calls.AccessMedia.All', async () => {
    await expect7504(idOf('initiate'), p2pBody({ mediaConfig: appMedia }), /Calls\.AccessMedia\.All/);
    assert.equal((await create(idOf('initiateMedia'), p2pBody({ mediaConfig: appMedia }))).status, 201);
  });

  it('an app without roles can do nothing', async () => {
    await expect7504(idOf('none'), p2pBody(), /Calls\.Initiate\.All/);
  });
});
