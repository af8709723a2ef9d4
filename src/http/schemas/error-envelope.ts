import { Type, type Static } from '@sinclair/typebox';

/** Graph's ODataError body. */
export const ErrorEnvelopeSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      target: Type.Optional(Type.String()),
      innerError: Type.Object({
        date: Type.String(),
        'request-id': Type.String(),
        'client-request-id': Type.String(),
      }),
    }),
  },
  { $id: 'GraphErrorEnvelope' },
);
export type ErrorEnvelope = Static<typeof ErrorEnvelopeSchema>;

/** Responses every Graph route may give besides its success. */
export const graphErrorResponses = {
  400: ErrorEnvelopeSchema,
  401: ErrorEnvelopeSchema,
  403: ErrorEnvelopeSchema,
  404: ErrorEnvelopeSchema,
  409: ErrorEnvelopeSchema,
  413: ErrorEnvelopeSchema,
  415: ErrorEnvelopeSchema,
  500: ErrorEnvelopeSchema,
} as const;
