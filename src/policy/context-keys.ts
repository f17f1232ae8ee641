// Condition keys are case-insensitive in AWS. Both the request-context builder and the evaluator go
// through normalizeKey, so a policy's `AWS:SourceIP` finds the builder's `aws:SourceIp`.
import type { ContextValues } from '../gateway/context.js';

export type ContextValue = ContextValues[string];

/** A context whose keys are already normalised (see normalizeContext). */
export type NormalizedContext = Readonly<Record<string, ContextValue>>;

export const normalizeKey = (key: string): string => key.toLowerCase();

const normalized = new WeakSet<object>();

/** Returns `ctx` with normalised keys; a context built here (or already normalised) is returned as is. */
export function normalizeContext(ctx: ContextValues): NormalizedContext {
  if (normalized.has(ctx)) return ctx;
  const out: Record<string, ContextValue> = Object.create(null);
  for (const k of Object.keys(ctx)) {
    const v = ctx[k];
    if (v !== undefined) out[normalizeKey(k)] = v;
  }
  normalized.add(out);
  return out;
}

/** Marks an object the caller built with normalised keys, so evaluation need not copy it. */
export function markNormalized(ctx: Record<string, ContextValue>): NormalizedContext {
  normalized.add(ctx);
  return ctx;
}

/** Text form of one context value, as conditions and variables compare it. */
export const valueText = (v: string | number | boolean): string => (typeof v === 'string' ? v : String(v));

/** A single-valued reading of a key (policy variables): undefined when absent or multivalued. */
export function singleValue(ctx: NormalizedContext, key: string): string | undefined {
  const v = ctx[key];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.length === 1 ? v[0] : undefined;
  return valueText(v as string | number | boolean);
}
