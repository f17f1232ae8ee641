import { MAX_DEPTH, setOwn, type CMember, type CShape } from './shapes.js';
import { INVALID, scalarFromText, scalarToText, timestampFormat } from './scalars.js';
import type { XmlNode, XmlWriter } from './xml.js';

/** How a protocol wants XML values read and written. */
export interface XmlOptions {
  /** Print milliseconds on every date-time (S3) rather than only when non-zero (IAM, STS). */
  millis: boolean;
  /** Called with the path and text of a value that is not of its shape's kind; must throw. */
  invalid(path: string, text: string, shape: CShape): never;
}

/** The element name of a structure member, list member or map key/value. */
export const xmlName = (m: CMember): string => m.own['smithy.api#xmlName'] ?? m.name;
const flattened = (m: CMember): boolean => m.own['smithy.api#xmlFlattened'] !== undefined;
const localOf = (name: string) => name.slice(name.indexOf(':') + 1);

/** Reads an element as a value of `shape`. */
export function readXml(node: XmlNode, shape: CShape, opts: XmlOptions, path = '', depth = 0): unknown {
  if (depth > MAX_DEPTH) opts.invalid(path, '', shape);
  switch (shape.kind) {
    case 'structure': case 'union': return readStructure(node, shape, opts, path, depth);
    case 'list': {
      const m = shape.member!;
      const name = localOf(xmlName(m));
      return node.children.filter((c) => c.local === name).map((c, i) => readXml(c, m.shape, opts, `${path}.${i + 1}`, depth + 1));
    }
    case 'map': return readMap(node.children.filter((c) => c.local === 'entry'), shape, opts, path, depth);
    default: return readScalar(node.text, shape, shape.traits, opts, path);
  }
}

function readScalar(text: string, shape: CShape, traits: Record<string, any>, opts: XmlOptions, path: string): unknown {
  const v = scalarFromText(text, shape, timestampFormat(traits, 'date-time'));
  return v === INVALID ? opts.invalid(path, text, shape) : v;
}

function readStructure(node: XmlNode, shape: CShape, opts: XmlOptions, path: string, depth: number) {
  const out: Record<string, unknown> = {};
  const byName = new Map<string, XmlNode[]>();
  for (const c of node.children) {
    const list = byName.get(c.local);
    if (list) list.push(c); else byName.set(c.local, [c]);
  }
  for (const m of shape.members) {
    const name = xmlName(m);
    const at = path ? `${path}.${m.name}` : m.name;
    if (m.own['smithy.api#xmlAttribute'] !== undefined) {
      const text = node.attrs[name] ?? attrByLocal(node, localOf(name));
      if (text !== undefined) out[m.name] = readScalar(text, m.shape, m.traits, opts, at);
      continue;
    }
    const found = byName.get(localOf(name));
    if (!found) continue;
    const kind = m.shape.kind;
    if (kind === 'list' && flattened(m)) {
      out[m.name] = found.map((c, i) => readXml(c, m.shape.member!.shape, opts, `${at}.${i + 1}`, depth + 1));
    } else if (kind === 'map' && flattened(m)) {
      out[m.name] = readMap(found, m.shape, opts, at, depth);
    } else if (kind === 'structure' || kind === 'union' || kind === 'list' || kind === 'map') {
      out[m.name] = readXml(found[0], m.shape, opts, at, depth + 1);
    } else {
      out[m.name] = readScalar(found[0].text, m.shape, m.traits, opts, at);
    }
  }
  return out;
}

function attrByLocal(node: XmlNode, local: string): string | undefined {
  for (const k in node.attrs) if (localOf(k) === local && !k.startsWith('xmlns')) return node.attrs[k];
  return undefined;
}

function readMap(entries: XmlNode[], shape: CShape, opts: XmlOptions, path: string, depth: number) {
  const out: Record<string, unknown> = {};
  const keyName = localOf(xmlName(shape.key!));
  const valueName = localOf(xmlName(shape.value!));
  for (const e of entries) {
    const k = e.children.find((c) => c.local === keyName);
    const v = e.children.find((c) => c.local === valueName);
    if (!k) continue;
    const key = readScalar(k.text, shape.key!.shape, shape.key!.traits, opts, path) as string;
    if (v) setOwn(out, key, readXml(v, shape.value!.shape, opts, `${path}.${key}`, depth + 1));
  }
  return out;
}

