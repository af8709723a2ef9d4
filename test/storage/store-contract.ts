import { afterEach, beforeEach, describe } from 'node:test';
import type { Store } from '../../src/storage/store.js';
import { registerCallCases } from './contract/calls.js';
import { registerApplyCases } from './contract/apply.js';
import { registerOutboxCases } from './contract/outbox.js';
import { registerClaimCases } from './contract/claim.js';
import { registerReleaseLockCases } from './contract/release-locks.js';
import { registerTimerMetaResetCases } from './contract/timers-meta-reset.js';

/**
 * The shared Store contract. Every backend registers it with its own factory, e.g.
 * `runStoreContract('sqlite :memory:', async () => new SqliteStore({ file: ':memory:' }))`.
 * Each case gets a fresh, migrated store and closes it afterwards. Only the Store interface is used.
 */
export function runStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let current: Store | undefined;
    const store = (): Store => {
      if (!current) throw new Error('no store for this case');
      return current;
    };
    beforeEach(async () => {
      current = await makeStore();
      await current.migrate();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    registerCallCases(store);
    registerApplyCases(store);
    registerOutboxCases(store);
    registerClaimCases(store);
    registerReleaseLockCases(store);
    registerTimerMetaResetCases(store);
  });
}
