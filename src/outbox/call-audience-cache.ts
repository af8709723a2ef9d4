import type { Store } from '../storage/store.js';
import type { CallAudience } from './deliver-row.js';

/**
 * Who a call's notifications are signed for (app, tenant, chain id) never changes, so the
 * dispatcher looks each call up once instead of loading its whole document per delivery.
 * Bounded: the oldest entry goes first.
 */
export function cachedCallLookup(
  store: Pick<Store, 'getCall'>,
  max = 10_000,
): (callId: string) => Promise<CallAudience | undefined> {
  const cache = new Map<string, CallAudience>();
  return async (callId) => {
    const hit = cache.get(callId);
    if (hit) return hit;
    const call = await store.getCall(callId);
    if (!call) return undefined;
    const chain = call.doc.resource.callChainId;
    const identity: CallAudience = {
      appId: call.appId,
      tenantId: call.tenantId,
      ...(typeof chain === 'string' ? { callChainId: chain } : {}),
    };
    if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    cache.set(callId, identity);
    return identity;
  };
}
