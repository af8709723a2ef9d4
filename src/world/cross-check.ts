import type { World } from './world-schema.js';
import { show } from './schema-problems.js';

/** Remembers the first path each key was seen at and reports later repeats. */
class UniqueKeys {
  private readonly firstPath = new Map<string, string>();

  constructor(
    private readonly what: string,
    private readonly problems: string[],
  ) {}

  add(key: string, path: string, shown: string = show(key)): void {
    const first = this.firstPath.get(key);
    if (first === undefined) this.firstPath.set(key, path);
    else this.problems.push(`${path}: duplicate ${this.what} ${shown} (already used at ${first})`);
  }
}

function checkUniqueness(world: World, problems: string[]): void {
  const tenants = new UniqueKeys('tenant id', problems);
  world.tenants.forEach((t, i) => tenants.add(t.id.toLowerCase(), `/tenants/${i}/id`, show(t.id)));

  const apps = new UniqueKeys('appId', problems);
  world.apps.forEach((a, i) => apps.add(a.appId.toLowerCase(), `/apps/${i}/appId`, show(a.appId)));

  const identities = new UniqueKeys('identity id', problems);
  world.users.forEach((u, i) => identities.add(u.id.toLowerCase(), `/users/${i}/id`, show(u.id)));
  world.guests.forEach((g, i) => identities.add(g.id.toLowerCase(), `/guests/${i}/id`, show(g.id)));
  world.applicationInstances.forEach((a, i) =>
    identities.add(a.id.toLowerCase(), `/applicationInstances/${i}/id`, show(a.id)),
  );

  const numbers = new UniqueKeys('phone number', problems);
  world.applicationInstances.forEach((a, i) =>
    numbers.add(a.phoneNumber, `/applicationInstances/${i}/phoneNumber`),
  );
  world.phones.forEach((p, i) => numbers.add(p.number, `/phones/${i}/number`));

  const meetingIds = new UniqueKeys('meeting id', problems);
  const chats = new UniqueKeys('chatInfo', problems);
  const joinIds = new UniqueKeys('joinMeetingId', problems);
  world.meetings.forEach((m, i) => {
    meetingIds.add(m.id, `/meetings/${i}/id`);
    const { threadId, messageId } = m.chatInfo;
    const shown = `threadId ${show(threadId)} with messageId ${show(messageId)}`;
    chats.add(JSON.stringify([threadId, messageId]), `/meetings/${i}/chatInfo`, shown);
    if (m.joinMeetingId !== undefined) joinIds.add(m.joinMeetingId, `/meetings/${i}/joinMeetingId`);
  });
}

function checkReferences(world: World, problems: string[]): void {
  const tenantIds = new Set(world.tenants.map((t) => t.id.toLowerCase()));
  const usersById = new Map(world.users.map((u) => [u.id.toLowerCase(), u]));
  const threadIds = new Set(world.meetings.map((m) => m.chatInfo.threadId));

  const tenantRef = (tenantId: string, path: string): void => {
    if (!tenantIds.has(tenantId.toLowerCase())) problems.push(`${path}: no tenant with id ${show(tenantId)}`);
  };

  world.apps.forEach((app, i) => {
    tenantRef(app.tenantId, `/apps/${i}/tenantId`);
    (app.rsc ?? []).forEach((grant, j) => {
      if (!threadIds.has(grant.chatId))
        problems.push(`/apps/${i}/rsc/${j}/chatId: no meeting with chatInfo.threadId ${show(grant.chatId)}`);
    });
  });
  world.users.forEach((u, i) => tenantRef(u.tenantId, `/users/${i}/tenantId`));
  world.applicationInstances.forEach((a, i) => tenantRef(a.tenantId, `/applicationInstances/${i}/tenantId`));

  world.meetings.forEach((m, i) => {
    const path = `/meetings/${i}`;
    tenantRef(m.tenantId, `${path}/tenantId`);
    const organizer = usersById.get(m.organizerId.toLowerCase());
    if (organizer === undefined) {
      problems.push(`${path}/organizerId: no user with id ${show(m.organizerId)}`);
    } else if (organizer.tenantId.toLowerCase() !== m.tenantId.toLowerCase()) {
      problems.push(
        `${path}/organizerId: organizer ${show(m.organizerId)} belongs to tenant ${show(organizer.tenantId)}, ` +
          `not to the meeting's tenant ${show(m.tenantId)}`,
      );
    }
    const seen = new Set<string>();
    m.participants.forEach((p, j) => {
      const key = p.toLowerCase();
      if (!usersById.has(key)) problems.push(`${path}/participants/${j}: no user with id ${show(p)}`);
      else if (seen.has(key)) problems.push(`${path}/participants/${j}: duplicate participant ${show(p)}`);
      seen.add(key);
    });
    if (m.passcode != null && m.joinMeetingId === undefined)
      problems.push(`${path}/passcode: a passcode needs a joinMeetingId to be entered with`);
  });
}

/**
 * Cross-reference checks on a world that already matches WorldSchema: unique ids,
 * numbers and meeting keys, and every reference resolving. GUIDs compare case-insensitively.
 * Returns one line per problem, each starting with the JSON path; empty when consistent.
 */
export function crossReferenceProblems(world: World): string[] {
  const problems: string[] = [];
  checkUniqueness(world, problems);
  checkReferences(world, problems);
  return problems;
}
