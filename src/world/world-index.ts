import type {
  AnswerPolicy,
  App,
  ApplicationInstance,
  Guest,
  Meeting,
  Phone,
  Tenant,
  User,
  World,
} from './world-schema.js';

function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(key(item))) map.set(key(item), item);
  return map;
}

const guid = (id: string): string => id.toLowerCase();
const chatKey = (threadId: string, messageId: string): string => JSON.stringify([threadId, messageId]);

/**
 * Constant-time lookups over a validated World (build it from validateWorld's result).
 * GUID keys (tenants, apps, users, guests, application instances) match case-insensitively;
 * phone numbers, meeting ids, thread ids and joinMeetingIds match exactly.
 * Lookups return the World's own objects: treat them as read-only.
 */
export class WorldIndex {
  readonly world: World;
  private readonly tenants: Map<string, Tenant>;
  private readonly apps: Map<string, App>;
  private readonly users: Map<string, User>;
  private readonly guests: Map<string, Guest>;
  private readonly instances: Map<string, ApplicationInstance>;
  private readonly instancesByPhone: Map<string, ApplicationInstance>;
  private readonly phones: Map<string, Phone>;
  private readonly meetings: Map<string, Meeting>;
  private readonly meetingsByChat: Map<string, Meeting>;
  private readonly meetingsByThread: Map<string, Meeting[]>;
  private readonly meetingsByJoinId: Map<string, Meeting>;

  constructor(world: World) {
    this.world = world;
    this.tenants = byKey(world.tenants, (t) => guid(t.id));
    this.apps = byKey(world.apps, (a) => guid(a.appId));
    this.users = byKey(world.users, (u) => guid(u.id));
    this.guests = byKey(world.guests, (g) => guid(g.id));
    this.instances = byKey(world.applicationInstances, (a) => guid(a.id));
    this.instancesByPhone = byKey(world.applicationInstances, (a) => a.phoneNumber);
    this.phones = byKey(world.phones, (p) => p.number);
    this.meetings = byKey(world.meetings, (m) => m.id);
    this.meetingsByChat = byKey(world.meetings, (m) => chatKey(m.chatInfo.threadId, m.chatInfo.messageId));
    this.meetingsByJoinId = byKey(
      world.meetings.filter((m) => m.joinMeetingId !== undefined),
      (m) => m.joinMeetingId ?? '',
    );
    this.meetingsByThread = new Map();
    for (const m of world.meetings) {
      const list = this.meetingsByThread.get(m.chatInfo.threadId) ?? [];
      list.push(m);
      this.meetingsByThread.set(m.chatInfo.threadId, list);
    }
  }

  tenant(id: string): Tenant | undefined {
    return this.tenants.get(guid(id));
  }

  app(appId: string): App | undefined {
    return this.apps.get(guid(appId));
  }

  user(id: string): User | undefined {
    return this.users.get(guid(id));
  }

  guest(id: string): Guest | undefined {
    return this.guests.get(guid(id));
  }

  applicationInstance(id: string): ApplicationInstance | undefined {
    return this.instances.get(guid(id));
  }

  /** The application instance that owns this phone number, if any. */
  applicationInstanceByPhone(number: string): ApplicationInstance | undefined {
    return this.instancesByPhone.get(number);
  }

  phone(number: string): Phone | undefined {
    return this.phones.get(number);
  }

  /** A meeting by its control-API id (not a Graph id). */
  meeting(id: string): Meeting | undefined {
    return this.meetings.get(id);
  }

  /**
   * The meeting whose chatInfo has exactly this threadId and messageId. When no pair matches,
   * a scheduled meeting is still found by its threadId alone if it is the only meeting on that
   * thread (a meeting chat belongs to one meeting, so clients may send any messageId there);
   * channel meetings share their channel's thread and always need the exact messageId.
   */
  meetingByChat(threadId: string, messageId: string): Meeting | undefined {
    const exact = this.meetingsByChat.get(chatKey(threadId, messageId));
    if (exact !== undefined) return exact;
    const onThread = this.meetingsByThread.get(threadId);
    if (onThread?.length === 1 && onThread[0]?.kind === 'scheduled') return onThread[0];
    return undefined;
  }

  meetingByJoinMeetingId(joinMeetingId: string): Meeting | undefined {
    return this.meetingsByJoinId.get(joinMeetingId);
  }

  /**
   * How this user reacts to a call: their own policy, else the world's defaultPolicy.
   * An unknown id also gets defaultPolicy; check user(id) first to tell whether the user exists.
   */
  policyForUser(id: string): AnswerPolicy {
    return this.user(id)?.policy ?? this.world.defaultPolicy;
  }

  /** How this PSTN number reacts to a call: its own policy, else defaultPolicy (also for unknown numbers). */
  policyForPhone(number: string): AnswerPolicy {
    return this.phone(number)?.policy ?? this.world.defaultPolicy;
  }

  /**
   * The resource-specific permissions the app holds on the chat with this threadId
   * (the union of its RSC grants for that chat, without repeats); empty for an unknown app.
   */
  rscPermissions(appId: string, threadId: string): string[] {
    const grants = this.app(appId)?.rsc ?? [];
    const permissions = new Set<string>();
    for (const grant of grants)
      if (grant.chatId === threadId) grant.permissions.forEach((p) => permissions.add(p));
    return [...permissions];
  }
}
