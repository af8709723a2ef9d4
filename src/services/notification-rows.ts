import type { CallDocument, JsonObject } from '../domain/call-document.js';
import type { IdGenerator } from '../domain/ids.js';
import { callStateNotification } from '../domain/notifications/call-state.js';
import { contentSharingNotification } from '../domain/notifications/content-sharing.js';
import { commsNotifications } from '../domain/notifications/envelope.js';
import { participantResource, rosterNotification } from '../domain/notifications/roster.js';
import type { OutboxRowInput } from '../storage/store.js';
import type { PendingNotification } from './call-draft.js';

/**
 * How notifications become outbox rows (one row = one POST):
 * - `ordered` (default): one row per notification, in the order they happened.
 * - `graph`: reproduces two documented Graph quirks. Notifications committed together go in
 *   ONE POST's `value[]`; and the `establishing` notification is held back until the call's next
 *   commit that notifies anything, and sent AFTER it when that commit notifies `established`
 *   (so a bot sees established before establishing, as Graph may deliver them).
 */
export type DeliveryProfile = 'ordered' | 'graph';
export const DELIVERY_PROFILES = ['ordered', 'graph'] as const satisfies readonly DeliveryProfile[];

/** One commsNotification item (an element of `value`) for each pending notification. */
export function notificationItems(doc: CallDocument, pending: PendingNotification[]): JsonObject[] {
  const callId = doc.resource.id;
  const callbackUri = doc.resource.callbackUri as string;
  const version = doc.version;
  return pending.map((n) => {
    switch (n.kind) {
      case 'state':
        return callStateNotification({
          resource: {
            ...doc.resource,
            state: n.state,
            resultInfo: n.resultInfo ? { ...n.resultInfo } : null,
            terminationReason: n.terminationReason ?? null,
          },
          version,
          changeType: n.changeType,
        });
      case 'contentSharing':
        return contentSharingNotification({
          callId,
          callbackUri,
          changeType: n.changeType,
          session: { ...n.session },
          version,
        });
      case 'roster':
        return rosterNotification({
          callId,
          callbackUri,
          version,
          participants: n.participants.map((p) =>
            participantResource({
              id: p.id,
              info: p.info,
              isInLobby: p.isInLobby,
              isMuted: p.isMuted,
              mediaStreams: p.mediaStreams as unknown as JsonObject[],
              metadata: p.metadata,
              ...(typeof p.rosterSequenceNumber === 'number'
                ? { rosterSequenceNumber: p.rosterSequenceNumber }
                : {}),
              removedState: p.removedState,
              version,
            }),
          ),
          ...(n.delta ? { delta: n.delta } : {}),
        });
      case 'rosterSlot':
        throw new Error('a roster slot must be resolved before it is sent');
    }
  });
}

export interface RowsInput {
  doc: CallDocument;
  items: JsonObject[];
  /** Items held back by an earlier commit (graph profile); replaced by what stays held. */
  held: JsonObject[];
  profile: DeliveryProfile;
  /** true for the commit that creates the call. */
  creating: boolean;
  ids: IdGenerator;
  now: number;
}

/** The outbox rows for one commit, and the items that stay held (graph profile). */
export function outboxRows(input: RowsInput): { rows: OutboxRowInput[]; held: JsonObject[] } {
  const { doc, items, profile } = input;
  const row = (batch: JsonObject[]): OutboxRowInput => ({
    id: input.ids.uuid(),
    callId: doc.resource.id,
    url: doc.resource.callbackUri as string,
    body: JSON.stringify(commsNotifications(batch)),
    runAt: input.now,
  });
  if (profile === 'ordered') return { rows: items.map((item) => row([item])), held: [] };

  if (items.length === 0) return { rows: [], held: input.held };
  const stateOf = (item: JsonObject): unknown =>
    (item.resourceData as JsonObject | undefined)?.state ?? undefined;
  const isEstablishing = (item: JsonObject) =>
    item.changeType === 'updated' && stateOf(item) === 'establishing';
  // The first establishing of a call is held until the next commit that notifies something.
  if (input.creating && items.length === 1 && isEstablishing(items[0]!)) {
    return { rows: [], held: items };
  }
  const batch = row(items);
  if (input.held.length === 0) return { rows: [batch], held: [] };
  const held = row(input.held);
  const swapped = items.some((item) => stateOf(item) === 'established');
  return { rows: swapped ? [batch, held] : [held, batch], held: [] };
}
