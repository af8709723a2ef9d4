import { EXTRA_IDS, SEED_IDS } from './seed-ids.js';
import type { World } from './world-schema.js';

export { EXTRA_IDS, SEED_IDS } from './seed-ids.js';

/** The client secret of every app in the default world. Local development only. */
export const DEFAULT_APP_SECRET = 'switchboard-dev-secret';

/** Every Calls.* application permission (app role). */
export const ALL_CALLS_ROLES = [
  'Calls.Initiate.All',
  'Calls.InitiateGroupCall.All',
  'Calls.JoinGroupCall.All',
  'Calls.JoinGroupCallAsGuest.All',
  'Calls.AccessMedia.All',
] as const;

const S = SEED_IDS;
const X = EXTRA_IDS;

/**
 * The world Switchboard starts with when no world file is given: it contains every id of
 * the seed examples, so each seed request works as written, plus a few identities for
 * negative tests (see EXTRA_IDS). Returns a fresh object on each call.
 */
export function defaultWorld(): World {
  return {
    tenants: [
      { id: S.contosoTenantId, displayName: 'Contoso' },
      { id: S.fabrikamTenantId, displayName: 'Fabrikam' },
    ],
    apps: [
      {
        appId: S.callingBotAppId,
        displayName: 'Calling Bot',
        tenantId: S.contosoTenantId,
        secret: DEFAULT_APP_SECRET,
        roles: [...ALL_CALLS_ROLES],
      },
      {
        appId: S.testBotAppId,
        displayName: 'TestBot',
        tenantId: S.contosoTenantId,
        secret: DEFAULT_APP_SECRET,
        roles: [...ALL_CALLS_ROLES],
      },
      {
        appId: X.noPermissionsAppId,
        displayName: 'No Permissions Bot',
        tenantId: S.contosoTenantId,
        secret: DEFAULT_APP_SECRET,
        roles: [],
      },
      {
        appId: X.rscOnlyAppId,
        displayName: 'Meeting Chat Bot',
        tenantId: S.contosoTenantId,
        secret: DEFAULT_APP_SECRET,
        roles: [],
        rsc: [{ chatId: S.scheduledThreadId, permissions: ['Calls.JoinGroupCalls.Chat'] }],
      },
    ],
    users: [
      { id: S.johnUserId, displayName: 'John', tenantId: S.contosoTenantId },
      { id: S.user1UserId, displayName: 'user1', tenantId: S.contosoTenantId },
      { id: S.user2UserId, displayName: 'user2', tenantId: S.contosoTenantId },
      { id: S.bobUserId, displayName: 'Bob', tenantId: S.contosoTenantId },
      {
        id: X.decliningUserId,
        displayName: 'Declining User',
        tenantId: S.contosoTenantId,
        policy: { action: 'decline', afterMs: 500 },
      },
      {
        id: X.absentUserId,
        displayName: 'Absent User',
        tenantId: S.contosoTenantId,
        policy: { action: 'noAnswer' },
      },
      {
        id: X.unreachableUserId,
        displayName: 'Unreachable User',
        tenantId: S.contosoTenantId,
        policy: { action: 'unreachable' },
      },
    ],
    guests: [{ id: S.guestId, displayName: 'Guest User' }],
    applicationInstances: [
      {
        id: S.applicationInstanceId,
        displayName: 'Calling Bot',
        tenantId: S.contosoTenantId,
        phoneNumber: X.applicationInstancePhoneNumber,
      },
    ],
    phones: [
      { number: S.phoneNumber },
      { number: X.busyPhoneNumber, policy: { action: 'decline', afterMs: 500 } },
    ],
    meetings: [
      {
        id: X.scheduledMeetingId,
        kind: 'scheduled',
        subject: 'Contoso weekly sync',
        tenantId: S.contosoTenantId,
        organizerId: S.bobUserId,
        chatInfo: {
          threadId: S.scheduledThreadId,
          messageId: S.scheduledMessageId,
          replyChainMessageId: null,
        },
        lobbyBypass: 'organization',
        participants: [S.johnUserId],
      },
      {
        id: X.joinByIdMeetingId,
        kind: 'scheduled',
        subject: 'Contoso planning (passcode)',
        tenantId: S.contosoTenantId,
        organizerId: S.bobUserId,
        chatInfo: { threadId: S.joinByIdThreadId, messageId: '0', replyChainMessageId: null },
        joinMeetingId: S.joinMeetingId,
        passcode: S.passcode,
        lobbyBypass: 'organization',
        participants: [S.user1UserId, S.user2UserId],
      },
      {
        id: X.openMeetingId,
        kind: 'scheduled',
        subject: 'Contoso open office hours',
        tenantId: S.contosoTenantId,
        organizerId: S.bobUserId,
        chatInfo: { threadId: X.openMeetingThreadId, messageId: '0', replyChainMessageId: null },
        joinMeetingId: X.openJoinMeetingId,
        passcode: null,
        lobbyBypass: 'organization',
        participants: [S.bobUserId, S.user1UserId],
      },
      {
        id: X.channelMeetingId,
        kind: 'channel',
        subject: 'Contoso channel meeting',
        tenantId: S.contosoTenantId,
        organizerId: S.bobUserId,
        chatInfo: { threadId: S.channelThreadId, messageId: S.channelMessageId, replyChainMessageId: null },
        lobbyBypass: 'organization',
        participants: [S.bobUserId, S.johnUserId],
      },
    ],
    defaultPolicy: { action: 'answer', afterMs: 1000 },
  };
}
