import type { JsonObject } from '../domain/call-document.js';
import { domainError, isDomainError, type DomainError } from '../domain/effects.js';
import { graphErrors } from '../domain/graph-error.js';
import { createParticipant } from '../domain/participant-machine.js';
import type { WorldIndex } from '../world/world-index.js';
import type { Meeting, User } from '../world/world-schema.js';
import type { CallDraft } from './call-draft.js';
import { personStreams, userInfo } from './participant-info.js';

/**
 * Joining a meeting. The bot is let in MEETING_JOIN_DELAY_MS after POST /calls (Switchboard's
 * choice; Graph documents no delay): the call becomes established and the roster lists the
 * meeting's participants and the bot. A bot joining as a guest (source.identity.guest) of a
 * meeting whose lobbyBypass is 'organization' or 'organizer' waits in the lobby instead: its
 * participant has isInLobby true, the call stays establishing and no roster is sent until the
 * bot is admitted (control API), when the call becomes established and the roster follows.
 */
export const MEETING_JOIN_DELAY_MS = 500;

export const MEETING_JOIN_TIMER = 'meetingJoin';

/** The meeting a call joined (its id is kept in doc.extra.meetingId). */
export function meetingOf(draft: CallDraft, world: WorldIndex): Meeting | undefined {
  const id = draft.doc.extra.meetingId;
  return typeof id === 'string' ? world.meeting(id) : undefined;
}

export function isGuestJoin(draft: CallDraft): boolean {
  const source = draft.doc.resource.source as JsonObject | null | undefined;
  const identity = source?.identity as JsonObject | null | undefined;
  return Boolean(identity?.guest);
}

/** Whether someone joining the meeting waits in its lobby (Teams "who can bypass the lobby"). */
export function waitsInLobby(meeting: Meeting, who: { guest: boolean; user?: User }): boolean {
  if (meeting.lobbyBypass === 'everyone') return false;
  if (who.guest || !who.user) return true;
  if (meeting.lobbyBypass === 'organizer')
    return who.user.id.toLowerCase() !== meeting.organizerId.toLowerCase();
  return who.user.tenantId.toLowerCase() !== meeting.tenantId.toLowerCase();
}

/** The join timer fired: the meeting's participants are there, the bot gets in (or into the lobby). */
export function botJoinsMeeting(draft: CallDraft, world: WorldIndex): DomainError | undefined {
  const meeting = meetingOf(draft, world);
  const bot = draft.bot;
  if (!meeting || !bot)
    return domainError(graphErrors.notFound('The meeting of this call no longer exists.'));
  const lobby = isGuestJoin(draft) && waitsInLobby(meeting, { guest: true });
  if (!lobby) {
    const r = draft.call({ type: 'farEndAnswered' }, { meetingId: meeting.id });
    if (isDomainError(r)) return r;
  }
  for (const userId of meeting.participants) {
    const user = world.user(userId);
    if (user) addMember(draft, user, false);
  }
  const joined = draft.participant(bot.machine.participant.id, { type: 'join', lobby });
  if (isDomainError(joined)) return joined;
  if (lobby) draft.note('bot.inLobby', { meetingId: meeting.id });
  return undefined;
}

/** A world user joins the call (meeting or group): in the lobby or straight in. */
export function addMember(draft: CallDraft, user: User, lobby: boolean): DomainError | string {
  const machine = createParticipant({
    info: userInfo(user),
    ids: draft.ids,
    mediaStreams: personStreams(draft.runtime.participants.length),
  });
  draft.addParticipant({ role: 'member', ref: user.id, machine });
  const joined = draft.participant(machine.participant.id, { type: 'join', lobby });
  return isDomainError(joined) ? joined : machine.participant.id;
}
