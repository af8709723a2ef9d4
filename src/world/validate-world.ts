import { crossReferenceProblems } from './cross-check.js';
import { schemaProblems } from './schema-problems.js';
import { WorldError } from './world-error.js';
import type { World } from './world-schema.js';

export { WorldError } from './world-error.js';

/**
 * Validates `input` against WorldSchema, then checks its cross-references (see
 * crossReferenceProblems). `source` names where the input came from and prefixes every
 * line of the error message, e.g. `world file ./w.json`.
 * Returns a deep copy typed as World; throws WorldError listing every problem.
 */
export function validateWorld(input: unknown, source: string): World {
  const shapeProblems = schemaProblems(input);
  if (shapeProblems.length > 0) throw new WorldError({ source, problems: shapeProblems });
  const world = structuredClone(input) as World;
  const refProblems = crossReferenceProblems(world);
  if (refProblems.length > 0) throw new WorldError({ source, problems: refProblems });
  return world;
}
