import { randomUUID } from 'node:crypto';

/** Id generation is injected so tests can make it deterministic. */
export interface IdGenerator {
  /** A lowercase RFC 4122 UUID string. */
  uuid(): string;
}

export const randomIds: IdGenerator = { uuid: () => randomUUID() };

/** Deterministic ids for tests: 00000000-0000-4000-8000-000000000001, ...002, ... */
export function sequentialIds(prefix = '00000000-0000-4000-8000-'): IdGenerator {
  let n = 0;
  return { uuid: () => prefix + (++n).toString(16).padStart(12, '0') };
}
