/**
 * A world that cannot be used: invalid JSON, a missing file, a value of the wrong shape
 * or a broken cross-reference. `problems` holds one line per problem, each naming the
 * JSON path (e.g. `/apps/0/appId`) and what is wrong; `message` is those lines, each
 * prefixed with the source (e.g. `world file ./w.json: /users/2/tenantId: no tenant ...`).
 */
export class WorldError extends Error {
  readonly source: string;
  readonly problems: readonly string[];

  constructor(options: { source: string; problems: readonly string[] }) {
    super(options.problems.map((p) => `${options.source}: ${p}`).join('\n'));
    this.name = 'WorldError';
    this.source = options.source;
    this.problems = [...options.problems];
  }
}
