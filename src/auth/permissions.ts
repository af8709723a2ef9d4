import { graphErrors, type GraphError } from '../domain/graph-error.js';
import type { Principal } from './verify-access-token.js';

export type CallScenario = 'peerToPeer' | 'group' | 'meeting' | 'pstn';

/** One way to satisfy a requirement: an application permission (role) or an RSC grant on the meeting chat. */
export interface PermissionOption {
  permission: string;
  kind: 'application' | 'rsc';
}

/** A requirement is met when the app holds any one of its options. */
export interface PermissionRequirement {
  purpose: string;
  anyOf: PermissionOption[];
}

export interface CreateCallPermissionInput {
  scenario: CallScenario;
  /** The source identity is a guest (meeting joins only). */
  guestJoin: boolean;
  appHostedMedia: boolean;
  /** The meeting chat's thread id, when joining a meeting. */
  meetingThreadId?: string;
}

const app = (permission: string): PermissionOption => ({ permission, kind: 'application' });
const rsc = (permission: string): PermissionOption => ({ permission, kind: 'rsc' });

/**
 * What POST /communications/calls needs, per the Create call page:
 * - peer-to-peer and PSTN calls: Calls.Initiate.All;
 * - group calls: Calls.InitiateGroupCall.All;
 * - meeting joins: Calls.JoinGroupCall.All, or RSC Calls.JoinGroupCalls.Chat on that meeting chat;
 * - meeting joins as a guest: Calls.JoinGroupCallAsGuest.All, or the higher-privileged
 *   Calls.JoinGroupCall.All;
 * - app-hosted media, in addition: Calls.AccessMedia.All, or for a meeting RSC
 *   Calls.AccessMedia.Chat on that meeting chat.
 */
export function requiredPermissions(input: CreateCallPermissionInput): PermissionRequirement[] {
  const inMeeting = input.scenario === 'meeting' && input.meetingThreadId !== undefined;
  const requirements: PermissionRequirement[] = [];
  switch (input.scenario) {
    case 'peerToPeer':
      requirements.push({ purpose: 'to place a peer-to-peer call', anyOf: [app('Calls.Initiate.All')] });
      break;
    case 'pstn':
      requirements.push({ purpose: 'to call a phone number', anyOf: [app('Calls.Initiate.All')] });
      break;
    case 'group':
      requirements.push({ purpose: 'to create a group call', anyOf: [app('Calls.InitiateGroupCall.All')] });
      break;
    case 'meeting':
      requirements.push(
        input.guestJoin
          ? {
              purpose: 'to join a meeting as a guest',
              anyOf: [app('Calls.JoinGroupCallAsGuest.All'), app('Calls.JoinGroupCall.All')],
            }
          : {
              purpose: 'to join a meeting',
              anyOf: [
                app('Calls.JoinGroupCall.All'),
                ...(inMeeting ? [rsc('Calls.JoinGroupCalls.Chat')] : []),
              ],
            },
      );
      break;
  }
  if (input.appHostedMedia) {
    requirements.push({
      purpose: 'for app-hosted media',
      anyOf: [app('Calls.AccessMedia.All'), ...(inMeeting ? [rsc('Calls.AccessMedia.Chat')] : [])],
    });
  }
  return requirements;
}

/**
 * The 403 (7504) Graph returns when the app lacks a permission the new call needs, naming
 * what is missing; undefined when every requirement is met. `rscPermissions` are the app's
 * RSC grants on the meeting chat (WorldIndex.rscPermissions(appId, meetingThreadId)).
 */
export function checkCreateCallPermissions(
  opts: CreateCallPermissionInput & { principal: Principal; rscPermissions: string[] },
): GraphError | undefined {
  const roles = new Set(opts.principal.roles);
  const grants = new Set(opts.rscPermissions);
  for (const requirement of requiredPermissions(opts)) {
    const met = requirement.anyOf.some((o) => (o.kind === 'application' ? roles : grants).has(o.permission));
    if (!met) return graphErrors.insufficientPermissions(describeMissing(requirement, opts.meetingThreadId));
  }
  return undefined;
}

function describeMissing(requirement: PermissionRequirement, threadId: string | undefined): string {
  const options = requirement.anyOf.map((o) =>
    o.kind === 'application'
      ? `application permission ${o.permission}`
      : `resource-specific consent ${o.permission} on chat ${threadId ?? ''}`,
  );
  return `The app needs ${options.join(' or ')} ${requirement.purpose}.`;
}
