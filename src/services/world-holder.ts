import type { World } from '../world/world-schema.js';
import type { AnswerPolicy } from '../world/world-schema.js';
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

  /** Sets a world user's answer policy. Returns false for an unknown user. */
  setUserPolicy(userId: string, policy: AnswerPolicy): boolean {
    const user = this.#index.user(userId);
    if (!user) return false;
    const world = structuredClone(this.#index.world);
    const id = user.id;
    world.users = world.users.map((u) => (u.id === id ? { ...u, policy } : u));
    this.replace(world);
    return true;
  }

  /** Sets a phone number's answer policy; a number the world does not list is added. */
  setPhonePolicy(number: string, policy: AnswerPolicy): void {
    const world = structuredClone(this.#index.world);
    const known = world.phones.some((p) => p.number === number);
    world.phones = known
      ? world.phones.map((p) => (p.number === number ? { ...p, policy } : p))
      : [...world.phones, { number, policy }];
    this.replace(world);
  }
}
