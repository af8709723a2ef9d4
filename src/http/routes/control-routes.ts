import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Clock, ManualClock } from '../../domain/clock.js';
import { graphErrors } from '../../domain/graph-error.js';
import type { ControlService } from '../../services/control-service.js';
import { AnswerPolicySchema, type AnswerPolicy } from '../../world/world-schema.js';
import { graphErrorResponses } from '../schemas/error-envelope.js';
import {
  AddedParticipantSchema,
  AddParticipantBody,
  AdvanceBody,
  AdvanceResultSchema,
  CallIdParams,
  CallListSchema,
  ClockSchema,
  FarEndParams,
  NotificationListSchema,
  NotificationRowSchema,
  notificationRow,
  OutboxIdParams,
  ParticipantActionParams,
  ParticipantParams,
  PhonePolicyParams,
  SharingBody,
  StoredCallSchema,
  callSummary,
  storedCall,
  UserPolicyParams,
} from './control-schemas.js';

export interface ControlRoutesOptions {
  control: ControlService;
  clock: Clock;
  /** Present with `--clock manual`. */
  manualClock?: ManualClock;
  /** Runs every due timer (after the clock moved). */
  runTimers: () => Promise<number>;
  kickOutbox: () => void;
}

const errors = graphErrorResponses;

/** The control API under /_switchboard/: calls, notifications, simulated people, policies, clock. */
export const controlRoutes: FastifyPluginAsync<ControlRoutesOptions> = async (app, opts) => {
  const { control } = opts;

  app.get('/calls', { schema: { response: { 200: CallListSchema, ...errors } } }, async () => ({
    value: (await control.listCalls()).map(callSummary),
  }));

  app.get<{ Params: Static<typeof CallIdParams> }>(
    '/calls/:id',
    { schema: { params: CallIdParams, response: { 200: StoredCallSchema, ...errors } } },
    async (request) => storedCall(await control.getCall(request.params.id)),
  );

  app.get<{ Params: Static<typeof CallIdParams> }>(
    '/calls/:id/notifications',
    { schema: { params: CallIdParams, response: { 200: NotificationListSchema, ...errors } } },
    async (request) => ({
      value: (await control.notifications(request.params.id)).map((n) => notificationRow(n.row, n.attempts)),
    }),
  );

  app.post<{ Params: Static<typeof OutboxIdParams> }>(
    '/outbox/:id/replay',
    { schema: { params: OutboxIdParams, response: { 200: NotificationRowSchema, ...errors } } },
    async (request) => notificationRow(await control.replay(request.params.id), []),
  );

  app.post<{ Params: Static<typeof FarEndParams> }>(
    '/calls/:id/far-end/:action',
    { schema: { params: FarEndParams, response: { 200: StoredCallSchema, ...errors } } },
    async (request) => storedCall(await control.farEnd(request.params.id, request.params.action)),
  );

  app.post<{ Params: Static<typeof CallIdParams>; Body: Static<typeof AddParticipantBody> }>(
    '/calls/:id/participants',
    {
      schema: {
        params: CallIdParams,
        body: AddParticipantBody,
        response: { 201: AddedParticipantSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { participantId, record } = await control.addParticipant(request.params.id, request.body.userId);
      return reply.code(201).send({ participantId, call: storedCall(record) });
    },
  );

  app.delete<{ Params: Static<typeof ParticipantParams> }>(
    '/calls/:id/participants/:participantId',
    { schema: { params: ParticipantParams, response: { 200: StoredCallSchema, ...errors } } },
    async (request) =>
      storedCall(await control.removeParticipant(request.params.id, request.params.participantId)),
  );

  app.post<{ Params: Static<typeof ParticipantActionParams> }>(
    '/calls/:id/participants/:participantId/:action',
    { schema: { params: ParticipantActionParams, response: { 200: StoredCallSchema, ...errors } } },
    async (request) => {
      const { id, participantId, action } = request.params;
      return storedCall(await control.participantAction(id, participantId, action));
    },
  );

  app.post<{ Params: Static<typeof ParticipantParams>; Body: Static<typeof SharingBody> }>(
    '/calls/:id/participants/:participantId/sharing',
    {
      schema: {
        params: ParticipantParams,
        body: SharingBody,
        response: { 200: StoredCallSchema, ...errors },
      },
    },
    async (request) => {
      const { id, participantId } = request.params;
      return storedCall(await control.sharing(id, participantId, request.body.action));
    },
  );

  app.put<{ Params: Static<typeof UserPolicyParams>; Body: AnswerPolicy }>(
    '/policies/users/:id',
    {
      schema: {
        params: UserPolicyParams,
        body: AnswerPolicySchema,
        response: { 200: AnswerPolicySchema, ...errors },
      },
    },
    async (request) => control.setUserPolicy(request.params.id, request.body),
  );

  app.put<{ Params: Static<typeof PhonePolicyParams>; Body: AnswerPolicy }>(
    '/policies/phones/:number',
    {
      schema: {
        params: PhonePolicyParams,
        body: AnswerPolicySchema,
        response: { 200: AnswerPolicySchema, ...errors },
      },
    },
    async (request) => control.setPhonePolicy(request.params.number, request.body),
  );

  const clockView = () => {
    const now = opts.clock.now();
    return {
      mode: opts.manualClock ? ('manual' as const) : ('system' as const),
      now: new Date(now).toISOString(),
      epochMs: now,
    };
  };

  app.get('/clock', { schema: { response: { 200: ClockSchema, ...errors } } }, async () => clockView());

  app.post<{ Body: Static<typeof AdvanceBody> }>(
    '/clock/advance',
    { schema: { body: AdvanceBody, response: { 200: AdvanceResultSchema, ...errors } } },
    async (request) => {
      if (!opts.manualClock)
        throw graphErrors.conflict('The clock is the system clock; start with --clock manual to move it.');
      opts.manualClock.advance(request.body.ms);
      const timersRun = await opts.runTimers();
      opts.kickOutbox();
      return { ...clockView(), timersRun };
    },
  );
};
