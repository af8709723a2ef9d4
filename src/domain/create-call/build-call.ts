import type { App } from '../../world/world-schema.js';
import type { CallDocument, Json, JsonObject } from '../call-document.js';
import type { IdGenerator } from '../ids.js';
import type { CreateCallRequest } from './create-call-request.js';
import type { CreateCallPlan } from './plan-create-call.js';

export interface BuildCallInput {
  request: CreateCallRequest;
  plan: CreateCallPlan;
  app: App;
  version: 'v1.0' | 'beta';
  ids: IdGenerator;
}

const json = (value: unknown): Json => value as Json;

/**
 * Builds the stored call document for a new outgoing call, in the shape Graph's 201 shows:
 * state establishing, generated ids, the request echoed with Graph's defaults and nulls.
 */
export function buildCall(input: BuildCallInput): CallDocument {
  const { request, plan, app } = input;
  const id = input.ids.uuid();
  const isTwoParty = plan.scenario === 'peerToPeer' || plan.scenario === 'pstn';
  const meeting = plan.meeting;

  const chatInfo: Json = meeting
    ? {
        '@odata.type': '#microsoft.graph.chatInfo',
        threadId: meeting.chatInfo.threadId,
        messageId: meeting.chatInfo.messageId,
        replyChainMessageId: meeting.chatInfo.replyChainMessageId ?? null,
      }
    : null;

  const resource: CallDocument['resource'] = {
    '@odata.type': '#microsoft.graph.call',
    id,
    state: 'establishing',
    direction: 'outgoing',
    subject: request.subject ?? null,
    callbackUri: request.callbackUri,
    callChainId: input.ids.uuid(),
    callRoutes: [],
    source: buildSource(request, app, isTwoParty),
    targets: (request.targets ?? []).map((t) => ({
      '@odata.type': '#microsoft.graph.invitationParticipantInfo',
      identity: json(withType(t.identity, 'identitySet')),
      endpointType: t.endpointType ?? null,
      replacesCallId: t.replacesCallId ?? null,
    })),
    requestedModalities: json(request.requestedModalities ?? ['audio']),
    activeModalities: [],
    mediaConfig: json(request.mediaConfig),
    chatInfo,
    meetingInfo: request.meetingInfo ? json(request.meetingInfo) : null,
    callOptions: request.callOptions ? json(withType(request.callOptions, 'outgoingCallOptions')) : null,
    routingPolicies: json(request.routingPolicies ?? []),
    // Graph echoes the request's tenantId (seed examples 3-12); without one, the token's tenant.
    tenantId: request.tenantId ?? plan.tenantId,
    myParticipantId: input.ids.uuid(),
    terminationReason: null,
    ringingTimeoutInSeconds: request.ringingTimeoutInSeconds ?? null,
    mediaState: null,
    resultInfo: null,
    answeredBy: null,
    transcription: null,
    meetingCapability: null,
    toneInfo: null,
    incomingContext: null,
  };

  return {
    resource,
    appId: app.appId,
    tenantId: plan.tenantId,
    version: input.version,
    scenario: plan.scenario,
    participants: [],
    extra: {},
  };
}

function buildSource(request: CreateCallRequest, app: App, isTwoParty: boolean): JsonObject {
  const identity: JsonObject = request.source
    ? (json(withType(request.source.identity, 'identitySet')) as JsonObject)
    : {
        '@odata.type': '#microsoft.graph.identitySet',
        application: {
          '@odata.type': '#microsoft.graph.identity',
          displayName: app.displayName,
          id: app.appId,
        },
      };
  const source: JsonObject = { '@odata.type': '#microsoft.graph.participantInfo', identity };
  if (isTwoParty) {
    source.countryCode = request.source?.countryCode ?? null;
    source.endpointType = request.source?.endpointType ?? null;
  }
  source.region = request.source?.region ?? null;
  source.languageId = request.source?.languageId ?? null;
  return source;
}

/** Adds @odata.type where the request left it out. */
function withType<T extends object>(value: T, type: string): T {
  return { '@odata.type': `#microsoft.graph.${type}`, ...value };
}
