import type { App } from '../app.js';
import type { ServiceModel, OperationModel } from '../protocol/model.js';
import type { HttpRequest } from '../protocol/types.js';

/** Who signed the request, as authentication established it. */
export interface Principal {
  /** `root`: the account's root user; `user`: an IAM user; `assumed-role`: an STS role session;
   *  `federated-user`: GetSessionToken credentials act as the user who asked for them (type stays `user`). */
  type: 'root' | 'user' | 'assumed-role' | 'service';
  /** ARN used in denial messages and aws:PrincipalArn (for a role session: the sts assumed-role ARN). */
  arn: string;
  accountId: string;
  /** aws:userid: AIDA… for users, `AROA…:session` for role sessions, the account id for root. */
  userId: string;
  /** aws:username (users only). */
  userName?: string;
  /** For role sessions: the role's name and ARN, and the session name. */
  roleName?: string;
  roleArn?: string;
  sessionName?: string;
  /** Access key that signed the request. */
  accessKeyId: string;
  /** Temporary credentials: the session's own policy documents (JSON text), its tags and MFA flag. */
  sessionPolicies?: string[];
  sessionTags?: Record<string, string>;
  /** Set for temporary credentials made by GetSessionToken (aws:MultiFactorAuthPresent semantics). */
  temporary?: boolean;
  /** For a service principal (Tailor acting as personalize.amazonaws.com): the service name. */
  service?: string;
}

/** Request-context keys beyond those derived from principal and request (service keys, aws:RequestTag/…). */
export type ContextValues = Record<string, string | string[] | boolean | number | undefined>;

/** One authorisation question an operation asks. */
export interface AuthzQuery {
  action: string;
  resource: string;
  context?: ContextValues;
  /** The resource's own policy (bucket policy, key policy, role trust policy), when the resource has one. */
  resourcePolicy?: { text: string; id: string; kind: 'resource' | 'trust' | 'key' };
  /** Tags of the resource, for aws:ResourceTag/… */
  resourceTags?: Record<string, string>;
  /** Account owning the resource (defaults to the caller's). */
  resourceAccount?: string;
  /** Set when a service's own allow-only mechanism (a KMS grant, by id) already allows the request:
   *  then only an explicit deny in a policy can stop it. */
  grantedBy?: string;
}

/** What each stage of the pipeline knows about one request; handlers receive it. */
export interface RequestContext {
  readonly app: App;
  readonly requestId: string;
  readonly request: HttpRequest;
  readonly model: ServiceModel;
  readonly operation: OperationModel;
  readonly principal: Principal;
  readonly region: string;
  readonly accountId: string;
  readonly now: Date;
  /** Throws the service's AccessDenied error unless the policies allow every query. Every operation calls it;
   *  one that AWS lets anyone perform (sts:GetCallerIdentity) calls it with no query. */
  authorize(...queries: AuthzQuery[]): void;
  /** True once authorize() has run for this request; the gateway refuses to answer an operation that never asked. */
  readonly authorized: boolean;
}

export type OperationHandler = (input: any, ctx: RequestContext) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

/** One service's implementation: its model name and a table of operations, each a plain function. */
export interface Provider {
  /** Model file name under models/ (e.g. `iam`). */
  readonly model: string;
  readonly operations: Record<string, OperationHandler>;
}
