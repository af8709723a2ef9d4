import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FAR_END_DELAY_MS } from '../../src/services/far-end.js';
import { EXTRA_IDS as X, SEED_IDS as S } from '../../src/world/seed-ids.js';
import { CALLBACK, instanceSource, p2pBody, phoneTarget, userTarget } from '../http/call-requests.js';
import { validateGraphValue } from '../support/graph-schema.js';
import { serviceHarness, summarize, type ServiceHarness } from './harness.js';

const CALL = '/communications/calls/';

describe('peer-to-peer and PSTN calls driven by the world policies', () => {
  let h: ServiceHarness;
  beforeEach(async () => {
    h = await serviceHarness();
  });
  afterEach(() => h.close());

  async function assertValid(callId: string, version: 'v1.0' | 'beta') {
    for (const body of await h.bodies(callId)) {
      assert.deepEqual(validateGraphValue({ version, type: 'graph.commsNotifications', value: body }), []);
    }
  }

  it('answered (beta): establishing, ringing, established, each its own POST with exact bodies', async () => {
    const call = await h.create(p2pBody());
    assert.equal(call.state, 'establishing');
    const id = call.id;
    const item = (resourceData: Record<string, unknown>) => ({
      '@odata.type': '#microsoft.graph.commsNotifications',
      value: [
        {
          '@odata.type': '#microsoft.graph.commsNotification',
          changeType: 'updated',
          resourceUrl: CALL + id,
          callbackUri: CALLBACK,
          resourceData: { '@odata.type': '#microsoft.graph.call', ...resourceData, id },
        },
      ],
    });
    assert.deepEqual(await h.bodies(id), [item({ state: 'establishing' })]);
    await h.advance(FAR_END_DELAY_MS);
    assert.equal((await h.call(id)).state, 'ringing');
    await h.advance(1000); // the default policy answers after 1000 ms
    assert.equal((await h.call(id)).state, 'established');
    assert.deepEqual(await h.bodies(id), [
      item({ state: 'establishing' }),
      item({ state: 'ringing' }),
      item({ state: 'established', direction: 'outgoing', tenantId: S.contosoTenantId }),
    ]);
    await assertValid(id, 'beta');
    const stored = await h.call(id);
    assert.deepEqual(
      (stored.doc.extra.timeline as { event: string }[]).map((e) => e.event),
      ['created', 'farEndRinging', 'farEndAnswered', 'participant.join', 'participant.join'],
    );
    // P2P calls get state notifications only: no roster although both sides joined.
    assert.equal(stored.doc.participants.length, 2);
  });

  it('v1.0 is never told about ringing (the stored call does ring)', async () => {
    const call = await h.create(p2pBody(), 'v1.0');
    await h.advance(FAR_END_DELAY_MS);
    assert.equal((await h.call(call.id)).state, 'ringing');
    const got = await h.calls.get({ principal: h.principal, id: call.id });
    assert.equal(got.doc.resource.state, 'ringing');
    await h.advance(1000);
    assert.deepEqual(summarize(await h.items(call.id)), ['updated:establishing', 'updated:established']);
    await assertValid(call.id, 'v1.0');
  });

  it('declined: deleted with 486', async () => {
    const call = await h.create(p2pBody({ targets: [userTarget(X.decliningUserId, 'Declining User')] }));
    await h.advance(FAR_END_DELAY_MS);
    await h.advance(500);
    const items = await h.items(call.id);
    assert.deepEqual(summarize(items), ['updated:establishing', 'updated:ringing', 'deleted:terminated']);
    assert.deepEqual(items[2]!.resourceData, {
      '@odata.type': '#microsoft.graph.call',
      state: 'terminated',
      resultInfo: {
        '@odata.type': '#microsoft.graph.resultInfo',
        code: 486,
        subcode: 0,
        message: 'The callee is busy.',
      },
      id: call.id,
    });
    const stored = await h.call(call.id);
    assert.equal(stored.state, 'terminated');
    assert.deepEqual(stored.doc.resource.resultInfo, {
      code: 486,
      subcode: 0,
      message: 'The callee is busy.',
    });
    assert.deepEqual(await h.store.dueTimers(h.clock.now() + 10 * 3_600_000, 10), []);
    await assertValid(call.id, 'beta');
  });

  it('not answered: the ring timeout (ringingTimeoutInSeconds) ends it with 408/10057', async () => {
    const call = await h.create(
      p2pBody({ targets: [userTarget(X.absentUserId, 'Absent')], ringingTimeoutInSeconds: 30 }),
    );
    await h.advance(FAR_END_DELAY_MS);
    await h.advance(29_999);
    assert.equal((await h.call(call.id)).state, 'ringing');
    await h.advance(1);
    const items = await h.items(call.id);
    assert.deepEqual(summarize(items), ['updated:establishing', 'updated:ringing', 'deleted:terminated']);
    assert.deepEqual((items[2]!.resourceData as { resultInfo: unknown }).resultInfo, {
      '@odata.type': '#microsoft.graph.resultInfo',
      code: 408,
      subcode: 10057,
      message: 'Call timed out due to no signaling from callee endpoints.',
    });
  });

  it('unknown and unreachable users end the call with 480/10037, without ringing', async () => {
    for (const target of ['2e1a0b00-0000-4000-8000-00000000dead', X.unreachableUserId]) {
      const call = await h.create(p2pBody({ targets: [userTarget(target, 'Nobody')] }));
      await h.advance(FAR_END_DELAY_MS);
      const items = await h.items(call.id);
      assert.deepEqual(summarize(items), ['updated:establishing', 'deleted:terminated']);
      assert.deepEqual(
        (items[1]!.resourceData as { resultInfo: { subcode: number } }).resultInfo.subcode,
        10037,
      );
    }
  });

  it('the bot hangs up: terminating, then terminated 200/5001 after 250 ms; Graph forgets it at once', async () => {
    const call = await h.create(p2pBody());
    await h.advance(FAR_END_DELAY_MS + 1000);
    await h.calls.hangUp({ principal: h.principal, id: call.id });
    await assert.rejects(h.calls.get({ principal: h.principal, id: call.id }), { status: 404, code: '8522' });
    assert.equal((await h.call(call.id)).state, 'terminating');
    await h.advance(250);
    const items = await h.items(call.id);
    assert.deepEqual(summarize(items).slice(-2), ['updated:terminating', 'deleted:terminated']);
    assert.deepEqual(items.at(-1)!.resourceData, {
      '@odata.type': '#microsoft.graph.call',
      state: 'terminated',
      resultInfo: {
        '@odata.type': '#microsoft.graph.resultInfo',
        code: 200,
        subcode: 5001,
        message: 'The conversation has ended.',
      },
      id: call.id,
    });
    await assert.rejects(h.calls.hangUp({ principal: h.principal, id: call.id }), { status: 404 });
  });

  it('PSTN: answered, then the phone hangs up after hangUpAfterMs with 200/540000', async () => {
    h.control.setPhonePolicy(S.phoneNumber, { action: 'answer', afterMs: 100, hangUpAfterMs: 5000 });
    const call = await h.create(p2pBody({ source: instanceSource(), targets: [phoneTarget()] }));
    await h.advance(FAR_END_DELAY_MS + 100);
    assert.equal((await h.call(call.id)).state, 'established');
    await h.advance(5000);
    assert.equal((await h.call(call.id)).state, 'terminating');
    await h.advance(250);
    const items = await h.items(call.id);
    assert.deepEqual(summarize(items), [
      'updated:establishing',
      'updated:ringing',
      'updated:established',
      'updated:terminating',
      'deleted:terminated',
    ]);
    assert.deepEqual(
      (items[4]!.resourceData as { resultInfo: { subcode: number } }).resultInfo.subcode,
      540000,
    );
  });

  it('the control API answers for the far end before its policy does, and refuses what does not fit', async () => {
    const call = await h.create(p2pBody({ targets: [userTarget(X.absentUserId, 'Absent')] }));
    await h.advance(FAR_END_DELAY_MS);
    await h.control.farEnd(call.id, 'answer');
    assert.equal((await h.call(call.id)).state, 'established');
    await assert.rejects(h.control.farEnd(call.id, 'decline'), { status: 400 });
    await h.control.farEnd(call.id, 'hang-up');
    await h.advance(250);
    const items = await h.items(call.id);
    assert.equal(
      (items.at(-1)!.resourceData as { resultInfo: { subcode: number } }).resultInfo.subcode,
      4521,
    );
    await assert.rejects(h.control.farEnd(call.id, 'answer'), { status: 400 });
    await assert.rejects(h.control.farEnd('nope', 'answer'), { status: 404, code: '8522' });
  });

  it('a stale timer is dropped: the far end that was answered by hand does not answer again', async () => {
    const call = await h.create(p2pBody());
    await h.advance(FAR_END_DELAY_MS);
    await h.control.farEnd(call.id, 'answer');
    const before = (await h.call(call.id)).revision;
    await h.advance(1000);
    assert.equal((await h.call(call.id)).revision, before);
    assert.deepEqual(summarize(await h.items(call.id)), [
      'updated:establishing',
      'updated:ringing',
      'updated:established',
    ]);
  });
});
