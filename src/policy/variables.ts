// Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}` …). They exist only in
// Version 2012-10-17 documents; elsewhere `${…}` is plain text. Values are split at compile time so a
// decision only looks keys up and joins strings.
import { Glob, ONE, STAR, splitWildcards } from './glob.js';
import { normalizeKey, singleValue, type NormalizedContext } from './context-keys.js';

interface VarRef {
  /** Normalised context key. */
  key: string;
  fallback: string | undefined;
}

type Part = string | typeof STAR | typeof ONE | VarRef;

const VAR = /\$\{([^}]*)\}/g;
const REF = /^\s*([A-Za-z0-9:/._\-]+)\s*(?:,\s*'([^']*)'\s*)?$/;
const ESCAPED = new Map([['*', '*'], ['?', '?'], ['$', '$']]);

/** A policy string (Resource, or a condition value) ready to be matched. */
export class Template {
  /** Resolved glob of the last call, keyed by its resolved parts (the same caller asks again and again). */
  private lastKey: string | undefined;
  private lastGlob: Glob | undefined;

  private constructor(
    private readonly parts: readonly Part[] | null,
    /** The context keys its variables name, as written. */
    readonly keys: readonly string[],
    /** The value when it has no variables: as a glob (when wildcards apply) and as text. */
    readonly glob: Glob | undefined,
    readonly text: string | undefined,
  ) {}

  /**
   * `variables`: the document is Version 2012-10-17. `wildcards`: `*`/`?` in the literal text are
   * wildcards (Resource, StringLike, Arn*); text produced by a variable is always literal.
   */
  static compile(source: string, variables: boolean, wildcards: boolean): Template {
    const parts: Part[] = [];
    const keys: string[] = [];
    const literal = (s: string) => {
      if (!s) return;
      if (wildcards) parts.push(...splitWildcards(s));
      else parts.push(s);
    };
    let from = 0;
    if (variables) {
      for (const m of source.matchAll(VAR)) {
        const body = m[1];
        const esc = ESCAPED.get(body);
        const ref = esc === undefined ? REF.exec(body) : null;
        if (esc === undefined && !ref) continue;
        literal(source.slice(from, m.index));
        if (esc !== undefined) parts.push(esc);
        else {
          parts.push({ key: normalizeKey(ref![1]), fallback: ref![2] });
          keys.push(ref![1]);
        }
        from = m.index! + m[0].length;
      }
    }
    literal(source.slice(from));
    if (keys.length > 0) return new Template(parts, keys, undefined, undefined);
    const plain = parts as (string | typeof STAR | typeof ONE)[];
    const text = plain.map((p) => (p === STAR ? '*' : p === ONE ? '?' : p)).join('');
    return new Template(null, [], wildcards ? Glob.from(plain) : undefined, text);
  }

  get hasVariables(): boolean {
    return this.parts !== null;
  }

  /** The text with variables filled in; undefined when one has no value and no default. */
  resolveText(ctx: NormalizedContext): string | undefined {
    if (this.parts === null) return this.text;
    let out = '';
    for (const p of this.parts) {
      if (typeof p === 'string') out += p;
      else if (typeof p === 'symbol') out += p === STAR ? '*' : '?';
      else {
        const v = singleValue(ctx, p.key) ?? p.fallback;
        if (v === undefined) return undefined;
        out += v;
      }
    }
    return out;
  }

  /** Literal text every match starts with (before the first variable or wildcard): a cheap pre-check. */
  get prefix(): string {
    const first = this.parts?.[0];
    return typeof first === 'string' ? first : '';
  }

  /** The glob with variables filled in (their text literal); undefined when one has no value. */
  resolveGlob(ctx: NormalizedContext): Glob | undefined {
    if (this.parts === null) return this.glob;
    let key = '';
    for (const p of this.parts) {
      if (typeof p === 'object') {
        const v = singleValue(ctx, p.key) ?? p.fallback;
        if (v === undefined) return undefined;
        key += `${v.length}:${v}`;
      }
    }
    if (key === this.lastKey) return this.lastGlob;
    const parts: (string | typeof STAR | typeof ONE)[] = [];
    for (const p of this.parts) parts.push(typeof p === 'object' ? (singleValue(ctx, p.key) ?? p.fallback)! : p);
    this.lastKey = key;
    this.lastGlob = Glob.from(parts);
    return this.lastGlob;
  }
}
