import { Type } from '@sinclair/typebox';

/**
 * The call resource as sent on the wire. Only these properties leave the server (the
 * serializer drops anything else); nested Graph types are passed through as stored.
 */
const Any = Type.Optional(Type.Unknown());

export const CallResponseSchema = Type.Object(
  {
    '@odata.context': Type.Optional(Type.String()),
    '@odata.type': Type.String(),
    id: Type.String(),
    state: Type.String(),
    direction: Any,
    subject: Any,
    callbackUri: Type.String(),
    callChainId: Any,
    callRoutes: Any,
    source: Any,
    targets: Any,
    requestedModalities: Any,
    activeModalities: Any,
    mediaConfig: Any,
    chatInfo: Any,
    meetingInfo: Any,
    callOptions: Any,
    routingPolicies: Any,
    tenantId: Any,
    myParticipantId: Any,
    terminationReason: Any,
    ringingTimeoutInSeconds: Any,
    mediaState: Any,
    resultInfo: Any,
    answeredBy: Any,
    transcription: Any,
    meetingCapability: Any,
    toneInfo: Any,
    incomingContext: Any,
  },
  { additionalProperties: false },
);
