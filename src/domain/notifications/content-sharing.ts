import type { GraphVersion, JsonObject } from '../call-document.js';
import { callResourceUrl, commsNotification, ODATA } from './envelope.js';
import { withoutNulls } from './json.js';

/**
 * Content sharing started / updated / ended (`created` / `updated` / `deleted`), sent when the
 * call has `isContentSharingNotificationEnabled`. As in Create call example 1, resourceUrl is the
 * call's lower-case `/contentsharingsessions` collection and resourceData an array holding the
 * one session that changed: `[{"@odata.type":"#microsoft.graph.contentSharingSession","id":...}]`.
 */

/** contentSharingSession properties Graph defines on beta only (v1.0 has only id). */
const BETA_ONLY_SESSION = ['presenterParticipantId', 'pngOfCurrentSlide'];

export interface ContentSharingNotificationOptions {
  callId: string;
  callbackUri: string;
  changeType: 'created' | 'updated' | 'deleted';
  /** The session; its properties are sent as given (null ones left out). */
  session: { id: string } & JsonObject;
  /** When 'v1.0', the beta-only session properties are left out. */
  version?: GraphVersion;
}

export function contentSharingNotification(options: ContentSharingNotificationOptions): JsonObject {
  const session: JsonObject = { '@odata.type': ODATA.contentSharingSession };
  for (const [key, value] of Object.entries(withoutNulls(options.session))) {
    if (options.version === 'v1.0' && BETA_ONLY_SESSION.includes(key)) continue;
    session[key] = value;
  }
  return commsNotification({
    changeType: options.changeType,
    resourceUrl: `${callResourceUrl(options.callId)}/contentsharingsessions`,
    callbackUri: options.callbackUri,
    resourceData: [session],
  });
}
