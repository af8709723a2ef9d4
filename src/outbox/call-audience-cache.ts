import type { Store } from '../storage/store.js';
import type { CallAudience } from './deliver-row.js';

/**
 * Who a call's notifications are signed for (app, tenant, chain id) never changes, so the
 * dispatcher looks each call up once (`Store.getCallOwner`, which does not load the document).
 * Bounded: the oldest entry goes first.
 */
export function cachedCallLookup(
  store: Pick<Store, 'getCallOwner'>,
  max = 10_000,
): (callId: string) => Promise<CallAudience | undefined> {
  const cache = new Map<string, CallAudience>();
  return async (callId) => {
    const hit = cache.get(callId);
    if (hit) return hit;
    const owner = await store.getCallOwner(callId);
    if (!owner) return undefined;
    const identity: CallAudience = {
      appId: owner.appId,
      tenantId: owner.tenantId,
      ...(owner.callChainId !== null ? { callChainId: owner.callChainId } : {}),
    };
    if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    cache.set(callId, identity);
    return identity;
  };
}
