import { shapeOf, type ModelView } from './model.js';

/** Parses an XML answer; undefined when the text is not XML. */
export function parseXml(text: string): Element | undefined {
  if (!text.trim()) return undefined;
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  return doc.getElementsByTagName('parsererror').length ? undefined : doc.documentElement;
}

export const children = (el: Element, name?: string) =>
  Array.from(el.children).filter((c) => name === undefined || c.localName === name);

export const childText = (el: Element, name: string) => children(el, name)[0]?.textContent ?? undefined;

function scalar(type: string, text: string): unknown {
  switch (type) {
    case 'boolean': return text === 'true';
    case 'integer': case 'long': case 'short': case 'byte': case 'float': case 'double': return Number(text);
    default: return text;
  }
}

/** An element read as the model's shape: member names as keys, lists as arrays, numbers and booleans typed. */
export function fromXml(el: Element, shapeId: string, model: ModelView): unknown {
  const s = shapeOf(model, shapeId);
  switch (s.type) {
    case 'structure': case 'union': {
      const out: Record<string, unknown> = {};
      for (const [name, m] of Object.entries(s.members ?? {})) {
        const tag = m.traits?.xmlName ?? name;
        const target = shapeOf(model, m.target);
        if (target.type === 'list' && m.traits?.xmlFlattened !== undefined) {
          const items = children(el, tag);
          if (items.length) out[name] = items.map((c) => fromXml(c, target.member!.target, model));
          continue;
        }
        const c = children(el, tag)[0];
        if (c) out[name] = fromXml(c, m.target, model);
      }
      return out;
    }
    case 'list': case 'set': {
      const tag = s.member?.traits?.xmlName ?? 'member';
      return children(el, tag).map((c) => fromXml(c, s.member!.target, model));
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const entry of children(el, 'entry')) {
        out[childText(entry, 'key') ?? ''] = fromXml(children(entry, 'value')[0] ?? entry, s.value!.target, model);
      }
      return out;
    }
    default:
      return scalar(s.type, el.textContent ?? '');
  }
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A structure as restXml's payload element (S3's CreateBucketConfiguration and the like). */
export function toXml(tag: string, value: unknown, shapeId: string, model: ModelView, ns?: string): string {
  const s = shapeOf(model, shapeId);
  const attrs = ns ? ` xmlns="${ns}"` : '';
  if (s.type === 'structure') {
    let inner = '';
    for (const [name, m] of Object.entries(s.members ?? {})) {
      const v = (value as Record<string, unknown>)[name];
      if (v === undefined) continue;
      const t = shapeOf(model, m.target);
      const mtag = m.traits?.xmlName ?? name;
      if (t.type === 'list' && m.traits?.xmlFlattened !== undefined) {
        for (const item of v as unknown[]) inner += toXml(mtag, item, t.member!.target, model);
      } else inner += toXml(mtag, v, m.target, model);
    }
    return `<${tag}${attrs}>${inner}</${tag}>`;
  }
  if (s.type === 'list') {
    const itag = s.member?.traits?.xmlName ?? 'member';
    return `<${tag}${attrs}>${(value as unknown[]).map((v) => toXml(itag, v, s.member!.target, model)).join('')}</${tag}>`;
  }
  return `<${tag}${attrs}>${escapeXml(String(value))}</${tag}>`;
}