/** Namespace declaration attributes for an element carrying `smithy.api#xmlNamespace`. */
function namespaceAttrs(trait: { uri: string; prefix?: string } | undefined): Record<string, string> | undefined {
  if (!trait) return undefined;
  return { [trait.prefix ? `xmlns:${trait.prefix}` : 'xmlns']: trait.uri };
}

/**
 * Writes `value` as an element named `name`. `member` supplies the member-level traits (flattening,
 * timestamp format, namespace); it is absent for a document's root.
 */
export function writeXml(w: XmlWriter, name: string, value: unknown, shape: CShape, member: CMember | undefined,
  opts: XmlOptions, extraAttrs?: Record<string, string>, depth = 0): void {
  if (value === undefined || value === null) return;
  if (depth > MAX_DEPTH) throw new Error(`output nested deeper than ${MAX_DEPTH} levels`);
  const traits = member?.traits ?? shape.traits;
  const ns = namespaceAttrs(member?.own['smithy.api#xmlNamespace'] ?? (member ? undefined : shape.traits['smithy.api#xmlNamespace']));
  const attrs = ns || extraAttrs ? { ...extraAttrs, ...ns } : undefined;
  switch (shape.kind) {
    case 'structure': case 'union': {
      const obj = value as Record<string, unknown>;
      let own: Record<string, string> | undefined = attrs;
      for (const m of shape.members) {
        if (m.own['smithy.api#xmlAttribute'] === undefined || obj[m.name] == null) continue;
        own = { ...own, [xmlName(m)]: scalarToText(obj[m.name], m.shape, timestampFormat(m.traits, 'date-time'), opts.millis) };
      }
      w.open(name, own);
      for (const m of shape.members) {
        if (m.own['smithy.api#xmlAttribute'] !== undefined) continue;
        writeMember(w, m, obj[m.name], opts, depth + 1);
      }
      w.close(name);
      return;
    }
    case 'list': {
      w.open(name, attrs);
      const m = shape.member!;
      for (const item of value as unknown[]) writeXml(w, xmlName(m), item, m.shape, m, opts, undefined, depth + 1);
      w.close(name);
      return;
    }
    case 'map':
      w.open(name, attrs);
      writeEntries(w, 'entry', value as Record<string, unknown>, shape, opts, depth);
      w.close(name);
      return;
    default:
      w.leaf(name, scalarToText(value, shape, timestampFormat(traits, 'date-time'), opts.millis), attrs);
  }
}

/** Writes a structure member, honouring `xmlFlattened` lists and maps. */
export function writeMember(w: XmlWriter, m: CMember, value: unknown, opts: XmlOptions, depth: number): void {
  if (value === undefined || value === null) return;
  const name = xmlName(m);
  if (m.shape.kind === 'list' && flattened(m)) {
    const item = m.shape.member!;
    // A flattened list repeats the member's own element, carrying the item's traits.
    for (const v of value as unknown[]) writeXml(w, name, v, item.shape, item, opts, undefined, depth + 1);
  } else if (m.shape.kind === 'map' && flattened(m)) {
    writeEntries(w, name, value as Record<string, unknown>, m.shape, opts, depth);
  } else {
    writeXml(w, name, value, m.shape, m, opts, undefined, depth);
  }
}

function writeEntries(w: XmlWriter, entry: string, map: Record<string, unknown>, shape: CShape, opts: XmlOptions, depth: number) {
  const k = shape.key!;
  const v = shape.value!;
  for (const key of Object.keys(map)) {
    if (map[key] == null) continue;
    w.open(entry);
    writeXml(w, xmlName(k), key, k.shape, k, opts, undefined, depth + 1);
    writeXml(w, xmlName(v), map[key], v.shape, v, opts, undefined, depth + 1);
    w.close(entry);
  }
}
