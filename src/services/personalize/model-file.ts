// A trained model's file. Engine-trained models: magic, header length (u32 LE), the JSON header
// (the popularity model and the ITEM_ID and USER_ID dictionaries of the engine's indexes, which
// segments answer with and updates keep), then the engine artifact.
// Popularity-only models are plain JSON (they start with '{').
import type { PopularityModel } from './popularity.js';

const MAGIC = Buffer.from('TLRM');

export interface ModelHeader extends PopularityModel {
  /** The engine's item index → ITEM_ID (ACTION_ID for actions). */
  itemIds: string[];
  /** The engine's user index → USER_ID. */
  userIds?: string[];
}

export interface ModelFile {
  popular: PopularityModel;
  engine?: { header: ModelHeader; artifact: Buffer };
}

export function encodeModelFile(popular: PopularityModel, engine?: { itemIds: string[]; userIds?: string[]; artifact: Uint8Array }): Buffer {
  if (!engine) return Buffer.from(JSON.stringify(popular));
  const header = Buffer.from(JSON.stringify({ ...popular, itemIds: engine.itemIds, userIds: engine.userIds } satisfies ModelHeader));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  return Buffer.concat([MAGIC, len, header, engine.artifact]);
}

export function decodeModelFile(buf: Buffer): ModelFile {
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return { popular: JSON.parse(buf.toString('utf8')) as PopularityModel };
  const end = MAGIC.length + 4 + buf.readUInt32LE(MAGIC.length);
  const header = JSON.parse(buf.subarray(MAGIC.length + 4, end).toString('utf8')) as ModelHeader;
  const { itemIds: _i, userIds: _u, ...popular } = header;
  return { popular, engine: { header, artifact: buf.subarray(end) } };
}
