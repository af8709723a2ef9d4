import { readFile } from 'node:fs/promises';
import { validateWorld } from './validate-world.js';
import { WorldError } from './world-error.js';
import type { World } from './world-schema.js';

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads a world file (UTF-8 JSON, optionally starting with a byte-order mark) and validates it.
 * Every failure, including a missing file or a JSON syntax error, throws WorldError whose
 * source is `world file <path>`.
 */
export async function loadWorldFile(path: string): Promise<World> {
  const source = `world file ${path}`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new WorldError({ source, problems: [`cannot read: ${reason(error)}`] });
  }
  let input: unknown;
  try {
    input = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new WorldError({ source, problems: [`invalid JSON: ${reason(error)}`] });
  }
  return validateWorld(input, source);
}
