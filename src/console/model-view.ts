import { loadModel, type MemberRef, type Shape } from '../protocol/model.js';

/** The services the console page may call, by the model file each speaks. */
export const CONSOLE_SERVICES = ['iam', 'sts', 's3', 'kms', 'personalize', 'personalize-runtime', 'personalize-events'] as const;

/** Traits the page's serializers read; the rest of a model stays on the server. */
const KEPT_TRAITS = [
  'smithy.api#httpLabel', 'smithy.api#httpQuery', 'smithy.api#httpHeader', 'smithy.api#httpPayload', 'smithy.api#httpResponseCode',
  'smithy.api#xmlName', 'smithy.api#xmlFlattened', 'smithy.api#jsonName', 'smithy.api#streaming',
];

function keep(traits: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!traits) return undefined;
  const out: Record<string, unknown> = {};
  for (const t of KEPT_TRAITS) if (t in traits) out[t.slice(t.indexOf('#') + 1)] = traits[t];
  return Object.keys(out).length ? out : undefined;
}

const ref = (m: MemberRef) => ({ target: m.target, traits: keep(m.traits) });

const cache = new Map<string, string>();

/**
 * A service's model cut down to what the page needs to speak its protocol: operations with their
 * HTTP bindings, and the shapes reachable from their inputs and outputs (types, members, binding traits).
 */
export function modelView(name: (typeof CONSOLE_SERVICES)[number]): string {
  const hit = cache.get(name);
  if (hit) return hit;
  const model = loadModel(name);
  const shapes: Record<string, unknown> = {};
  const visit = (id: string | undefined) => {
    if (!id || id in shapes) return;
    const s: Shape = model.shape(id);
    const view: Record<string, unknown> = { type: s.type, traits: keep(s.traits) };
    shapes[id] = view;
    if (s.members) view.members = Object.fromEntries(Object.entries(s.members).map(([k, m]) => [k, ref(m)]));
    for (const k of ['member', 'key', 'value'] as const) if (s[k]) view[k] = ref(s[k]!);
    for (const m of [...Object.values(s.members ?? {}), s.member, s.key, s.value]) if (m) visit(m.target);
  };
  const operations: Record<string, unknown> = {};
  for (const [opName, op] of model.operations) {
    operations[opName] = { input: op.input, output: op.output, http: op.http };
    visit(op.input);
    visit(op.output);
  }
  const text = JSON.stringify({
    protocol: model.protocol, targetPrefix: model.targetPrefix, version: model.version, signingName: model.signingName,
    xmlNamespace: model.xmlNamespace, operations, shapes,
  });
  cache.set(name, text);
  return text;
}
