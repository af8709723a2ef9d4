import type { Json, JsonObject } from '../call-document.js';

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A copy of `value` without null-valued object properties, at every depth. Notifications leave
 * out what a stored resource keeps as null (the doc examples never show a null in them).
 */
export function withoutNulls<T extends Json>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => withoutNulls(item)) as T;
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (child !== null) out[key] = withoutNulls(child);
  }
  return out as T;
}
