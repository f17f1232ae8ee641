/**
 * A small XML reader and writer for AWS payloads. The reader is deliberately narrow: no DTDs (so no entity
 * expansion or external entities), only the five predefined entities and character references, a depth
 * limit, and an explicit stack instead of recursion.
 */

export interface XmlNode {
  /** Qualified name as written (`xsi:type`). */
  name: string;
  /** Name without its prefix. */
  local: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Concatenated character data directly inside this element. */
  text: string;
}

export class XmlError extends Error {}

export const MAX_XML_DEPTH = 64;

const NAME = /[A-Za-z_:\u00C0-\uFFFF][-\w:.\u00B7\u00C0-\uFFFF]*/y;
const SPACE = /[ \t\r\n]*/y;
const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/y;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses one document; throws XmlError on anything that is not well-formed (or is outside this subset). */
export function parseXml(input: Buffer | string, maxDepth = MAX_XML_DEPTH): XmlNode {
  const src = typeof input === 'string' ? input : input.toString('utf8');
  let pos = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (what: string): never => { throw new XmlError(`${what} at offset ${pos}`); };

  const skipSpace = () => { SPACE.lastIndex = pos; SPACE.exec(src); pos = SPACE.lastIndex; };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(src);
    if (!m) fail('expected a name');
    pos = NAME.lastIndex;
    return m![0];
  };
  const skipUntil = (end: string) => {
    const i = src.indexOf(end, pos);
    if (i < 0) fail(`unterminated construct (expected ${end})`);
    pos = i + end.length;
  };
  /** Decodes text up to the next `stop` character, resolving entity and character references. */
  const readText = (stop: string): string => {
    let out = '';
    let start = pos;
    while (pos < src.length) {
      const c = src[pos];
      if (c === stop) break;
      if (c === '<') fail("'<' not allowed here");
      if (c !== '&') { pos++; continue; }
      out += src.slice(start, pos);
      ENTITY.lastIndex = pos;
      const m = ENTITY.exec(src);
      if (!m) fail('unknown or malformed entity reference');
      const cp = m![1] ? -1 : m![2] ? parseInt(m![2], 10) : parseInt(m![3], 16);
      if (cp !== -1 && (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) fail('invalid character reference');
      out += cp === -1 ? NAMED[m![1]] : String.fromCodePoint(cp);
      pos = ENTITY.lastIndex;
      start = pos;
    }
    return out + src.slice(start, pos);
  };
  /** Skips comments, processing instructions and whitespace outside the root; refuses DOCTYPE. */
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (src.startsWith('<?', pos)) skipUntil('?>');
      else if (src.startsWith('<!--', pos)) skipUntil('-->');
      else if (src.startsWith('<!', pos)) fail('DOCTYPE and declarations are not accepted');
      else return;
    }
  };

  skipMisc();
  if (src[pos] !== '<') fail('expected the root element');
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  while (pos < src.length) {
    if (src[pos] !== '<') {
      if (!stack.length) fail('content outside the root element');
      stack[stack.length - 1].text += readText('<');
      continue;
    }
    if (src.startsWith('</', pos)) {
      pos += 2;
      const name = readName();
      skipSpace();
      if (src[pos] !== '>') fail("expected '>'");
      pos++;
      const open = stack.pop();
      if (!open || open.name !== name) fail(`mismatched end tag </${name}>`);
      if (!stack.length) { root = open; break; }
    } else if (src.startsWith('<![CDATA[', pos)) {
      if (!stack.length) fail('CDATA outside the root element');
      const end = src.indexOf(']]>', pos + 9);
      if (end < 0) fail('unterminated CDATA');
      stack[stack.length - 1].text += src.slice(pos + 9, end);
      pos = end + 3;
    } else if (src.startsWith('<!--', pos)) {
      skipUntil('-->');
    } else if (src.startsWith('<?', pos)) {
      skipUntil('?>');
    } else if (src.startsWith('<!', pos)) {
      fail('declarations are not accepted');
    } else {
      pos++;
      const name = readName();
      const node: XmlNode = { name, local: name.slice(name.indexOf(':') + 1), attrs: {}, children: [], text: '' };
      for (;;) {
        const before = pos;
        skipSpace();
        if (src[pos] === '>' || src.startsWith('/>', pos)) break;
        if (pos === before) fail('expected whitespace before an attribute');
        const attr = readName();
        skipSpace();
        if (src[pos] !== '=') fail("expected '='");
        pos++;
        skipSpace();
        const quote = src[pos];
        if (quote !== '"' && quote !== "'") fail('expected a quoted attribute value');
        pos++;
        const value = readText(quote);
        if (pos >= src.length) fail('unterminated attribute value');
        pos++;
        if (Object.hasOwn(node.attrs, attr)) fail(`duplicate attribute ${attr}`);
        node.attrs[attr] = value;
      }
      if (stack.length) stack[stack.length - 1].children.push(node);
      else if (root) fail('more than one root element');
      if (src.startsWith('/>', pos)) {
        pos += 2;
        if (!stack.length) { root = node; break; }
      } else {
        pos++;
        if (stack.length >= maxDepth) fail('document nested too deeply');
        stack.push(node);
      }
    }
  }
  if (!root) fail('unexpected end of document');
  skipMisc();
  if (pos < src.length) fail('content after the root element');
  return root!;
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;' };

/** Escapes character data and attribute values alike (quotes too, so one function serves both). */
export function escapeXml(s: string): string {
  return /[&<>"'\r]/.test(s) ? s.replace(/[&<>"'\r]/g, (c) => TEXT_ESCAPES[c]) : s;
}

/** Appends elements to a list of string parts; callers join once at the end. */
export class XmlWriter {
  readonly parts: string[] = [];

  open(name: string, attrs?: Record<string, string>): this {
    this.parts.push('<', name);
    if (attrs) for (const k in attrs) this.parts.push(' ', k, '="', escapeXml(attrs[k]), '"');
    this.parts.push('>');
    return this;
  }

  close(name: string): this {
    this.parts.push('</', name, '>');
    return this;
  }

  leaf(name: string, text: string, attrs?: Record<string, string>): this {
    return this.open(name, attrs).text(text).close(name);
  }

  text(text: string): this {
    this.parts.push(escapeXml(text));
    return this;
  }

  toString(): string {
    return this.parts.join('');
  }
}
