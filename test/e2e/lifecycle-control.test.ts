import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SEED_IDS as S } from '../../src/world/seed-ids.js';
import { p2pBody } from '../http/call-requests.js';
import { BotReceiver, describeItems } from '../support/bot-receiver.js';
import { startTestServer, type TestServer } from '../support/in-process.js';
import { until } from '../support/poll.js';

type Call = { id: string; state: string };
type Row = {
  id: string;
  seq: number;
  status: string;
  attempts: number;
  body: { value: unknown[] };
  attemptLog: { status: number }[];
};
const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

describe('e2e: the control API, callback issuer and callback URLs', () => {
  let server: TestServer;
  let bot: BotReceiver;
  let strangerBot: BotReceiver;
  before(async () => {
    server = await startTestServer({ clock: 'manual', callbackIssuer: 'botframework' });
    bot = await BotReceiver.start({
      switchboardUrl: server.url,
      appId: S.callingBotAppId,
      issuer: 'https://api.botframework.com',
    });
    // Expects the Graph issuer: every token Switchboard signs here is refused with 401.
    strangerBot = await BotReceiver.start({ switchboardUrl: server.url, appId: S.callingBotAppId });
  });
  after(async () => {
    await server.close();
    await bot.close();
    await strangerBot.close();
  });

  const control = (method: string, path: string, body?: unknown) =>
    server.graph(method, `/_switchboard${path}`, { token: null, body });
  const create = async (callbackUri: string) => {
    const res = await server.graph('POST', '/beta/communications/calls', { body: p2pBody({ callbackUri }) });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as Call;
  };

  it('lists calls newest first and shows one call with its participants and timeline', async () => {
    const first = await create(bot.url);
    await control('POST', '/clock/advance', { ms: 1 });
    const second = await create(bot.url);
    const list = (await control('GET', '/calls')).body as { value: Call[] };
    assert.deepEqual(
      list.value.slice(0, 2).map((c) => c.id),
      [second.id, first.id],
    );
    const one = await control('GET', `/calls/${first.id}`);
    assert.equal(one.status, 200);
    const stored = one.body as {
      resource: { id: string };
      participantStates: unknown[];
      timeline: { event: string }[];
      timers: Record<string, number>;
    };
    assert.equal(stored.resource.id, first.id);
    assert.equal(stored.participantStates.length, 2);
    assert.deepEqual(
      stored.timeline.map((e) => e.event),
      ['created'],
    );
    assert.deepEqual(
      Object.keys(stored.timers).sort(),
      [
        'farEnd:' +
          (stored.participantStates[1] as { machine: { participant: { id: string } } }).machine.participant
            .id,
        'keepAliveExpired',
      ].sort(),
    );
    const missing = await control('GET', '/calls/2e1a0b00-0000-4000-8000-000000000000');
    assert.equal(missing.status, 404);
    assert.equal(errorCode(missing.body), '8522');
  });

  it('signs with the botframework issuer; notifications show status and attempts; a failed row is replayed', async () => {
    const call = await create(bot.url);
    await bot.waitFor(call.id, (items) => describeItems(items).includes('updated:establishing'));
    // The bot has the notification; Switchboard records its 202 a moment later.
    const rows = await until('the first row recorded', async () => {
      const list = (await control('GET', `/calls/${call.id}/notifications`)).body as { value: Row[] };
      return list.value[0]?.status === 'pending' ? undefined : list;
    });
    assert.equal(rows.value[0]!.status, 'delivered');
    assert.equal(rows.value[0]!.attempts, 1);
    assert.equal(rows.value[0]!.attemptLog[0]!.status, 202);
    assert.equal(bot.received.at(-1)!.claims.iss, 'https://api.botframework.com');
    const again = await control('POST', `/outbox/${rows.value[0]!.id}/replay`);
    assert.equal(again.status, 409);

    const refused = await create(strangerBot.url);
    await strangerBot.waitForRejections(1);
    const failed = await until('the refused row to fail', async () => {
      const list = (await control('GET', `/calls/${refused.id}/notifications`)).body as { value: Row[] };
      return list.value.find((r) => r.status === 'failed');
    });
    assert.equal(failed.attemptLog[0]!.status, 401);
    const replayed = await control('POST', `/outbox/${failed.id}/replay`);
    assert.equal(replayed.status, 200);
    assert.equal((replayed.body as Row).status, 'pending');
    await strangerBot.waitForRejections(2);
    const unknown = await control('POST', '/outbox/nope/replay');
    assert.equal(unknown.status, 404);
  });

  it('http callbackUris: loopback accepted, others refused unless --allow-insecure-callbacks', async () => {
    for (const uri of ['http://localhost:9/cb', 'http://[::1]:9/cb']) {
      const ok = await server.graph('POST', '/beta/communications/calls', {
        body: p2pBody({ callbackUri: uri }),
      });
      assert.equal(ok.status, 201, uri);
    }
    const refused = await server.graph('POST', '/beta/communications/calls', {
      body: p2pBody({ callbackUri: 'http://bot.contoso.com/cb' }),
    });
    assert.equal(refused.status, 400);
    const open = await startTestServer({ allowInsecureCallbacks: true });
    try {
      const res = await open.graph('POST', '/beta/communications/calls', {
        body: p2pBody({ callbackUri: 'http://bot.contoso.com/cb' }),
      });
      assert.equal(res.status, 201);
      assert.equal((res.body as { callbackUri: string }).callbackUri, 'http://bot.contoso.com/cb');
    } finally {
      await open.close();
    }
  });

  it('refuses bad requests with the Graph error envelope', async () => {
    const call = await create(bot.url);
    const badBody = await control('POST', `/calls/${call.id}/participants`, { user: 'x' });
    assert.equal(badBody.status, 400);
    assert.equal(errorCode(badBody.body), 'BadRequest');
    const badAction = await control('POST', `/calls/${call.id}/far-end/dance`);
    assert.equal(badAction.status, 400);
    const p2pJoin = await control('POST', `/calls/${call.id}/participants`, { userId: S.user1UserId });
    assert.equal(p2pJoin.status, 400);
    const noUser = await control('PUT', '/policies/users/c0ffee00-0000-4000-8000-00000000ffff', {
      action: 'answer',
    });
    assert.equal(noUser.status, 404);
    const badPolicy = await control('PUT', `/policies/users/${S.johnUserId}`, { action: 'sing' });
    assert.equal(badPolicy.status, 400);
    const set = await control('PUT', `/policies/users/${S.johnUserId}`, { action: 'decline', afterMs: 10 });
    assert.deepEqual(set.body, { action: 'decline', afterMs: 10 });
    const negative = await control('POST', '/clock/advance', { ms: -1 });
    assert.equal(negative.status, 400);
  });

  it('publishes an OpenAPI 3.1 document generated from the control routes', async () => {
    const res = await control('GET', '/openapi.json');
    assert.equal(res.status, 200);
    const doc = res.body as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { parameters?: { name: string }[]; requestBody?: unknown; responses: Record<string, unknown> }
        >
      >;
    };
    assert.equal(doc.openapi, '3.1.0');
    for (const path of [
      '/_switchboard/calls',
      '/_switchboard/calls/{id}',
      '/_switchboard/calls/{id}/notifications',
      '/_switchboard/outbox/{id}/replay',
      '/_switchboard/calls/{id}/far-end/{action}',
      '/_switchboard/calls/{id}/participants',
      '/_switchboard/calls/{id}/participants/{participantId}',
      '/_switchboard/calls/{id}/participants/{participantId}/{action}',
      '/_switchboard/calls/{id}/participants/{participantId}/sharing',
      '/_switchboard/policies/users/{id}',
      '/_switchboard/policies/phones/{number}',
      '/_switchboard/clock',
      '/_switchboard/clock/advance',
      '/_switchboard/health',
    ]) {
      assert.ok(doc.paths[path], path);
    }
    const sharing = doc.paths['/_switchboard/calls/{id}/participants/{participantId}/sharing']!.post!;
    assert.deepEqual(
      sharing.parameters!.map((p) => p.name),
      ['id', 'participantId'],
    );
    assert.ok(sharing.requestBody);
    assert.ok(sharing.responses['200'] && sharing.responses['404']);
    assert.equal(JSON.stringify(doc).includes('"$id"'), false);
  });
});
