import { awsJson10Codec, awsJson11Codec } from './aws-json.js';
import { awsQueryCodec } from './aws-query.js';
import { restJson1Codec } from './rest-json.js';
import { restXmlCodec } from './rest-xml.js';
import type { Codec, ProtocolName } from './types.js';

/** Every wire protocol Tailor speaks, by its Smithy protocol name. */
export const CODECS: Readonly<Record<ProtocolName, Codec>> = {
  awsQuery: awsQueryCodec,
  awsJson1_0: awsJson10Codec,
  awsJson1_1: awsJson11Codec,
  restJson1: restJson1Codec,
  restXml: restXmlCodec,
};

/** The codec for a model's protocol (`codecFor(model.protocol)`). */
export function codecFor(protocol: ProtocolName): Codec {
  const codec = CODECS[protocol];
  if (!codec) throw new Error(`no codec for protocol ${protocol}`);
  return codec;
}
