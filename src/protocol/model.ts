import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProtocolName } from './types.js';

/** A Smithy shape as the model file holds it (documentation already stripped). */
export interface Shape {
  type: string;
  members?: Record<string, MemberRef>;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  traits?: Record<string, any>;
  operations?: { target: string }[];
  resources?: { target: string }[];
  input?: { target: string };
  output?: { target: string };
  errors?: { target: string }[];
}
export interface MemberRef {
  target: string;
  traits?: Record<string, any>;
}

export interface OperationModel {
  name: string;
  id: string;
  input?: string;
  output?: string;
  errors: string[];
  http?: { method: string; uri: string; code?: number };
  traits: Record<string, any>;
}

const PRELUDE: Record<string, Shape> = Object.fromEntries(
  ['String', 'Blob', 'Boolean', 'Byte', 'Short', 'Integer', 'Long', 'Float', 'Double', 'BigInteger', 'BigDecimal',
    'Timestamp', 'Document', 'PrimitiveBoolean', 'PrimitiveInteger', 'PrimitiveLong', 'PrimitiveFloat', 'PrimitiveDouble',
    'PrimitiveShort', 'PrimitiveByte', 'Unit']
    .map((n) => [`smithy.api#${n}`, { type: n.replace('Primitive', '').toLowerCase().replace('bigdecimal', 'bigDecimal').replace('biginteger', 'bigInteger') }]),
);
PRELUDE['smithy.api#Unit'] = { type: 'structure', members: {} };

const PROTOCOL_TRAITS: [string, ProtocolName][] = [
  ['aws.protocols#awsQuery', 'awsQuery'], ['aws.protocols#awsJson1_0', 'awsJson1_0'],
  ['aws.protocols#awsJson1_1', 'awsJson1_1'], ['aws.protocols#restJson1', 'restJson1'], ['aws.protocols#restXml', 'restXml'],
];

/** One AWS service as its Smithy model describes it. Codecs and validation read shapes only through this. */
export class ServiceModel {
  readonly name: string;
  readonly serviceId: string;
  readonly signingName: string;
  readonly endpointPrefix: string;
  readonly protocol: ProtocolName;
  /** `X-Amz-Target` prefix for the JSON protocols (the service shape's name, e.g. `AmazonPersonalize`). */
  readonly targetPrefix: string;
  readonly version: string;
  readonly xmlNamespace?: string;
  readonly operations = new Map<string, OperationModel>();
  private readonly shapes: Record<string, Shape>;

  constructor(name: string, doc: { shapes: Record<string, Shape> }) {
    this.name = name;
    this.shapes = doc.shapes;
    const [serviceId, service] = Object.entries(doc.shapes).find(([, s]) => s.type === 'service')!;
    const traits = service.traits ?? {};
    this.serviceId = serviceId;
    this.targetPrefix = serviceId.split('#')[1];
    this.version = (service as any).version;
    this.signingName = traits['aws.auth#sigv4']?.name ?? name;
    this.endpointPrefix = traits['aws.api#service']?.endpointPrefix ?? name;
    this.xmlNamespace = traits['smithy.api#xmlNamespace']?.uri;
    const protocol = PROTOCOL_TRAITS.find(([t]) => t in traits);
    if (!protocol) throw new Error(`model ${name}: no protocol trait`);
    this.protocol = protocol[1];
    const serviceErrors = (service.errors ?? []).map((e) => e.target);
    const addOps = (ids: { target: string }[] | undefined) => {
      for (const { target } of ids ?? []) {
        const op = this.shape(target);
        const http = op.traits?.['smithy.api#http'];
        this.operations.set(target.split('#')[1], {
          name: target.split('#')[1],
          id: target,
          input: op.input?.target === 'smithy.api#Unit' ? undefined : op.input?.target,
          output: op.output?.target === 'smithy.api#Unit' ? undefined : op.output?.target,
          errors: [...(op.errors ?? []).map((e) => e.target), ...serviceErrors],
          http: http ? { method: http.method, uri: http.uri, code: http.code } : undefined,
          traits: op.traits ?? {},
        });
      }
    };
    // Operations hang off the service directly and off its resources (recursively).
    const walkResources = (ids: { target: string }[] | undefined) => {
      for (const { target } of ids ?? []) {
        const res = this.shape(target) as any;
        addOps(res.operations);
        addOps(res.collectionOperations);
        for (const k of ['create', 'put', 'read', 'update', 'delete', 'list']) if (res[k]) addOps([res[k]]);
        walkResources(res.resources);
      }
    };
    addOps(service.operations);
    walkResources(service.resources);
  }

  shape(id: string): Shape {
    const s = this.shapes[id] ?? PRELUDE[id];
    if (!s) throw new Error(`model ${this.name}: unknown shape ${id}`);
    return s;
  }

  /** Whether the operation's input payload is a streaming blob (S3 PutObject, UploadPart). */
  hasStreamingInput(op: OperationModel): boolean {
    if (!op.input) return false;
    return Object.values(this.shape(op.input).members ?? {}).some(
      (m) => m.traits?.['smithy.api#httpPayload'] !== undefined && this.shape(m.target).traits?.['smithy.api#streaming'] !== undefined,
    );
  }

  /** Input member bound to an HTTP header (lower-case name), e.g. S3's trailing checksums. */
  inputHeaderMember(op: OperationModel, header: string): string | undefined {
    if (!op.input) return undefined;
    for (const [name, m] of Object.entries(this.shape(op.input).members ?? {})) {
      if (String(m.traits?.['smithy.api#httpHeader'] ?? '').toLowerCase() === header) return name;
    }
    return undefined;
  }

  /** Error shape id for a code the service uses (e.g. `NoSuchEntity` → `...#NoSuchEntityException`). */
  errorShape(code: string): string | undefined {
    for (const [id, s] of Object.entries(this.shapes)) {
      if (s.traits?.['smithy.api#error'] === undefined) continue;
      if (id.split('#')[1] === code || s.traits?.['aws.protocols#awsQueryError']?.code === code) return id;
    }
    return undefined;
  }
}

const MODEL_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));
const cache = new Map<string, ServiceModel>();

/** Loads `models/<name>.json` (stripped copies of AWS's models; see models/NOTICE). */
export function loadModel(name: string): ServiceModel {
  let m = cache.get(name);
  if (!m) {
    m = new ServiceModel(name, JSON.parse(readFileSync(`${MODEL_DIR}${name}.json`, 'utf8')));
    cache.set(name, m);
  }
  return m;
}
