/**
 * Every resultInfo {code, subcode, message} Switchboard puts on a call or operation.
 *
 * Sources (each entry names one):
 * - [delete-table]  "Call end reason codes" table on the Graph "Delete call" page
 *   (microsoft-graph-docs-contrib api-reference/v1.0/api/call-delete.md). Messages are
 *   copied from its "Termination reason" column.
 * - [delete-example] the terminated notification example on that same page.
 * - [transfer-doc]  the notification examples on the Graph "call: transfer" page.
 * - [ops-doc]       operation notification examples (playPrompt, recordResponse,
 *   cancelMediaProcessing) summarised in /work/shared/reference/graph-calls-api.md §1.
 * - [switchboard]   NOT documented by Microsoft: Switchboard's own choice, used where Graph
 *   publishes no code for an outcome. Listed in docs/call-states.md.
 */

/** Graph's resultInfo resource: code is HTTP-like, subcode says why. */
export interface ResultInfo {
  code: number;
  subcode: number;
  message: string;
}

const codes = {
  // Call ended by someone or something.
  /** [delete-example] the notification after DELETE /calls/{id}. */
  botHangUp: { code: 200, subcode: 5001, message: 'The conversation has ended.' },
  /** [delete-table] 200/7000. */
  endedByBot: { code: 200, subcode: 7000, message: 'The conversation has ended by bot.' },
  /** [delete-table] 200/4097: default for a far-end hang-up. */
  farEndHangUp: { code: 200, subcode: 4097, message: 'Call ended by the other participant in the call.' },
  /** [delete-table] 200/4521. */
  farEndHangUpPeerToPeer: {
    code: 200,
    subcode: 4521,
    message: 'Call ended by the other participant in peer-to-peer call.',
  },
  /** [delete-table] 200/18503. */
  peerLeft: {
    code: 200,
    subcode: 18503,
    message: 'The other participant in the peer-to-peer call left the conversation.',
  },
  /** [delete-table] 200/5000. */
  removedByParticipant: {
    code: 200,
    subcode: 5000,
    message: 'Removed from the conversation by another participant.',
  },
  /** [delete-table] 200/5002. */
  allOthersLeft: {
    code: 200,
    subcode: 5002,
    message: 'The conversation has ended as all other participants have left the call.',
  },
  /** [delete-table] 200/5855. */
  lobbyInactivityTimeout: {
    code: 200,
    subcode: 5855,
    message: 'Participant waiting in lobby was removed from the conversation after lobby inactivity timeout.',
  },
  /** [delete-table] 200/540000. */
  pstnUserHungUp: { code: 200, subcode: 540000, message: 'Call ended by the PSTN User.' },

  // Timeouts.
  /** [delete-table] 408/8537: no keepAlive within 45 minutes. */
  keepAliveExpired: { code: 408, subcode: 8537, message: 'Keep Alive timeout, cleaned up inactive call.' },
  /** [delete-table] 408/1106: used when the bot does not answer an incoming call within 15 s. */
  incomingTimeout: {
    code: 408,
    subcode: 1106,
    message: 'An acknowledgement was not received for the call acceptance in the allotted time.',
  },
  /** [delete-table] 408/10057: used for an outgoing call nobody answers before the ring timeout. */
  noAnswer: {
    code: 408,
    subcode: 10057,
    message: 'Call timed out due to no signaling from callee endpoints.',
  },

  // The far end cannot be reached.
  /** [delete-table] 480/10037: default for an unreachable target. */
  unreachable: { code: 480, subcode: 10037, message: 'No callee endpoints were found.' },
  /** [delete-table] 480/10076. */
  calleeNotReached: { code: 480, subcode: 10076, message: 'Callee could not be reached.' },
  /** [delete-table] 480/10134. */
  cannotRoute: { code: 480, subcode: 10134, message: 'Call rejected due to inability to route the call.' },
  /**
   * [switchboard] the far end declines or is busy. Graph documents no code for this; SIP's
   * 486 "Busy Here" is used with subcode 0.
   */
  busy: { code: 486, subcode: 0, message: 'The callee is busy.' },

  // Media.
  /** [delete-table] 410/301005. */
  mediaConnectivityFailure: { code: 410, subcode: 301005, message: 'Media connectivity failure.' },
  /** [delete-table] 500/1005. */
  botMediaUnreachable: {
    code: 500,
    subcode: 1005,
    message:
      "Server encountered connectivity error with Bot's media. Please check media connectivity between Bot and Microsoft.",
  },

  // Transfer.
  /** [transfer-doc] the deleted notification once a transfer completes. */
  transferCompleted: { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' },
  /** [transfer-doc] 500/7000 (the doc shows "<message>"; the text is [switchboard]). */
  transferFailed: { code: 500, subcode: 7000, message: 'The transfer failed.' },
  /** [transfer-doc] 500/7700, consultative transfer (message text is [switchboard]). */
  consultativeTransferFailed: { code: 500, subcode: 7700, message: 'The consultative transfer failed.' },

  // Operations.
  /** [ops-doc] playPrompt completed. */
  actionCompleted: { code: 200, subcode: 0, message: 'Action completed successfully.' },
  /** [ops-doc] record: maximum duration reached. */
  maxRecordDurationReached: { code: 200, subcode: 8515, message: 'max record duration reached' },
  /** [ops-doc] an operation cancelled by cancelMediaProcessing. */
  operationCancelled: { code: 400, subcode: 8508, message: 'operation was cancelled' },
} as const satisfies Record<string, ResultInfo>;

export type ResultCodeName = keyof typeof codes;

/** A fresh copy of a catalogue entry (safe to store in a document). */
export function resultInfo(name: ResultCodeName): ResultInfo {
  const { code, subcode, message } = codes[name];
  return { code, subcode, message };
}
