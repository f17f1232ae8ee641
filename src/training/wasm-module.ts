// Compiled WebAssembly modules by file, and fresh instances of them. A module that cannot be
// compiled (no SIMD support, binary not built) is remembered as missing, and callers fall back to TS.
import { readFileSync } from 'node:fs';

const modules = new Map<string, WebAssembly.Module | null>();

function compiled(url: URL): WebAssembly.Module | null {
  let m = modules.get(url.href);
  if (m === undefined) {
    try {
      m = new WebAssembly.Module(readFileSync(url));
    } catch {
      m = null;
    }
    modules.set(url.href, m);
  }
  return m;
}

/** A new instance (its own memory) of the module in `url`, or undefined where it is missing. */
export function wasmInstance<T>(url: URL): T | undefined {
  const m = compiled(url);
  if (!m) return undefined;
  return new WebAssembly.Instance(m, { env: { abort: () => { throw new Error(`wasm ${url.pathname} aborted`); } } }).exports as unknown as T;
}
