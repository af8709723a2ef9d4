import type { Meeting } from '../../world/world-schema.js';
import type { WorldIndex } from '../../world/world-index.js';
import type { CallScenario } from '../call-document.js';
import { acceptsCallbackUri, type CallbackPolicy } from './callback-policy.js';
import { type GraphError, graphErrors } from '../graph-error.js';
import type { CreateCallRequest, IdentitySetInput } from './create-call-request.js';

/** What a valid create-call request asks for, decided before anything is stored. */
export interface CreateCallPlan {
  scenario: CallScenario;
  appHostedMedia: boolean;
  /** The bot joins as a guest (source.identity.guest). */
  guestJoin: boolean;
  /** The meeting being joined, for meeting scenarios. */
  meeting?: Meeting;
  /** The tenant the call lives in: the token's tenant. */
  tenantId: string;
}

export interface PlanInput {
  request: CreateCallRequest;
  /** Tenant from the access token. */
  tokenTenantId: string;
  version: 'v1.0' | 'beta';
  world: WorldIndex;
  /** Which plain-http callbackUris are accepted besides https ones. */
  callbacks: CallbackPolicy;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const E164 = /^\+[1-9][0-9]{6,14}$/;
export const MAX_GROUP_TARGETS = 5;
export const MAX_RINGING_TIMEOUT_SECONDS = 115;

const SERVICE_HOSTED = '#microsoft.graph.serviceHostedMediaConfig';
const APP_HOSTED = '#microsoft.graph.appHostedMediaConfig';

/** Applies Graph's create-call rules; returns the plan or the error Graph would answer with. */
export function planCreateCall(input: PlanInput): CreateCallPlan | GraphError {
  const { request, version, world } = input;

  if (!acceptsCallbackUri(request.callbackUri, input.callbacks)) {
    return graphErrors.badRequest('callbackUri must be an absolute https URL.', 'callbackUri');
  }
  const mediaType = request.mediaConfig['@odata.type'];
  if (mediaType !== SERVICE_HOSTED && mediaType !== APP_HOSTED) {
    return graphErrors.badRequest(
      `mediaConfig @odata.type must be ${SERVICE_HOSTED} or ${APP_HOSTED}.`,
      'mediaConfig',
    );
  }
  const appHostedMedia = mediaType === APP_HOSTED;
  if (appHostedMedia && !request.mediaConfig.blob) {
    return graphErrors.badRequest('appHostedMediaConfig requires a blob.', 'mediaConfig.blob');
  }
  if (version === 'v1.0' && (request.ringingTimeoutInSeconds != null || request.routingPolicies)) {
    return graphErrors.badRequest(
      'ringingTimeoutInSeconds and routingPolicies are available on /beta only.',
      'ringingTimeoutInSeconds',
    );
  }
  const ringing = request.ringingTimeoutInSeconds;
  if (ringing != null && (ringing < 1 || ringing > MAX_RINGING_TIMEOUT_SECONDS)) {
    return graphErrors.badRequest(
      `ringingTimeoutInSeconds must be between 1 and ${MAX_RINGING_TIMEOUT_SECONDS}.`,
      'ringingTimeoutInSeconds',
    );
  }

  const tenantError = checkTenant(request.tenantId, input.tokenTenantId);
  if (tenantError) return tenantError;

  const sourceIdentity = request.source?.identity;
  const guestJoin = Boolean(sourceIdentity?.guest);
  const targets = request.targets ?? [];
  const base = { appHostedMedia, guestJoin, tenantId: input.tokenTenantId };

  if (request.meetingInfo) {
    if (targets.length > 0) {
      return graphErrors.badRequest('Specify either targets or meetingInfo, not both.', 'targets');
    }
    const found = findMeeting(request, world);
    if ('status' in found) return found;
    return { ...base, scenario: 'meeting', meeting: found };
  }
  if (guestJoin) {
    return graphErrors.badRequest('A guest source is only supported when joining a meeting.', 'source');
  }
  if (targets.length === 0) {
    return graphErrors.badRequest('A call needs targets or meetingInfo.', 'targets');
  }
  for (const [i, target] of targets.entries()) {
    const kinds = identityKinds(target.identity);
    if (kinds.length !== 1) {
      return graphErrors.badRequest(
        `targets[${i}].identity must hold exactly one identity (user, application, applicationInstance or phone).`,
        `targets[${i}].identity`,
      );
    }
    const idValue = target.identity[kinds[0] as keyof IdentitySetInput];
    const id = typeof idValue === 'object' && idValue !== null ? idValue.id : undefined;
    if (typeof id !== 'string' || id.length === 0) {
      return graphErrors.badRequest(`targets[${i}].identity.${kinds[0]}.id is required.`, `targets[${i}]`);
    }
    if (kinds[0] === 'phone' && !E164.test(id)) {
      return graphErrors.badRequest(
        `targets[${i}].identity.phone.id must be an E.164 number such as +12345678901.`,
        `targets[${i}].identity.phone.id`,
      );
    }
  }
  const hasPhone = targets.some((t) => t.identity.phone);
  if (hasPhone) {
    if (targets.length > 1) {
      return graphErrors.badRequest('A PSTN call has exactly one phone target.', 'targets');
    }
    const instance = sourceIdentity?.applicationInstance;
    const known = instance?.id ? world.applicationInstance(instance.id) : undefined;
    if (!known) {
      return graphErrors.badRequest(
        'A PSTN call needs source.identity.applicationInstance: a resource account with a phone number.',
        'source.identity.applicationInstance',
      );
    }
    return { ...base, scenario: 'pstn' };
  }
  if (targets.length > MAX_GROUP_TARGETS) {
    return graphErrors.badRequest(
      `A group call supports at most ${MAX_GROUP_TARGETS} targets; got ${targets.length}.`,
      'targets',
    );
  }
  return { ...base, scenario: targets.length === 1 ? 'peerToPeer' : 'group' };
}

/**
 * A request tenantId that is a GUID must match the token's tenant (403 7505). A value that is
 * not a GUID cannot name a tenant and is not checked: the seed's meeting examples send one
 * (86dc81db-...-63f3esaa1edb) and get 201.
 */
function checkTenant(requested: string | null | undefined, tokenTenantId: string): GraphError | undefined {
  if (!requested || !GUID.test(requested)) return undefined;
  if (requested.toLowerCase() !== tokenTenantId.toLowerCase()) {
    return graphErrors.tenantMismatch(
      `The request tenant ${requested} differs from the token tenant ${tokenTenantId}.`,
    );
  }
  return undefined;
}

const IDENTITY_KINDS = [
  'user',
  'application',
  'applicationInstance',
  'phone',
  'guest',
  'device',
  'encrypted',
  'onPremises',
] as const;

export function identityKinds(set: IdentitySetInput): string[] {
  return IDENTITY_KINDS.filter((k) => set[k] !== undefined && set[k] !== null);
}

function findMeeting(request: CreateCallRequest, world: WorldIndex): Meeting | GraphError {
  const info = request.meetingInfo!;
  switch (info['@odata.type']) {
    case '#microsoft.graph.organizerMeetingInfo': {
      if (!info.organizer?.user?.id) {
        return graphErrors.badRequest('organizerMeetingInfo requires organizer.user.id.', 'meetingInfo');
      }
      const threadId = request.chatInfo?.threadId;
      if (!threadId) {
        return graphErrors.badRequest(
          'Joining with organizerMeetingInfo requires chatInfo with threadId and messageId.',
          'chatInfo',
        );
      }
      const meeting = world.meetingByChat(threadId, request.chatInfo?.messageId ?? '0');
      if (!meeting) return graphErrors.notFound(`No online meeting has chat thread ${threadId}.`);
      if (meeting.organizerId.toLowerCase() !== info.organizer.user.id.toLowerCase()) {
        return graphErrors.notFound(
          `The meeting on thread ${threadId} is not organized by ${info.organizer.user.id}.`,
        );
      }
      return meeting;
    }
    case '#microsoft.graph.joinMeetingIdMeetingInfo': {
      if (!info.joinMeetingId) {
        return graphErrors.badRequest('joinMeetingIdMeetingInfo requires joinMeetingId.', 'meetingInfo');
      }
      const meeting = world.meetingByJoinMeetingId(info.joinMeetingId);
      if (!meeting) return graphErrors.notFound(`No online meeting has joinMeetingId ${info.joinMeetingId}.`);
      if (info.passcode != null && info.passcode !== (meeting.passcode ?? null)) {
        return graphErrors.forbidden('The passcode does not match the meeting.');
      }
      return meeting;
    }
    case '#microsoft.graph.tokenMeetingInfo': {
      const meeting = info.token ? world.meeting(info.token) : undefined;
      if (!meeting) return graphErrors.notFound('No online meeting matches the meeting token.');
      return meeting;
    }
    default:
      return graphErrors.badRequest(
        'meetingInfo @odata.type must be organizerMeetingInfo, joinMeetingIdMeetingInfo or tokenMeetingInfo.',
        'meetingInfo',
      );
  }
}
