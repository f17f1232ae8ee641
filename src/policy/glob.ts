// Wildcard matching for `*` (any run) and `?` (one character) without backtracking: the pattern is cut at
// its stars into segments; the first is anchored at the start, the last at the end, and each middle one is
// taken at its leftmost occurrence (leftmost is always safe for glob). Segments holding `?` are searched
// with a bit-parallel scan (Shift-And), so `*?*?*?…` or `*a?a?a?…*` stay linear in the subject.

/** One run of the pattern between stars; `any[i]` marks a `?` at i (literal text may itself contain '?'). */
interface Segment {
  text: string;
  any: boolean[] | null;
  /** Shift-And tables for segments with `?` of at most 31 characters. */
  masks: Map<number, number> | null;
  wildMask: number;
}

export class Glob {
  private constructor(
    private readonly head: Segment | null,
    private readonly mids: Segment[],
    private readonly tail: Segment | null,
    private readonly star: boolean,
    /** The pattern text when it has no wildcard: matching is then one string comparison. */
    readonly exact: string | undefined,
  ) {
    this.prefixOnly = star && head !== null && !head.any && mids.length === 0 && tail === null;
    this.all = star && head === null && mids.length === 0 && tail === null;
  }

  private readonly prefixOnly: boolean;
  /** Only stars: matches everything. */
  readonly all: boolean;

  /** Builds a glob from parts: strings are literal text, `'*'`/`'?'` symbols are wildcards. */
  static from(parts: readonly (string | typeof STAR | typeof ONE)[]): Glob {
    const segs: { text: string; any: boolean[] }[] = [{ text: '', any: [] }];
    let star = false;
    for (const p of parts) {
      const cur = segs[segs.length - 1];
      if (p === STAR) {
        star = true;
        segs.push({ text: '', any: [] });
      } else if (p === ONE) {
        cur.text += '?';
        cur.any.push(true);
      } else {
        cur.text += p;
        for (let i = 0; i < p.length; i++) cur.any.push(false);
      }
    }
    const compiled = segs.map((s) => segment(s.text, s.any));
    if (!star) return new Glob(compiled[0], [], null, false, compiled[0].any ? undefined : compiled[0].text);
    const head = compiled[0].text ? compiled[0] : null;
    const last = compiled[compiled.length - 1];
    const tail = last.text ? last : null;
    const mids = compiled.slice(1, -1).filter((s) => s.text.length > 0);
    return new Glob(head, mids, tail, true, undefined);
  }

  test(s: string): boolean {
    if (this.exact !== undefined) return s === this.exact;
    const head = this.head;
    // `prefix*`, the commonest pattern (`s3:Get*`, `arn:aws:s3:::bucket/*`).
    if (this.prefixOnly) return s.lastIndexOf(head!.text, 0) === 0;
    if (this.all) return true;
    if (!this.star) return s.length === head!.text.length && at(head!, s, 0);
    let lo = 0;
    let hi = s.length;
    if (head) {
      if (hi < head.text.length || !(head.any ? at(head, s, 0) : s.lastIndexOf(head.text, 0) === 0)) return false;
      lo = head.text.length;
    }
    const tail = this.tail;
    if (tail) {
      if (hi - lo < tail.text.length || !(tail.any ? at(tail, s, hi - tail.text.length) : s.endsWith(tail.text))) return false;
      hi -= tail.text.length;
    }
    const mids = this.mids;
    for (let k = 0; k < mids.length; k++) {
      const end = find(mids[k], s, lo, hi);
      if (end < 0) return false;
      lo = end;
    }
    return true;
  }
}

export const STAR: unique symbol = Symbol('*');
export const ONE: unique symbol = Symbol('?');

const cache = new Map<string, Glob>();

/** Compiles a pattern where `*` and `?` are wildcards. Compiled globs are shared (they are immutable). */
export function compileGlob(pattern: string): Glob {
  let g = cache.get(pattern);
  if (!g) {
    g = Glob.from(splitWildcards(pattern));
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, g);
  }
  return g;
}

export function splitWildcards(pattern: string): (string | typeof STAR | typeof ONE)[] {
  const parts: (string | typeof STAR | typeof ONE)[] = [];
  let from = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' || c === '?') {
      if (i > from) parts.push(pattern.slice(from, i));
      parts.push(c === '*' ? STAR : ONE);
      from = i + 1;
    }
  }
  if (from < pattern.length) parts.push(pattern.slice(from));
  return parts;
}

function segment(text: string, any: boolean[]): Segment {
  const wild = any.includes(true);
  if (!wild || text.length > 31) return { text, any: wild ? any : null, masks: null, wildMask: 0 };
  const masks = new Map<number, number>();
  let wildMask = 0;
  for (let i = 0; i < text.length; i++) {
    if (any[i]) wildMask |= 1 << i;
  }
  for (let i = 0; i < text.length; i++) {
    if (any[i]) continue;
    const c = text.charCodeAt(i);
    masks.set(c, (masks.get(c) ?? wildMask) | (1 << i));
  }
  return { text, any, masks, wildMask };
}

/** Does `seg` match `s` at offset `i` (caller guarantees room)? */
function at(seg: Segment, s: string, i: number): boolean {
  if (!seg.any) return s.startsWith(seg.text, i);
  const t = seg.text;
  const any = seg.any;
  for (let k = 0; k < t.length; k++) {
    if (!any[k] && t.charCodeAt(k) !== s.charCodeAt(i + k)) return false;
  }
  return true;
}

/** Leftmost occurrence of `seg` inside s[lo, hi); returns the index just past it, or -1. */
function find(seg: Segment, s: string, lo: number, hi: number): number {
  const n = seg.text.length;
  if (!seg.any) {
    const i = s.indexOf(seg.text, lo);
    return i >= 0 && i + n <= hi ? i + n : -1;
  }
  const masks = seg.masks;
  if (masks) {
    const goal = 1 << (n - 1);
    const wild = seg.wildMask;
    let state = 0;
    for (let i = lo; i < hi; i++) {
      state = ((state << 1) | 1) & (masks.get(s.charCodeAt(i)) ?? wild);
      if (state & goal) return i + 1;
    }
    return -1;
  }
  for (let i = lo; i + n <= hi; i++) if (at(seg, s, i)) return i + n;
  return -1;
}
