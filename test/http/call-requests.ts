import { SEED_IDS as S } from '../../src/world/seed-ids.js';

/** Small valid create-call bodies the HTTP tests vary one property at a time. */
export const CALLBACK = 'https://bot.contoso.com/callback';

export const serviceMedia = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };
export const appMedia = {
  '@odata.type': '#microsoft.graph.appHostedMediaConfig',
  blob: '<Media Session Configuration>',
};

export const userTarget = (id: string = S.johnUserId, displayName = 'John') => ({
  '@odata.type': '#microsoft.graph.invitationParticipantInfo',
  identity: {
    '@odata.type': '#microsoft.graph.identitySet',
    user: { '@odata.type': '#microsoft.graph.identity', id, displayName },
  },
});

export const phoneTarget = (id: string = S.phoneNumber) => ({
  '@odata.type': '#microsoft.graph.invitationParticipantInfo',
  identity: {
    '@odata.type': '#microsoft.graph.identitySet',
    phone: { '@odata.type': '#microsoft.graph.identity', id },
  },
});

export const p2pBody = (over: Record<string, unknown> = {}) => ({
  '@odata.type': '#microsoft.graph.call',
  callbackUri: CALLBACK,
  targets: [userTarget()],
  requestedModalities: ['audio'],
  mediaConfig: serviceMedia,
  ...over,
});

export const instanceSource = (id: string = S.applicationInstanceId) => ({
  '@odata.type': '#microsoft.graph.participantInfo',
  identity: {
    '@odata.type': '#microsoft.graph.identitySet',
    applicationInstance: { '@odata.type': '#microsoft.graph.identity', displayName: 'Calling Bot', id },
  },
});

export const guestSource = () => ({
  '@odata.type': '#microsoft.graph.participantInfo',
  identity: {
    '@odata.type': '#microsoft.graph.identitySet',
    guest: { '@odata.type': '#microsoft.graph.identity', displayName: 'Guest User', id: S.guestId },
  },
});

export const organizerMeetingBody = (over: Record<string, unknown> = {}) => ({
  '@odata.type': '#microsoft.graph.call',
  callbackUri: CALLBACK,
  requestedModalities: ['audio'],
  mediaConfig: serviceMedia,
  chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: S.scheduledThreadId, messageId: '0' },
  meetingInfo: {
    '@odata.type': '#microsoft.graph.organizerMeetingInfo',
    organizer: {
      '@odata.type': '#microsoft.graph.identitySet',
      user: { '@odata.type': '#microsoft.graph.identity', id: S.bobUserId, displayName: 'Bob' },
    },
    allowConversationWithoutHost: true,
  },
  ...over,
});

export const joinByIdBody = (joinMeetingId: string, passcode: string | null) => ({
  '@odata.type': '#microsoft.graph.call',
  callbackUri: CALLBACK,
  requestedModalities: ['audio'],
  mediaConfig: serviceMedia,
  meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId, passcode },
});
