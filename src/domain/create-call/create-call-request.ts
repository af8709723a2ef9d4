import { Type, type Static } from '@sinclair/typebox';

/**
 * The body of POST /communications/calls, as far as Switchboard validates its shape.
 * Semantic rules (which combinations are allowed) live in plan-create-call.ts.
 * Graph's identity and identitySet types are open, so unknown properties inside them pass;
 * the call itself accepts only the properties Graph defines.
 */

const ODataType = Type.Optional(Type.String());
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const IdentitySchema = Type.Object(
  {
    '@odata.type': ODataType,
    id: Type.Optional(NullableString),
    displayName: Type.Optional(NullableString),
    tenantId: Type.Optional(NullableString),
  },
  { additionalProperties: true },
);

export const IdentitySetSchema = Type.Object(
  {
    '@odata.type': ODataType,
    user: Type.Optional(Type.Union([IdentitySchema, Type.Null()])),
    application: Type.Optional(Type.Union([IdentitySchema, Type.Null()])),
    applicationInstance: Type.Optional(Type.Union([IdentitySchema, Type.Null()])),
    phone: Type.Optional(Type.Union([IdentitySchema, Type.Null()])),
    guest: Type.Optional(Type.Union([IdentitySchema, Type.Null()])),
    device: Type.Optional(Type.Union([IdentitySchema, Type.Null()])),
    encrypted: Type.Optional(Type.Union([IdentitySchema, Type.Null()])),
    onPremises: Type.Optional(Type.Union([IdentitySchema, Type.Null()])),
  },
  { additionalProperties: true },
);

export const ParticipantInfoSchema = Type.Object(
  {
    '@odata.type': ODataType,
    identity: IdentitySetSchema,
    countryCode: Type.Optional(NullableString),
    endpointType: Type.Optional(NullableString),
    region: Type.Optional(NullableString),
    languageId: Type.Optional(NullableString),
    participantId: Type.Optional(NullableString),
    platformId: Type.Optional(NullableString),
  },
  { additionalProperties: false },
);

export const InvitationParticipantInfoSchema = Type.Object(
  {
    '@odata.type': ODataType,
    identity: IdentitySetSchema,
    hidden: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    participantId: Type.Optional(NullableString),
    removeFromDefaultAudioRoutingGroup: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    replacesCallId: Type.Optional(NullableString),
    endpointType: Type.Optional(NullableString),
  },
  { additionalProperties: false },
);

export const MediaInfoSchema = Type.Object(
  { '@odata.type': ODataType, uri: Type.String(), resourceId: Type.Optional(NullableString) },
  { additionalProperties: false },
);

export const MediaConfigSchema = Type.Object(
  {
    '@odata.type': Type.String(),
    removeFromDefaultAudioGroup: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    preFetchMedia: Type.Optional(Type.Union([Type.Array(MediaInfoSchema), Type.Null()])),
    blob: Type.Optional(NullableString),
    liveCaptionOptions: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

export const ChatInfoSchema = Type.Object(
  {
    '@odata.type': ODataType,
    threadId: Type.Optional(NullableString),
    messageId: Type.Optional(NullableString),
    replyChainMessageId: Type.Optional(NullableString),
  },
  { additionalProperties: false },
);

export const MeetingInfoSchema = Type.Object(
  {
    '@odata.type': Type.String(),
    organizer: Type.Optional(IdentitySetSchema),
    allowConversationWithoutHost: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    joinMeetingId: Type.Optional(NullableString),
    passcode: Type.Optional(NullableString),
    token: Type.Optional(NullableString),
  },
  { additionalProperties: false },
);

export const CallOptionsSchema = Type.Object(
  {
    '@odata.type': ODataType,
    hideBotAfterEscalation: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    isContentSharingNotificationEnabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    isDeltaRosterEnabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    isInteractiveRosterEnabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  },
  { additionalProperties: false },
);

export const Modality = Type.Union([
  Type.Literal('audio'),
  Type.Literal('video'),
  Type.Literal('videoBasedScreenSharing'),
  Type.Literal('data'),
  Type.Literal('unknown'),
]);

export const CreateCallRequestSchema = Type.Object(
  {
    '@odata.type': ODataType,
    callbackUri: Type.String(),
    mediaConfig: MediaConfigSchema,
    source: Type.Optional(ParticipantInfoSchema),
    targets: Type.Optional(Type.Array(InvitationParticipantInfoSchema)),
    requestedModalities: Type.Optional(Type.Array(Modality)),
    subject: Type.Optional(NullableString),
    tenantId: Type.Optional(NullableString),
    direction: Type.Optional(Type.Literal('outgoing')),
    chatInfo: Type.Optional(ChatInfoSchema),
    meetingInfo: Type.Optional(MeetingInfoSchema),
    callOptions: Type.Optional(CallOptionsSchema),
    ringingTimeoutInSeconds: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    routingPolicies: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);

export type IdentitySetInput = Static<typeof IdentitySetSchema>;
export type CreateCallRequest = Static<typeof CreateCallRequestSchema>;
