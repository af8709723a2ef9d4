import type { CallRecord, CallState } from '../../src/domain/call-document.js';

export interface CallRecordOptions {
  id: string;
  revision?: number;
  appId?: string;
  tenantId?: string;
  state?: CallState;
  createdAt?: number;
  updatedAt?: number;
}

/** A CallRecord around a minimal CallDocument, for storage tests. */
export function makeCallRecord(opts: CallRecordOptions): CallRecord {
  const state = opts.state ?? 'establishing';
  const appId = opts.appId ?? 'app-1';
  const tenantId = opts.tenantId ?? 'tenant-1';
  const createdAt = opts.createdAt ?? 1_000;
  return {
    id: opts.id,
    revision: opts.revision ?? 1,
    appId,
    tenantId,
    state,
    createdAt,
    updatedAt: opts.updatedAt ?? createdAt,
    doc: {
      resource: {
        '@odata.type': '#microsoft.graph.call',
        id: opts.id,
        state,
        callbackUri: 'https://bot.example.com/callback',
        requestedModalities: ['audio'],
      },
      appId,
      tenantId,
      version: 'v1.0',
      scenario: 'peerToPeer',
      participants: [{ id: 'p-1', info: { identity: { user: { id: 'u-1', displayName: 'Ada' } } } }],
      extra: { note: 'ünïcødé ✓', nested: { n: 1.5, flag: true, nothing: null } },
    },
  };
}
