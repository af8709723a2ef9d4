import type { World } from '../world/world-schema.js';
import { WorldIndex } from '../world/world-index.js';

/** The world currently in effect; replaced as a whole when the world changes at run time. */
export class WorldHolder {
  #index: WorldIndex;
  constructor(world: World) {
    this.#index = new WorldIndex(world);
  }
  get index(): WorldIndex {
    return this.#index;
  }
  replace(world: World): void {
    this.#index = new WorldIndex(world);
  }
}
