import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long a test waits for something that happens on its own (a delivery, a line printed by a
 * child process) before it gives up. Generous on purpose: on a loaded 2-core machine a step that
 * takes milliseconds can take seconds, and a wait that gives up too early fails a correct test.
 */
export const WAIT_MS = 20_000;

/**
 * Polls `probe` until it returns something other than undefined and resolves with that value;
 * rejects after `timeoutMs` (default WAIT_MS) with `label` and what `describe` gives then.
 */
export async function until<T>(
  label: string,
  probe: () => Promise<T | undefined> | T | undefined,
  opts: { timeoutMs?: number; intervalMs?: number; describe?: () => Promise<unknown> | unknown } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? WAIT_MS);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const seen = opts.describe ? ` ${JSON.stringify(await opts.describe(), null, 1)}` : '';
      throw new Error(`timed out waiting for ${label}${seen}`);
    }
    await sleep(opts.intervalMs ?? 15);
  }
}
