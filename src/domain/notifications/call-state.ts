import type { CallDocument, CallState, GraphVersion, JsonObject } from '../call-document.js';
import { projectCallState } from '../call-machine.js';
import { projectCall } from '../call-projection.js';
import { callResourceUrl, commsNotification, ODATA } from './envelope.js';
import { isJsonObject, withoutNulls } from './json.js';

/**
 * The notification on `/communications/calls/{id}` when a call changes state (`updated`) or
 * ends (`deleted`). resourceData is a partial call, as the Graph docs show it:
 *
 * - always `@odata.type`, `state` and `id`;
 * - establishing / established of a meeting join: `chatInfo` and `meetingInfo` (Create call,
 *   example 5); established of any other call: `direction` and `tenantId` (example 1);
 * - `resultInfo` (with its @odata.type) whenever the call has one: the terminated notification
 *   of "Delete call", the failed transfer of "call: transfer";
 * - deleted on beta: `terminationReason` when the call has one ("call: transfer").
 *
 * The call is projected to `version` first: v1.0 never sees `ringing` (it sees establishing)
 * nor any beta-only property.
 */
export interface CallStateNotificationOptions {
  /** The stored call resource (beta shape); its state is the state being notified. */
  resource: CallDocument['resource'];
  version: GraphVersion;
  /** `deleted` when the call has ended: its state is then always `terminated`. */
  changeType: 'updated' | 'deleted';
}

const MEETING_CONTEXT_STATES: readonly CallState[] = ['establishing', 'established'];

export function callStateNotification(options: CallStateNotificationOptions): JsonObject {
  const { resource, version, changeType } = options;
  const call = projectCall(resource, version);
  const state: CallState =
    changeType === 'deleted' ? 'terminated' : projectCallState(resource.state, version);
  const data: JsonObject = { '@odata.type': ODATA.call, state };

  if (MEETING_CONTEXT_STATES.includes(state) && isJsonObject(call.meetingInfo)) {
    if (isJsonObject(call.chatInfo)) data.chatInfo = withoutNulls(call.chatInfo);
    data.meetingInfo = withoutNulls(call.meetingInfo);
  } else if (state === 'established') {
    if (typeof call.direction === 'string') data.direction = call.direction;
    if (typeof call.tenantId === 'string') data.tenantId = call.tenantId;
  }
  if (isJsonObject(call.resultInfo)) {
    data.resultInfo = { '@odata.type': ODATA.resultInfo, ...withoutNulls(call.resultInfo) };
  }
  if (changeType === 'deleted' && typeof call.terminationReason === 'string') {
    data.terminationReason = call.terminationReason;
  }
  data.id = resource.id;

  return commsNotification({
    changeType,
    resourceUrl: callResourceUrl(resource.id),
    callbackUri: typeof call.callbackUri === 'string' ? call.callbackUri : null,
    resourceData: data,
  });
}
