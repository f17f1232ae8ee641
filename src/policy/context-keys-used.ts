// The context keys a policy document refers to (GetContextKeysFor…Policy, the simulator's
// MissingContextValues): every Condition key, and every key a policy variable names in Resource,
// NotResource or a condition value (variables exist only under Version 2012-10-17).
import { isObject, parseJson, type JsonValue } from './json.js';
import { Template } from './variables.js';
import { normalizeKey } from './context-keys.js';

/** Keys in document order, each once (keys compare case-insensitively; the first spelling is kept). */
export function contextKeysUsed(text: string): string[] {
  const doc = parseJson(text, new WeakMap());
  if (!isObject(doc)) return [];
  const variables = doc.Version === '2012-10-17';
  const out = new KeyList();
  const fromValues = (v: JsonValue, wildcards: boolean) => {
    if (!variables) return;
    for (const s of Array.isArray(v) ? v : [v]) {
      if (typeof s === 'string') out.add(...Template.compile(s, true, wildcards).keys);
    }
  };
  const body = doc.Statement;
  for (const st of Array.isArray(body) ? body : [body]) {
    if (!isObject(st)) continue;
    for (const [field, value] of Object.entries(st)) {
      if (field === 'Resource' || field === 'NotResource') fromValues(value, true);
      else if (field === 'Condition' && isObject(value)) {
        for (const block of Object.values(value)) {
          if (!isObject(block)) continue;
          for (const [key, values] of Object.entries(block)) {
            out.add(key);
            fromValues(values, false);
          }
        }
      }
    }
  }
  return out.keys;
}

/** An insertion-ordered list of context keys without case-insensitive duplicates. */
export class KeyList {
  readonly keys: string[] = [];
  private readonly seen = new Set<string>();

  add(...keys: readonly string[]): void {
    for (const k of keys) {
      const n = normalizeKey(k);
      if (this.seen.has(n)) continue;
      this.seen.add(n);
      this.keys.push(k);
    }
  }

  has(key: string): boolean {
    return this.seen.has(normalizeKey(key));
  }
}
