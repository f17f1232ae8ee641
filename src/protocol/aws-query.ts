import { AwsError } from '../shared/aws-error.js';
import { parseForm, QueryParams, readQueryStructure } from './query-params.js';
import { ioShape, shapesOf, type CShape } from './shapes.js';
import type { Codec, HttpRequest, HttpResponse } from './types.js';
import { writeMember, type XmlOptions } from './xml-shapes.js';
import { XmlWriter } from './xml.js';

/** IAM and STS print date-times without zero milliseconds; output is never read back, so `invalid` cannot fire. */
const XML: XmlOptions = { millis: false, invalid: () => { throw new Error('unreachable'); } };

// resolveOperation and parse both need the parameters; parse the form once per request.
const paramsCache = new WeakMap<HttpRequest, QueryParams>();

function paramsOf(req: HttpRequest): QueryParams {
  let p = paramsCache.get(req);
  if (!p) {
    const pairs = [...req.query];
    const type = req.headers['content-type'] ?? '';
    if (req.body.length && (type === '' || type.includes('x-www-form-urlencoded'))) {
      pairs.push(...parseForm(req.body.toString('utf8')));
    }
    p = new QueryParams(pairs);
    paramsCache.set(req, p);
  }
  return p;
}

/** The awsQuery protocol (IAM, STS): form-encoded `Action=…&Version=…` requests, XML responses. */
export const awsQueryCodec: Codec = {
  protocol: 'awsQuery',

  resolveOperation(req, model) {
    const params = paramsOf(req);
    const action = params.get('Action');
    const version = params.get('Version');
    if (!action || (version !== undefined && version !== model.version)) return undefined;
    return model.operations.get(action);
  },

  unknownOperation(req, model) {
    const params = paramsOf(req);
    const action = params.get('Action');
    if (!action) return new AwsError('MissingAction', 'Missing Action', 400);
    return new AwsError('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? model.version}`, 400);
  },

  parse(req, op, model) {
    // Unknown parameters (Action and Version among them) are ignored, as the query services do.
    return readQueryStructure(paramsOf(req), '', ioShape(model, op.input));
  },

  serialize(output, op, model, requestId) {
    const w = new XmlWriter();
    const root = `${op.name}Response`;
    w.open(root, model.xmlNamespace ? { xmlns: model.xmlNamespace } : undefined);
    if (op.output) {
      w.open(`${op.name}Result`);
      for (const m of ioShape(model, op.output).members) writeMember(w, m, output[m.name], XML, 1);
      w.close(`${op.name}Result`);
    }
    w.open('ResponseMetadata').leaf('RequestId', requestId).close('ResponseMetadata');
    w.close(root);
    return xmlResponse(200, w, requestId);
  },

  serializeError(err, model, requestId) {
    const w = new XmlWriter();
    w.open('ErrorResponse', model.xmlNamespace ? { xmlns: model.xmlNamespace } : undefined).open('Error');
    w.leaf('Type', err.fault === 'server' ? 'Receiver' : 'Sender').leaf('Code', err.code).leaf('Message', err.message);
    writeErrorFields(w, err, shapesOf(model).errorShape(err.code));
    w.close('Error').leaf('RequestId', requestId).close('ErrorResponse');
    return xmlResponse(err.status, w, requestId);
  },
};

/** Modeled error members beside Code and Message (typed by the error shape when the code is modeled). */
function writeErrorFields(w: XmlWriter, err: AwsError, shape: CShape | undefined): void {
  for (const [name, value] of Object.entries(err.fields)) {
    if (value === undefined || value === null) continue;
    const m = shape?.memberByName.get(name);
    if (m) writeMember(w, m, value, XML, 1);
    else w.leaf(name, String(value));
  }
}

function xmlResponse(status: number, w: XmlWriter, requestId: string): HttpResponse {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: w.toString() };
}
