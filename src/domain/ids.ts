import { randomUUID } from 'node:crypto';

/** Id generation is injected so tests can make it deterministic. */
export interface IdGenerator {
  /** A lowercase UUID string (RFC 9562 layout). */
  uuid(): string;
}

/**
 * UUID version 7 (RFC 9562): 48 bits of Unix time in ms, then the version, variant and random
 * bits of a v4 UUID. Still an opaque GUID to a bot, but ids made around the same time sort
 * together, so each SQLite index keyed by them (calls, outbox rows, attempts, timers) grows at
 * its end instead of dirtying a random page per insert.
 */
export function uuidV7(now: number = Date.now()): string {
  const time = Math.max(0, Math.trunc(now)).toString(16).padStart(12, '0').slice(-12);
  // randomUUID() is 8-4-4-4-12 hex digits with the version digit (4) at index 14: keep what follows it.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
}

/** Time-ordered random ids (uuidV7): the default. */
export const timeOrderedIds: IdGenerator = { uuid: () => uuidV7() };

/** Deterministic ids for tests: 00000000-0000-4000-8000-000000000001, ...002, ... */
export function sequentialIds(prefix = '00000000-0000-4000-8000-'): IdGenerator {
  let n = 0;
  return { uuid: () => prefix + (++n).toString(16).padStart(12, '0') };
}
