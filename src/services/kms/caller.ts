import type { App } from '../../app.js';
import type { AuthzQuery, OperationHandler, Principal, RequestContext } from '../../gateway/context.js';
import { sweepDeletions } from './lookup.js';

/**
 * Who is asking KMS for something: an HTTP request's signer, or a principal on whose behalf another
 * Tailor service (S3, Personalize) calls KMS directly. Every KMS operation takes one.
 */
export interface KmsCaller {
  readonly principal: Principal;
  readonly region: string;
  readonly now: Date;
  /** The calling request's authorise (its ctx.authorize): throws AccessDenied unless every query is allowed. */
  authorize(...queries: AuthzQuery[]): void;
  /** For calls made by a service on the principal's behalf: `kms:ViaService`, e.g. `s3.us-east-1.amazonaws.com`. */
  readonly viaService?: string;
}

export const callerOf = (ctx: RequestContext): KmsCaller => ({
  principal: ctx.principal,
  region: ctx.region,
  now: ctx.now,
  authorize: (...queries) => ctx.authorize(...queries),
});

/** One KMS operation: the same function serves HTTP requests and other services' internal calls. */
export type KmsOperation<I, O> = (app: App, caller: KmsCaller, input: I) => O;

/** Runs an operation after retiring keys whose deletion window has passed, so no caller sees them. */
export function invoke<I, O>(op: KmsOperation<I, O>, app: App, caller: KmsCaller, input: I): O {
  sweepDeletions(app.store, caller.now);
  return op(app, caller, input);
}

/** The gateway-facing form of an operation. */
export const handler = <I, O extends Record<string, unknown> | void>(op: KmsOperation<I, O>): OperationHandler =>
  (input, ctx) => invoke(op, ctx.app, callerOf(ctx), input as I);
