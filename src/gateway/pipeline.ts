import { AwsError, isAwsError } from '../shared/aws-error.js';
import { requestId as newRequestId } from '../shared/ids.js';
import type { App } from '../app.js';
import type { HttpRequest, HttpResponse } from '../protocol/types.js';
import type { AuthzQuery, Principal, RequestContext } from './context.js';
import { Router, type Service } from './route.js';
import { authenticateRequest, type Authenticated } from '../auth/authenticate.js';
import { authError } from '../auth/sigv4/errors.js';
import { bufferedPayload, readAll, streamedPayload } from '../auth/payload.js';
import { MAX_BODY_BYTES } from '../shared/limits.js';
import { readScope } from '../auth/sigv4/parse.js';
import { assertValidInput } from '../protocol/validate.js';
import { bucketFromHost } from '../protocol/rest-xml.js';
import { authorizeQueries } from './authorize.js';

const DEFAULT_REGION = 'us-east-1';

/**
 * The request pipeline, in order: route → authenticate → resolve operation → parse → validate →
 * handle (the handler authorises) → serialise. Every failure becomes the service's own error shape.
 */
export class Gateway {
  private readonly router: Router;
  /** Host names under which `<bucket>.<host>` is virtual-hosted-style S3 addressing. */
  private readonly s3Hosts: string[];

  constructor(private readonly app: App, private readonly log: (msg: string) => void = () => {}) {
    this.router = new Router(app.providers);
    this.s3Hosts = ['s3.localhost', 'localhost', app.config.host].filter((h) => !/^[\d.:]+$/.test(h));
  }

  async handle(req: HttpRequest): Promise<HttpResponse> {
    const requestId = newRequestId();
    const service = this.router.route(req);
    if (!service) return unknownService(requestId);
    const { model, codec } = service;
    if (model.protocol === 'restXml') req.virtualHostBucket = bucketFromHost(req.headers.host, this.s3Hosts);
    try {
      const now = this.app.now();
      const auth = authenticateRequest(req, this.app.credentials, now, model.protocol, model.signingName);
      if (auth.anonymous) throw authError(model.protocol, { kind: 'missing' });
      const principal = auth.principal;
      const op = codec.resolveOperation(req, model);
      if (!op) throw codec.unknownOperation(req, model);
      const trailers = await this.payload(req, auth, model.hasStreamingInput(op));
      const handler = service.provider.operations[op.name];
      if (!handler) throw notImplemented(model.protocol, op.name);
      const input = codec.parse(req, op, model);
      if (trailers && req.stream) {
        // Trailing headers (aws-chunked checksums) land on their members once the body has been read.
        req.stream.once('end', () => {
          for (const [header, value] of Object.entries(trailers())) {
            const member = model.inputHeaderMember(op, header);
            if (member) input[member] = value;
          }
        });
      }
      assertValidInput(model, op, input);
      const ctx = this.context(service, req, requestId, principal, now, op);
      const output = await handler(input, ctx);
      if (!ctx.authorized) throw new Error(`${model.name}:${op.name} answered without authorising`);
      return codec.serialize(output ?? {}, op, model, requestId);
    } catch (e) {
      if (isAwsError(e)) return codec.serializeError(e, model, requestId);
      this.log(`internal error ${requestId}: ${(e as Error)?.stack ?? e}`);
      const fault = model.protocol === 'awsQuery' ? 'ServiceFailure' : model.protocol === 'restXml' ? 'InternalError' : 'InternalFailure';
      return codec.serializeError(new AwsError(fault, 'We encountered an internal error. Please try again.', 500, 'server'), model, requestId);
    }
  }

  /** Applies what authentication found about the body (aws-chunked, a signed hash) and reads a streamed
   *  body whole unless the operation takes a stream. */
  private async payload(req: HttpRequest, auth: Authenticated, streaming: boolean): Promise<(() => Record<string, string>) | undefined> {
    if (req.stream && streaming) {
      const streamed = streamedPayload(req.stream, auth);
      req.stream = streamed.body;
      return streamed.trailers;
    } else if (req.stream) {
      req.body = bufferedPayload(await readAll(req.stream, MAX_BODY_BYTES), auth);
      req.stream = undefined;
    } else if (auth.chunked) {
      req.body = bufferedPayload(req.body, auth);
    }
    return undefined;
  }

  private context(service: Service, req: HttpRequest, requestId: string, principal: Principal, now: Date, op: RequestContext['operation']): RequestContext {
    const app = this.app;
    const region = readScope(req)?.region ?? DEFAULT_REGION;
    let authorized = false;
    return {
      app,
      requestId,
      request: req,
      model: service.model,
      operation: op,
      principal,
      region,
      accountId: principal.accountId,
      now,
      authorize(...queries: AuthzQuery[]) {
        authorizeQueries(app, principal, req, service.model.protocol, region, now, queries);
        authorized = true;
      },
      get authorized() {
        return authorized;
      },
    };
  }
}

/** An operation the model has but Tailor does not serve yet: the error AWS uses for an unsupported call. */
function notImplemented(protocol: string, op: string): AwsError {
  const code = protocol === 'awsQuery' || protocol === 'restXml' ? 'NotImplemented' : 'UnknownOperationException';
  return new AwsError(code, `The operation ${op} is not supported by this endpoint.`, 501);
}

function unknownService(requestId: string): HttpResponse {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>UnknownService</Code><Message>No service is served at this endpoint for this request.</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: 400, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}
