// What the checks are about (the stored user, role and bucket) and who asks: the user, the service
// principal, and the role's session as the service holds it while running a job.
import type { App } from '../app.js';
import type { Principal } from '../gateway/context.js';
import type { SetupCheck, SetupInput } from './check.js';
import { KIND as IAM, lower, type EntityType, type InlinePolicyDoc, type RoleDoc, type UserDoc } from '../services/iam/schema.js';
import { KIND as S3, type BucketDoc } from '../services/s3/schema.js';
import { arnOf, type ResourceType } from '../services/personalize/arns.js';
import type { Deciding } from './judge.js';

/** The name resources of the checked flow get in the ARNs the checks ask about. */
const NAME = 'setup-check';

export interface Setup {
  readonly app: App;
  readonly accountId: string;
  readonly region: string;
  readonly now: Date;
  readonly input: SetupInput;
  readonly user?: UserDoc;
  readonly role?: RoleDoc;
  readonly bucket?: BucketDoc;
}

/** A name, or the name at the end of an IAM ARN. */
const nameOf = (s: string) => (s.startsWith('arn:') ? s.slice(s.lastIndexOf('/') + 1) : s);

export function gather(app: App, input: SetupInput): Setup {
  const { store } = app;
  const bucket = store.get<BucketDoc>(S3.bucket, input.bucket.replace(/^s3:\/\//, '').replace(/\/.*$/, ''));
  return {
    app,
    accountId: app.config.accountId,
    region: bucket?.Region ?? 'us-east-1',
    now: app.now(),
    input,
    user: store.get<UserDoc>(IAM.user, lower(nameOf(input.user))),
    role: store.get<RoleDoc>(IAM.role, lower(nameOf(input.role))),
    bucket,
  };
}

/** The ARN of a resource of the checked flow (`…:dataset-group/setup-check`). */
export function flowArn(s: Setup, type: ResourceType, accountId = s.accountId): string {
  return arnOf({ region: s.region, accountId }, type, type === 'dataset' ? `${NAME}/INTERACTIONS` : NAME);
}

export const userPrincipal = (u: UserDoc, accountId: string): Principal =>
  ({ type: 'user', arn: u.Arn, accountId, userId: u.UserId, userName: u.UserName, accessKeyId: '' });

export { servicePrincipal, roleSessionPrincipal as roleSession } from '../services/personalize/service-role.js';

/** The document of an inline policy, when the entity has one by that name. */
export function inlineText(s: Setup, type: EntityType, entity: string, policyName: string): string | undefined {
  return s.app.store.get<InlinePolicyDoc>(IAM.inlinePolicy, `${type}|${lower(entity)}|${policyName}`)?.PolicyDocument;
}

/** A SetupCheck with only the fields that have values. */
export function outcome(
  step: SetupCheck['step'], title: string, passed: boolean, detail: string,
  deciding?: Deciding, fix?: SetupCheck['fix'],
): SetupCheck {
  return { step, title, passed, detail, ...(deciding ? { deciding } : {}), ...(fix ? { fix } : {}) };
}
