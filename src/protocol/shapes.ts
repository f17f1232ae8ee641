import type { ServiceModel, Shape, MemberRef } from './model.js';

/** Scalar and aggregate kinds a codec distinguishes (Smithy `enum` folds into string, `intEnum` into integer). */
export type Kind =
  | 'structure' | 'union' | 'list' | 'map' | 'string' | 'blob' | 'boolean' | 'timestamp' | 'document'
  | 'byte' | 'short' | 'integer' | 'long' | 'float' | 'double' | 'bigInteger' | 'bigDecimal';

/** A shape resolved once per model: its wire kind, its own traits and its members in model order. */
export interface CShape {
  readonly id: string;
  readonly kind: Kind;
  readonly traits: Record<string, any>;
  /** Structure/union members. */
  readonly members: CMember[];
  readonly memberByName: Map<string, CMember>;
  /** List member; map key and value. */
  readonly member?: CMember;
  readonly key?: CMember;
  readonly value?: CMember;
  /** Allowed values of an enum (enum shapes and the `smithy.api#enum` trait). */
  readonly enumValues?: string[];
}

export interface CMember {
  readonly name: string;
  readonly target: string;
  /** Member traits over target traits (the member's own win): constraints, timestampFormat, sensitive… */
  readonly traits: Record<string, any>;
  /** The member's own traits only: naming traits (xmlName, jsonName, xmlFlattened) never come from the target. */
  readonly own: Record<string, any>;
  readonly shape: CShape;
}

/**
 * Deepest nesting of shapes a codec follows. Walks are driven by the shape, so only recursive shapes can
 * reach it; input that would go deeper is refused instead of recursing without bound.
 */
export const MAX_DEPTH = 48;

const INTEGRAL: ReadonlySet<Kind> = new Set(['byte', 'short', 'integer', 'long', 'bigInteger']);
const NUMERIC: ReadonlySet<Kind> = new Set([...INTEGRAL, 'float', 'double', 'bigDecimal']);
export const isIntegral = (k: Kind) => INTEGRAL.has(k);
export const isNumeric = (k: Kind) => NUMERIC.has(k);

/** Inclusive bounds of the integral kinds (long and bigInteger limited to what a JS number holds exactly). */
export const INT_BOUNDS: Partial<Record<Kind, [number, number]>> = {
  byte: [-128, 127], short: [-32768, 32767], integer: [-2147483648, 2147483647],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER], bigInteger: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Compiled shapes of one model; built lazily so a model only pays for the shapes its requests touch. */
export class ShapeIndex {
  private readonly cache = new Map<string, CShape>();
  private readonly errors = new Map<string, CShape | undefined>();

  constructor(readonly model: ServiceModel) {}

  get(id: string): CShape {
    let s = this.cache.get(id);
    if (!s) s = this.compile(id);
    return s;
  }

  /** The modeled error shape for a wire code (shape name or its awsQueryError code), memoised. */
  errorShape(code: string): CShape | undefined {
    if (!this.errors.has(code)) {
      const id = this.model.errorShape(code);
      this.errors.set(code, id ? this.get(id) : undefined);
    }
    return this.errors.get(code);
  }

  private compile(id: string): CShape {
    const raw: Shape = this.model.shape(id);
    const kind = kindOf(raw.type, id);
    const members: CMember[] = [];
    const memberByName = new Map<string, CMember>();
    const enumValues = raw.type === 'enum'
      ? Object.entries(raw.members ?? {}).map(([n, m]) => String(m.traits?.['smithy.api#enumValue'] ?? n))
      : raw.traits?.['smithy.api#enum']?.map((e: { value: string }) => e.value);
    const shape: CShape = { id, kind, traits: raw.traits ?? {}, members, memberByName, enumValues };
    // Registered before members resolve, so recursive shapes refer back to this object.
    this.cache.set(id, shape);
    if (kind === 'structure' || kind === 'union') {
      for (const [name, ref] of Object.entries(raw.members ?? {})) {
        const m = this.member(name, ref);
        members.push(m);
        memberByName.set(name, m);
      }
    } else if (kind === 'list') {
      (shape as { member?: CMember }).member = this.member('member', raw.member!);
    } else if (kind === 'map') {
      (shape as { key?: CMember }).key = this.member('key', raw.key!);
      (shape as { value?: CMember }).value = this.member('value', raw.value!);
    }
    return shape;
  }

  private member(name: string, ref: MemberRef): CMember {
    const index = this;
    let resolved: CShape | undefined;
    const target = this.model.shape(ref.target);
    return {
      name,
      target: ref.target,
      traits: { ...(target.traits ?? {}), ...(ref.traits ?? {}) },
      own: ref.traits ?? {},
      // Lazy: a recursive shape's member would otherwise resolve before its owner finished compiling.
      get shape() { return (resolved ??= index.get(ref.target)); },
    };
  }
}

function kindOf(type: string, id: string): Kind {
  switch (type) {
    case 'enum': return 'string';
    case 'intEnum': return 'integer';
    case 'set': return 'list';
    case 'structure': case 'union': case 'list': case 'map': case 'string': case 'blob': case 'boolean':
    case 'timestamp': case 'document': case 'byte': case 'short': case 'integer': case 'long': case 'float':
    case 'double': case 'bigInteger': case 'bigDecimal':
      return type;
    default: throw new Error(`shape ${id}: type ${type} has no wire form`);
  }
}

const indexes = new WeakMap<ServiceModel, ShapeIndex>();

/** The compiled shapes of a model (one index per model, shared by every codec). */
export function shapesOf(model: ServiceModel): ShapeIndex {
  let i = indexes.get(model);
  if (!i) indexes.set(model, (i = new ShapeIndex(model)));
  return i;
}

/** The structure used when an operation declares no input or output. */
export const EMPTY_STRUCTURE: CShape = {
  id: 'smithy.api#Unit', kind: 'structure', traits: {}, members: [], memberByName: new Map(),
};

export function ioShape(model: ServiceModel, id: string | undefined): CShape {
  return id ? shapesOf(model).get(id) : EMPTY_STRUCTURE;
}

/** Sets a key on a plain object without invoking the `__proto__` setter (map keys come from the wire). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export const lowerFirst = (s: string) => (s ? s[0].toLowerCase() + s.slice(1) : s);
