// A model's file: a versioned binary container the serving side can map without copying.
// Layout (little-endian): "TLRM", u32 format version, u32 header length, header JSON (recipe,
// model version, parameters, and for each array its name, type, offset and length), zero padding
// to 8 bytes, then the arrays, each starting on an 8-byte boundary.

const MAGIC = 'TLRM';
const FORMAT = 1;

export type NumArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;
const TYPES = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u32: Uint32Array, u8: Uint8Array } as const;
type TypeName = keyof typeof TYPES;

export interface Artifact {
  recipe: string;
  /** The model's own layout version, checked by its loader. */
  version: number;
  params: Record<string, unknown>;
  arrays: Record<string, NumArray>;
}

const typeOf = (a: NumArray): TypeName =>
  a instanceof Float32Array ? 'f32' : a instanceof Float64Array ? 'f64' : a instanceof Int32Array ? 'i32' : a instanceof Uint32Array ? 'u32' : 'u8';

const align8 = (n: number) => (n + 7) & ~7;

export function encodeArtifact(a: Artifact): Buffer {
  const entries: { name: string; type: TypeName; offset: number; length: number }[] = [];
  let at = 0;
  for (const [name, arr] of Object.entries(a.arrays)) {
    entries.push({ name, type: typeOf(arr), offset: at, length: arr.length });
    at = align8(at + arr.byteLength);
  }
  const header = Buffer.from(JSON.stringify({ recipe: a.recipe, version: a.version, params: a.params, arrays: entries }));
  const base = align8(12 + header.length);
  const out = Buffer.alloc(base + at);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(FORMAT, 4);
  out.writeUInt32LE(header.length, 8);
  header.copy(out, 12);
  for (const e of entries) {
    const arr = a.arrays[e.name];
    Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).copy(out, base + e.offset);
  }
  return out;
}

export class ArtifactError extends Error {}

/** Reads an artifact; arrays are views into `buf` when it is 8-byte aligned, copies otherwise. */
export function decodeArtifact(buf: Buffer): Artifact {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== MAGIC) throw new ArtifactError('not a model artifact');
  if (buf.readUInt32LE(4) !== FORMAT) throw new ArtifactError(`unsupported artifact format ${buf.readUInt32LE(4)}`);
  const len = buf.readUInt32LE(8);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + len)) as Omit<Artifact, 'arrays'> & {
    arrays: { name: string; type: TypeName; offset: number; length: number }[];
  };
  const base = align8(12 + len);
  const arrays: Record<string, NumArray> = {};
  for (const e of header.arrays) {
    const T = TYPES[e.type];
    const start = buf.byteOffset + base + e.offset;
    const bytes = e.length * T.BYTES_PER_ELEMENT;
    if (base + e.offset + bytes > buf.length) throw new ArtifactError(`array ${e.name} runs past the end`);
    if (start % 8 === 0) arrays[e.name] = new T(buf.buffer as ArrayBuffer, start, e.length);
    else {
      const copy = new T(e.length);
      new Uint8Array(copy.buffer).set(buf.subarray(base + e.offset, base + e.offset + bytes));
      arrays[e.name] = copy;
    }
  }
  return { recipe: header.recipe, version: header.version, params: header.params, arrays };
}
