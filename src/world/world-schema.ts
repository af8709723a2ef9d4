import { Type, type Static } from '@sinclair/typebox';

/**
 * The world: who exists, what each app may do, and how simulated people behave.
 * A world file is JSON in exactly this shape; see docs/world.md.
 */

const Guid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
});
const E164 = Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$' });

/** How a simulated person reacts when called or invited. */
export const AnswerPolicySchema = Type.Object(
  {
    action: Type.Union([
      Type.Literal('answer'),
      Type.Literal('decline'),
      Type.Literal('noAnswer'),
      Type.Literal('unreachable'),
    ]),
    /** Delay before answering or declining, in ms of the Switchboard clock. */
    afterMs: Type.Optional(Type.Integer({ minimum: 0 })),
    /** For answered calls: hang up by themselves after this many ms (absent: stay). */
    hangUpAfterMs: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const TenantSchema = Type.Object(
  { id: Guid, displayName: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);

export const RscGrantSchema = Type.Object(
  {
    /** The chat (meeting thread) the RSC grant is for, e.g. 19:meeting_...@thread.v2 */
    chatId: Type.String({ minLength: 1 }),
    permissions: Type.Array(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export const AppSchema = Type.Object(
  {
    appId: Guid,
    displayName: Type.String({ minLength: 1 }),
    /** Home tenant; tokens may be requested for any tenant in the world that consented. */
    tenantId: Guid,
    secret: Type.String({ minLength: 1 }),
    /** Granted application permissions (app roles), e.g. Calls.Initiate.All. */
    roles: Type.Array(Type.String({ minLength: 1 })),
    /** Resource-specific consent grants, e.g. Calls.JoinGroupCalls.Chat on one meeting chat. */
    rsc: Type.Optional(Type.Array(RscGrantSchema)),
  },
  { additionalProperties: false },
);

export const UserSchema = Type.Object(
  {
    id: Guid,
    displayName: Type.String({ minLength: 1 }),
    tenantId: Guid,
    policy: Type.Optional(AnswerPolicySchema),
  },
  { additionalProperties: false },
);

export const GuestSchema = Type.Object(
  { id: Guid, displayName: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);

export const ApplicationInstanceSchema = Type.Object(
  {
    id: Guid,
    displayName: Type.String({ minLength: 1 }),
    tenantId: Guid,
    phoneNumber: E164,
  },
  { additionalProperties: false },
);

export const PhoneSchema = Type.Object(
  { number: E164, policy: Type.Optional(AnswerPolicySchema) },
  { additionalProperties: false },
);

export const MeetingSchema = Type.Object(
  {
    /** An id for the control API; not a Graph id. */
    id: Type.String({ minLength: 1 }),
    kind: Type.Union([Type.Literal('scheduled'), Type.Literal('channel')]),
    subject: Type.Optional(Type.String()),
    tenantId: Guid,
    organizerId: Guid,
    chatInfo: Type.Object(
      {
        threadId: Type.String({ minLength: 1 }),
        messageId: Type.String({ minLength: 1 }),
        replyChainMessageId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      },
      { additionalProperties: false },
    ),
    joinMeetingId: Type.Optional(Type.String({ pattern: '^[0-9]{1,20}$' })),
    /** null or absent: the meeting has no passcode. */
    passcode: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
    /** Who bypasses the lobby (Teams "who can bypass the lobby"). */
    lobbyBypass: Type.Union([
      Type.Literal('everyone'),
      Type.Literal('organization'),
      Type.Literal('organizer'),
    ]),
    /** Users already in the meeting when the bot joins. */
    participants: Type.Array(Guid),
  },
  { additionalProperties: false },
);

export const WorldSchema = Type.Object(
  {
    tenants: Type.Array(TenantSchema, { minItems: 1 }),
    apps: Type.Array(AppSchema, { minItems: 1 }),
    users: Type.Array(UserSchema),
    guests: Type.Array(GuestSchema),
    applicationInstances: Type.Array(ApplicationInstanceSchema),
    phones: Type.Array(PhoneSchema),
    meetings: Type.Array(MeetingSchema),
    /** Policy for users and phones that have none of their own. */
    defaultPolicy: AnswerPolicySchema,
  },
  { additionalProperties: false },
);

export type AnswerPolicy = Static<typeof AnswerPolicySchema>;
export type Tenant = Static<typeof TenantSchema>;
export type App = Static<typeof AppSchema>;
export type User = Static<typeof UserSchema>;
export type Guest = Static<typeof GuestSchema>;
export type ApplicationInstance = Static<typeof ApplicationInstanceSchema>;
export type Phone = Static<typeof PhoneSchema>;
export type Meeting = Static<typeof MeetingSchema>;
export type World = Static<typeof WorldSchema>;
