import assert from 'node:assert/strict';
import { isDomainError, type DomainError } from '../../src/domain/effects.js';

/** Freezes a value and everything it holds, so a transition that mutates its input throws. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/** The transition of a result that must not be a DomainError; fails the test with its message otherwise. */
export function ok<T>(result: T | DomainError): T {
  if (isDomainError(result)) assert.fail(`unexpected error: ${result.error.message}`);
  return result;
}
