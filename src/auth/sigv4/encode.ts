/**
 * SigV4's URI encoding: RFC 3986 unreserved characters (A-Z a-z 0-9 - _ . ~) stay, every other
 * byte of the UTF-8 form becomes `%XX` with upper-case hex.
 */
const UNRESERVED = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~') UNRESERVED[c.charCodeAt(0)] = 1;
const SLASH = 0x2f;
const PERCENT = 0x25;
const HEX = '0123456789ABCDEF';
const HEX_VALUE = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);

const pct = (byte: number) => '%' + HEX[byte >> 4] + HEX[byte & 15];

const keeps = (c: number, keepSlash: boolean) => c < 128 && (UNRESERVED[c] === 1 || (keepSlash && c === SLASH));

/** `s` URI-encoded; `/` stays when `keepSlash` (for paths). Most values need no change, and then cost one scan. */
export function uriEncode(s: string, keepSlash = false): string {
  let i = 0;
  while (i < s.length && keeps(s.charCodeAt(i), keepSlash)) i++;
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (keeps(c, keepSlash)) out += s[i];
    else if (c < 128) out += pct(c);
    else {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) i++;
      out += utf8(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp); // a lone surrogate has no UTF-8 form
    }
  }
  return out;
}

function utf8(cp: number): string {
  if (cp < 0x800) return pct(0xc0 | (cp >> 6)) + pct(0x80 | (cp & 63));
  if (cp < 0x10000) return pct(0xe0 | (cp >> 12)) + pct(0x80 | ((cp >> 6) & 63)) + pct(0x80 | (cp & 63));
  return pct(0xf0 | (cp >> 18)) + pct(0x80 | ((cp >> 12) & 63)) + pct(0x80 | ((cp >> 6) & 63)) + pct(0x80 | (cp & 63));
}

/**
 * The canonical URI of every service but S3: `.`, `..` and empty segments removed, then the path
 * as sent encoded once more (so `%20` signs as `%2520`), which is what AWS's SDKs compute.
 */
export function canonicalPath(rawPath: string): string {
  if (rawPath === '/' || rawPath === '') return '/';
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return uriEncode('/' + segments.join('/') + trailing, true);
}

/**
 * S3's canonical URI: the path as sent, not normalised (`//` and `..` are parts of keys) and encoded
 * once. Escapes are brought to the canonical form byte by byte (`%7e` → `~`, `%2b` → `%2B`) and
 * characters sent unescaped are escaped, so an SDK's path (already canonical) is unchanged.
 */
export function s3CanonicalPath(rawPath: string): string {
  if (rawPath === '') return '/';
  let i = 0;
  while (i < rawPath.length && keeps(rawPath.charCodeAt(i), true)) i++;
  if (i === rawPath.length) return rawPath;
  let out = rawPath.slice(0, i);
  for (; i < rawPath.length; i++) {
    const c = rawPath.charCodeAt(i);
    if (c === PERCENT && i + 2 < rawPath.length) {
      const hi = HEX_VALUE(rawPath.charCodeAt(i + 1));
      const lo = HEX_VALUE(rawPath.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        const byte = (hi << 4) | lo;
        out += byte < 128 && UNRESERVED[byte] === 1 ? String.fromCharCode(byte) : pct(byte);
        i += 2;
        continue;
      }
    }
    out += uriEncode(rawPath[i] + (c >= 0xd800 && c <= 0xdbff && i + 1 < rawPath.length ? rawPath[++i] : ''), true);
  }
  return out;
}

/**
 * The canonical query string: every parameter (decoded as the server read it) encoded, sorted by
 * name and then by value, joined with `&`. `omit` names a parameter left out (the presigned signature).
 */
export function canonicalQuery(params: readonly (readonly [string, string])[], omit?: string): string {
  if (params.length === 0) return '';
  const pairs: [string, string][] = [];
  for (const [k, v] of params) if (k !== omit) pairs.push([uriEncode(k), uriEncode(v)]);
  if (pairs.length > 1) pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let out = '';
  for (let i = 0; i < pairs.length; i++) out += (i ? '&' : '') + pairs[i][0] + '=' + pairs[i][1];
  return out;
}
