import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { CallDocument } from '../../src/domain/call-document.js';
import { participantEntriesOf, readRuntime } from '../../src/services/call-runtime.js';
import { FAR_END_DELAY_MS } from '../../src/services/far-end.js';
import { p2pBody } from '../http/call-requests.js';
import { serviceHarness, type ServiceHarness } from './harness.js';

type StoredEntry = {
  role: string;
  machine: { state: string; participantId?: string; participant?: { id: string } };
};

const storedEntries = (doc: CallDocument) => doc.extra.participantStates as unknown as StoredEntry[];

describe('call runtime: how participants are stored', () => {
  let h: ServiceHarness;
  beforeEach(async () => {
    h = await serviceHarness();
  });
  afterEach(() => h.close());

  it('keeps a participant in the roster once (in doc.participants) and reads it back into its entry', async () => {
    const { id } = await h.create(p2pBody());
    await h.advance(FAR_END_DELAY_MS);
    await h.advance(1000); // answered
    const { doc } = await h.call(id);
    const roster = doc.participants as unknown as { id: string }[];
    assert.equal(roster.length, 2);
    // Stored: each entry names its participant by id, no second copy of it.
    assert.deepEqual(
      storedEntries(doc).map((e) => [
        e.role,
        e.machine.state,
        e.machine.participantId,
        'participant' in e.machine,
      ]),
      [
        ['bot', 'inCall', roster[1]!.id, false],
        ['target', 'inCall', roster[0]!.id, false],
      ],
    );
    // Read: each entry has its participant object again, the roster's own.
    const entries = participantEntriesOf(doc);
    assert.deepEqual(
      entries.map((e) => e.machine.participant),
      [roster[1], roster[0]],
    );
    assert.equal(entries[0]!.machine.participant, roster[1]);
    assert.deepEqual(
      readRuntime(doc).participants.map((e) => e.machine.participant.id),
      [roster[1]!.id, roster[0]!.id],
    );
  });

  it('keeps the participant object in the entry of one who is not in the roster', async () => {
    const { id } = await h.create(p2pBody());
    await h.advance(FAR_END_DELAY_MS);
    await h.advance(1000);
    await h.control.farEnd(id, 'hang-up'); // the callee leaves; the bot is still in the call
    const { doc } = await h.call(id);
    const roster = doc.participants as unknown as { id: string }[];
    const stored = storedEntries(doc);
    assert.deepEqual(
      stored.map((e) => [e.role, e.machine.state, e.machine.participantId, e.machine.participant?.id]),
      [
        ['bot', 'inCall', roster[0]!.id, undefined],
        ['target', 'left', undefined, stored[1]!.machine.participant!.id],
      ],
    );
    assert.deepEqual(
      participantEntriesOf(doc).map((e) => e.machine.participant),
      [roster[0], stored[1]!.machine.participant],
    );
  });

  it('reads entries stored with their participant object inline (documents of earlier versions)', async () => {
    const { id } = await h.create(p2pBody());
    await h.advance(FAR_END_DELAY_MS);
    await h.advance(1000);
    const { doc } = await h.call(id);
    const entries = participantEntriesOf(doc);
    const inline: CallDocument = {
      ...doc,
      extra: {
        ...doc.extra,
        participantStates: JSON.parse(JSON.stringify(entries)) as CallDocument['extra'][string],
      },
    };
    assert.deepEqual(participantEntriesOf(inline), entries);
  });
});
