import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A walker that checks a JSON value against the Graph communications types in
 * test/fixtures/graph-comms-schema.json (v1.0 from the CSDL, beta from the Kiota models).
 * Each error names its JSON path, e.g. `$.targets[0].identity.user.id: expected string`.
 */
export type SchemaVersion = 'v1.0' | 'beta';

export interface ValidateGraphValueOptions {
  version: SchemaVersion;
  /** 'call', 'graph.call', 'microsoft.graph.call', '#microsoft.graph.call' or 'Collection(graph.call)'. */
  type: string;
  value: unknown;
}

/** The absolute path of a file under test/fixtures, found by walking up from this module (src or dist). */
export function fixturePath(...segments: string[]): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'test', 'fixtures', 'graph-comms-schema.json'))) {
      return join(dir, 'test', 'fixtures', ...segments);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('test/fixtures not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

interface PropDef {
  type: string;
  nullable: boolean;
}
interface TypeDef {
  baseType: string | null;
  open: boolean;
  props: Map<string, PropDef>;
}
interface EnumDef {
  members: string[];
  flags: boolean;
}
interface Model {
  types: Map<string, TypeDef>;
  enums: Map<string, EnumDef>;
}

/** Type names are kept short: 'graph.call' -> 'call'. */
const short = (name: string | null | undefined): string | null =>
  name ? name.replace(/^graph\./, '') : null;
/** Property types whose target was not extracted: anything JSON goes. */
const UNTYPED = 'Edm.Untyped';
/**
 * Graph payloads spell operationStatus in lower case ("running", "completed") while the CSDL
 * members are PascalCase ("Running"), so that one enum is compared case-insensitively.
 */
const CASE_INSENSITIVE_ENUMS = new Set(['operationStatus']);

/* eslint-disable @typescript-eslint/no-explicit-any -- the vendored JSON is read untyped once, here. */
function buildModels(raw: any): Record<SchemaVersion, Model> {
  const v1: Model = { types: new Map(), enums: new Map() };
  for (const section of ['entityTypes', 'complexTypes']) {
    for (const [name, t] of Object.entries<any>(raw['v1.0'][section])) {
      const props = new Map<string, PropDef>();
      for (const p of t.properties) props.set(p.name, { type: p.type, nullable: p.nullable !== false });
      for (const p of t.navigationProperties ?? []) props.set(p.name, { type: p.type, nullable: true });
      v1.types.set(name, { baseType: short(t.baseType), open: t.openType === true, props });
    }
  }
  for (const [name, e] of Object.entries<any>(raw['v1.0'].enumTypes)) {
    v1.enums.set(name, { members: e.members.map((m: any) => m.name), flags: e.isFlags === true });
  }

  // beta records neither nullability (null is always allowed) nor openType (taken from the
  // v1.0 type of the same name); types it lacks (entity, commsNotification(s), ...) come from v1.0.
  const beta: Model = { types: new Map(), enums: new Map() };
  for (const [name, t] of Object.entries<any>(raw.beta.types)) {
    const props = new Map<string, PropDef>();
    for (const p of t.properties) {
      const type = String(p.type).includes('(TS number)') ? 'Edm.Double' : p.type;
      props.set(p.name, { type, nullable: true });
    }
    beta.types.set(name, { baseType: short(t.baseType), open: v1.types.get(name)?.open ?? false, props });
  }
  for (const [name, t] of Object.entries<any>(raw.betaTypeMappingsOnly)) {
    if (t.kind === 'enum') beta.enums.set(name, { members: t.members, flags: false });
    else if (!beta.types.has(name) && !v1.types.has(name)) {
      // Only the property names are known: the properties are untyped and the type stays open.
      const props = new Map<string, PropDef>(
        t.properties.map((p: string) => [p, { type: UNTYPED, nullable: true }]),
      );
      beta.types.set(name, {
        baseType: name.endsWith('Operation') ? 'commsOperation' : null,
        open: true,
        props,
      });
    }
  }
  for (const [name, t] of v1.types) {
    if (!beta.types.has(name)) {
      const props = new Map([...t.props].map(([k, p]) => [k, { ...p, nullable: true }]));
      beta.types.set(name, { ...t, props });
    }
  }
  for (const [name, members] of Object.entries<any>(raw.beta.enumTypes)) {
    beta.enums.set(name, { members, flags: v1.enums.get(name)?.flags ?? false });
  }
  return { 'v1.0': v1, beta };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

let models: Record<SchemaVersion, Model> | undefined;
function getModels(): Record<SchemaVersion, Model> {
  models ??= buildModels(JSON.parse(readFileSync(fixturePath('graph-comms-schema.json'), 'utf8')));
  return models;
}

/** 'call' | 'graph.call' | 'microsoft.graph.call' | '#microsoft.graph.call' -> 'call'; other namespaces -> null. */
function typeNameOf(ref: string): string | null {
  const m = /^#?(?:microsoft\.graph\.|graph\.)?([A-Za-z0-9_]+)$/.exec(ref);
  return m?.[1] ?? null;
}

/** 'Collection(graph.x)' -> 'graph.x'; anything else unchanged. */
const elementOf = (ref: string): string => /^Collection\((.+)\)$/.exec(ref)?.[1] ?? ref;

/** The properties of `name`, inherited ones included. */
function allProps(model: Model, name: string): Map<string, PropDef> {
  const chain: TypeDef[] = [];
  for (let t = model.types.get(name); t; t = t.baseType ? model.types.get(t.baseType) : undefined)
    chain.unshift(t);
  return new Map(chain.flatMap((t) => [...t.props]));
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isAnnotation = (key: string): boolean => /^[^@]*@odata\.[A-Za-z]+$/.test(key);

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DURATION = /^-?P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

/** The message for a primitive value of the wrong shape, or null when it fits. */
function checkPrimitive(edm: string, v: unknown): string | null {
  switch (edm) {
    case 'Edm.String':
      return typeof v === 'string' ? null : 'expected string';
    case 'Edm.Boolean':
      return typeof v === 'boolean' ? null : 'expected boolean';
    case 'Edm.Int32':
      if (!Number.isInteger(v)) return 'expected integer';
      return (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31 ? null : 'integer out of Int32 range';
    case 'Edm.Int64':
      return Number.isInteger(v) ? null : 'expected integer';
    case 'Edm.Double':
      return typeof v === 'number' && Number.isFinite(v) ? null : 'expected number';
    case 'Edm.Guid':
      return typeof v === 'string' && GUID.test(v) ? null : 'expected GUID string';
    case 'Edm.DateTimeOffset':
      return typeof v === 'string' && DATE_TIME.test(v) && !Number.isNaN(Date.parse(v))
        ? null
        : 'expected ISO 8601 date-time string';
    case 'Edm.Duration':
      return typeof v === 'string' && DURATION.test(v) ? null : 'expected ISO 8601 duration string';
    case 'Edm.Binary':
      return typeof v === 'string' && BASE64.test(v) ? null : 'expected base64 string';
    default:
      return null;
  }
}

class Walker {
  readonly errors: string[] = [];
  constructor(
    private readonly version: SchemaVersion,
    private readonly model: Model,
    /** The beta model, used on v1.0 to name beta-only properties. */
    private readonly betaModel: Model,
  ) {}

  private error(path: string, message: string): void {
    this.errors.push(`${path}: ${message}`);
  }

  /** Whether `name` is `ancestor` or derives from it. */
  derives(name: string, ancestor: string): boolean {
    for (let t: string | null = name; t; t = this.model.types.get(t)?.baseType ?? null) {
      if (t === ancestor) return true;
    }
    return false;
  }

  /** Checks `v` against a type reference such as 'Edm.String', 'graph.call' or 'Collection(graph.modality)'. */
  value(ref: string, v: unknown, path: string, nullable: boolean): void {
    if (v === null) {
      if (!nullable) this.error(path, 'null is not allowed');
      return;
    }
    if (elementOf(ref) !== ref) {
      if (!Array.isArray(v)) return this.error(path, 'expected array');
      v.forEach((item, i) => this.value(elementOf(ref), item, `${path}[${i}]`, false));
      return;
    }
    if (ref === UNTYPED) return this.json(v, path);
    if (ref.startsWith('Edm.')) {
      const message = checkPrimitive(ref, v);
      if (message) this.error(path, message);
      return;
    }
    const name = short(ref)!;
    const enumDef = this.model.enums.get(name);
    if (enumDef) return this.enumValue(name, enumDef, v, path);
    if (this.model.types.has(name)) return this.object(name, v, path);
    // A type the extract does not describe (e.g. callRecords types): any JSON value.
    this.json(v, path);
  }

  private enumValue(name: string, def: EnumDef, v: unknown, path: string): void {
    if (typeof v !== 'string') return this.error(path, `expected string (graph.${name} member)`);
    const fold = CASE_INSENSITIVE_ENUMS.has(name) ? (s: string) => s.toLowerCase() : (s: string) => s;
    const members = new Set(def.members.map(fold));
    const parts = def.flags ? v.split(',').map((s) => s.trim()) : [v];
    if (!parts.every((p) => members.has(fold(p))))
      this.error(path, `"${v}" is not a member of graph.${name}`);
  }

  /** An object of complex/entity type `declared`, or of the derived type its @odata.type names. */
  object(declared: string, v: unknown, path: string): void {
    if (!isObject(v)) return this.error(path, 'expected object');
    let name = declared;
    const odataType = v['@odata.type'];
    if (odataType !== undefined) {
      const named = typeof odataType === 'string' ? typeNameOf(odataType) : null;
      if (typeof odataType !== 'string') this.error(`${path}.@odata.type`, 'expected string');
      else if (!named || !this.model.types.has(named))
        this.error(`${path}.@odata.type`, `unknown type "${odataType}"`);
      else if (!this.derives(named, declared)) {
        this.error(`${path}.@odata.type`, `graph.${named} does not derive from graph.${declared}`);
      } else name = named;
    }
    const type = this.model.types.get(name)!;
    const props = allProps(this.model, name);
    const betaProps = this.version === 'v1.0' ? allProps(this.betaModel, name) : new Map<string, PropDef>();
    const identitySet = this.derives(name, 'identitySet');
    for (const [key, child] of Object.entries(v)) {
      if (isAnnotation(key)) continue;
      const at = `${path}.${key}`;
      const prop = props.get(key);
      if (prop) this.value(prop.type, child, at, prop.nullable);
      else if (betaProps.has(key)) this.error(at, `beta-only property of graph.${name}`);
      else if (!type.open) this.error(at, `unknown property of graph.${name}`);
      else if (identitySet) {
        // Extra members of an identity set (applicationInstance, guest, phone, ...) are identities.
        const known = allProps(this.model, 'communicationsIdentitySet').get(key);
        this.value(known?.type ?? 'graph.identity', child, at, true);
      } else this.json(child, at);
    }
  }

  /** A dynamic property: any JSON value; objects that name a known type with @odata.type are checked as it. */
  json(v: unknown, path: string): void {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) this.error(path, 'not a JSON value');
      return;
    }
    if (Array.isArray(v)) return v.forEach((item, i) => this.json(item, `${path}[${i}]`));
    const proto: unknown = isObject(v) ? Object.getPrototypeOf(v) : undefined;
    if (!isObject(v) || (proto !== Object.prototype && proto !== null))
      return this.error(path, 'not a JSON value');
    const named = typeof v['@odata.type'] === 'string' ? typeNameOf(v['@odata.type']) : null;
    if (named && this.model.types.has(named)) return this.object(named, v, path);
    for (const [key, child] of Object.entries(v)) this.json(child, `${path}.${key}`);
  }
}

function walker(version: SchemaVersion): Walker {
  const all = getModels();
  return new Walker(version, all[version], all.beta);
}

/** Validates `value` as `type`; returns one message per problem (empty = valid). */
export function validateGraphValue({ version, type, value }: ValidateGraphValueOptions): string[] {
  const collection = elementOf(type) !== type;
  const name = typeNameOf(elementOf(type));
  const model = getModels()[version];
  if (!name || (!model.types.has(name) && !model.enums.has(name))) return [`$: unknown type "${type}"`];
  const w = walker(version);
  w.value(collection ? `Collection(graph.${name})` : `graph.${name}`, value, '$', false);
  return w.errors;
}

/**
 * What an @odata.context describes: `#app/calls/$entity` and `#communications/calls/$entity` are a
 * call, `#communications/calls('id')/participants` a participant collection, `#microsoft.graph.x` an x.
 * Returns a type reference ('graph.call', 'Collection(graph.participant)') or null.
 */
export function typeFromOdataContext(version: SchemaVersion, context: string): string | null {
  const fragment = context.slice(context.indexOf('#') + 1);
  const cast = /^(Collection\()?#?microsoft\.graph\.([A-Za-z0-9_]+)\)?$/.exec(fragment);
  if (cast) return cast[1] ? `Collection(graph.${cast[2]})` : `graph.${cast[2]}`;
  const segments = fragment.split('/');
  const single = segments.at(-1) === '$entity';
  if (single) segments.pop();
  const [root, ...path] = segments;
  // `app` is the deprecated alias of `communications`.
  if ((root !== 'app' && root !== 'communications') || path.length === 0) return null;
  const model = getModels()[version];
  let ref = 'graph.cloudCommunications';
  for (const segment of path) {
    const m = /^([A-Za-z]+)(\(.*\))?$/.exec(segment);
    if (!m || elementOf(ref) !== ref) return null;
    const next = allProps(model, short(ref)!).get(m[1]!)?.type;
    if (!next) return null;
    ref = m[2] ? elementOf(next) : next;
  }
  return single ? elementOf(ref) : ref;
}

/**
 * Validates a response body: the type comes from `type` when given, else from its @odata.context.
 * A collection context expects `{ "@odata.context": ..., "value": [...] }`.
 */
export function validateGraphResponse(version: SchemaVersion, value: unknown, type?: string): string[] {
  if (type) return validateGraphValue({ version, type, value });
  const context = isObject(value) ? value['@odata.context'] : undefined;
  if (typeof context !== 'string') return ['$.@odata.context: missing; pass the type instead'];
  const ref = typeFromOdataContext(version, context);
  if (!ref) return [`$.@odata.context: cannot tell the resource type from "${context}"`];
  if (!ref.startsWith('Collection(')) return validateGraphValue({ version, type: ref, value });
  const errors: string[] = [];
  for (const key of Object.keys(value as object)) {
    if (key !== 'value' && !isAnnotation(key))
      errors.push(`$.${key}: unknown property of a collection response`);
  }
  const items = validateGraphValue({
    version,
    type: ref,
    value: (value as Record<string, unknown>).value ?? null,
  });
  return [...errors, ...items.map((e) => e.replace(/^\$/, '$.value'))];
}
