// Steps 4 and 5: Personalize can read the data (as the role's session, the way import jobs given a role
// read, and as the service itself through the bucket policy, the way jobs without a role read and AWS's
// guide asks), and the role and the service can use the KMS key (key policy, grants, key state).
import type { SetupCheck } from './check.js';
import { ACTION, bucketQuery, type S3Caller } from '../services/s3/actions.js';
import { authorizeChecks, grantableCheck } from '../services/kms/authz.js';
import { ALGORITHM } from '../services/kms/crypto.js';
import type { KmsCaller } from '../services/kms/caller.js';
import { findAlias, loadKey, resolveKey } from '../services/kms/lookup.js';
import type { KeyDoc } from '../services/kms/schema.js';
import { isAwsError } from '../shared/aws-error.js';
import { Judge, fixable, type Verdict } from './judge.js';
import { SERVICE, adding, bucketAllowsRole, personalizeUsesKey as keyStatement, roleReadsBucket, serviceReadsBucket } from './fixes.js';
import { flowArn, inlineText, outcome, roleSession, servicePrincipal, type Setup } from './subjects.js';

/** The judge for the service itself: its requests carry the account and the job they are for, over TLS. */
const serviceJudge = (s: Setup, region: string, sourceArn: string) => new Judge(s.app, servicePrincipal(s.accountId), region, s.now,
  { secure: true, context: { 'aws:SourceAccount': s.accountId, 'aws:SourceArn': sourceArn } });

const roleJudge = (s: Setup, region: string) => s.role && new Judge(s.app, roleSession(s.role, s.accountId), region, s.now, { secure: true });

const firstRefused = (j: Judge | undefined) => j?.verdicts.find((v) => !v.allowed);

const TITLE_4 = 'Personalize can read the data in the bucket';
export function personalizeReadsBucket(s: Setup): SetupCheck {
  const { bucket, role } = s;
  if (!bucket) return outcome(4, TITLE_4, false, `There is no bucket named ${s.input.bucket}.`);
  const where = `s3://${bucket.Name}`;
  const asRole = roleJudge(s, s.region);
  const asService = serviceJudge(s, s.region, flowArn(s, 'dataset-import-job'));
  for (const judge of [asRole, asService]) {
    if (!judge) continue;
    // The questions S3's read path asks for a file (any key) and for a folder listing.
    const caller: S3Caller = { app: s.app, region: s.region, now: s.now, principal: judge.principal, authorize: judge.authorize };
    judge.authorize(bucketQuery(caller, bucket, ACTION.GetObject, '*'), bucketQuery(caller, bucket, ACTION.ListObjectsV2, undefined, { 's3:prefix': '' }));
  }
  const roleRefused = firstRefused(asRole);
  const serviceRefused = firstRefused(asService);
  if (role && !roleRefused && !serviceRefused) {
    return outcome(4, TITLE_4, true,
      `Role ${role.RoleName} may s3:GetObject and s3:ListBucket on ${where}, and the bucket policy lets ${SERVICE} do the same.`,
      asRole!.deciding(asRole!.verdicts[0]));
  }
  const problems: string[] = [];
  if (!role) problems.push(`there is no IAM role named ${s.input.role}`);
  if (roleRefused) problems.push(`as role ${role!.RoleName}: ${asRole!.message(roleRefused)}`);
  if (serviceRefused) problems.push(`the bucket policy does not let ${SERVICE} read it: ${asService.message(serviceRefused)}`);
  const refused = [roleRefused, serviceRefused].filter((v): v is Verdict => v !== undefined);
  let fix: SetupCheck['fix'];
  if (refused.length && refused.every(fixable)) {
    fix = serviceRefused
      ? { target: `bucket policy of ${where}`, json: adding(bucket.Policy, serviceReadsBucket(bucket.Name), ...(roleRefused ? [bucketAllowsRole(bucket.Name, role!.Arn)] : [])) }
      : { target: `inline policy PersonalizeS3Access of role ${role!.RoleName}`, json: adding(inlineText(s, 'role', role!.RoleName, 'PersonalizeS3Access'), roleReadsBucket(bucket.Name)) };
  }
  const deciding = refused.map((v) => (v === roleRefused ? asRole! : asService).deciding(v)).find((d) => d !== undefined);
  return outcome(4, TITLE_4, false, `Personalize cannot read ${where}: ${problems.join('; ')}.`, deciding, fix);
}

const KEY_ARN_REGION = /^arn:aws:kms:([^:]+):/;

/** The key `id` names, read from the store only (no AWS managed key is created by looking). */
function findKey(s: Setup, id: string): KeyDoc | undefined {
  const region = KEY_ARN_REGION.exec(id)?.[1] ?? s.region;
  const caller: KmsCaller = { principal: servicePrincipal(s.accountId), region, now: s.now, authorize: () => {} };
  try {
    if (id.startsWith('alias/') || /^arn:aws:kms:[^:]+:\d{12}:alias\//.test(id)) {
      const alias = findAlias(s.app, caller, id);
      return loadKey(s.app, alias.AccountId, alias.Region, alias.TargetKeyId);
    }
    return resolveKey(s.app, caller, id, { aliases: false }).key;
  } catch (e) {
    if (isAwsError(e)) return undefined;
    throw e;
  }
}

const TITLE_5 = 'Personalize and the role can use the KMS key';
export function personalizeUsesKey(s: Setup, id: string): SetupCheck {
  const key = findKey(s, id);
  if (!key) return outcome(5, TITLE_5, false, `There is no KMS key ${id} in account ${s.accountId}.`);
  if (key.KeyState !== 'Enabled') {
    const fix = key.KeyState === 'Disabled' ? { target: `EnableKey request for key ${key.Arn}`, json: JSON.stringify({ KeyId: key.Arn }) } : undefined;
    return outcome(5, TITLE_5, false, `The KMS key ${key.Arn} is ${key.KeyState}: Personalize cannot use it.`, undefined, fix);
  }
  const { role } = s;
  const algorithm = { 'kms:EncryptionAlgorithm': ALGORITHM };
  // The role's session uses the key through Personalize for a dataset group's data keys (the job path).
  const asRole = roleJudge(s, key.Region);
  if (asRole) {
    const caller: KmsCaller = { principal: asRole.principal, region: key.Region, now: s.now, authorize: asRole.authorize, viaService: `personalize.${key.Region}.amazonaws.com` };
    authorizeChecks(s.app, caller, grantableCheck(key, 'GenerateDataKey', algorithm), grantableCheck(key, 'Decrypt', algorithm));
  }
  // The service itself, as the guide's key policy allows it.
  const asService = serviceJudge(s, key.Region, flowArn(s, 'dataset-group'));
  const serviceCaller: KmsCaller = { principal: asService.principal, region: key.Region, now: s.now, authorize: asService.authorize };
  authorizeChecks(s.app, serviceCaller, grantableCheck(key, 'GenerateDataKey', algorithm), grantableCheck(key, 'Decrypt', algorithm),
    grantableCheck(key, 'DescribeKey'));

  const roleRefused = firstRefused(asRole);
  const serviceRefused = firstRefused(asService);
  if (role && !roleRefused && !serviceRefused) {
    return outcome(5, TITLE_5, true,
      `Role ${role.RoleName} (through Personalize) may kms:GenerateDataKey and kms:Decrypt with ${key.Arn}, ${SERVICE} may also kms:DescribeKey, and the key is enabled.`,
      asRole!.deciding(asRole!.verdicts[0]));
  }
  const problems: string[] = [];
  if (!role) problems.push(`there is no IAM role named ${s.input.role}`);
  if (roleRefused) problems.push(`as role ${role!.RoleName}: ${asRole!.message(roleRefused)}`);
  if (serviceRefused) problems.push(asService.message(serviceRefused));
  const refused = [roleRefused, serviceRefused].filter((v): v is Verdict => v !== undefined);
  const fix = refused.length && refused.every(fixable) ? { target: `key policy of ${key.Arn}`, json: adding(key.Policy, keyStatement(role?.Arn)) } : undefined;
  const deciding = refused.map((v) => (v === roleRefused ? asRole! : asService).deciding(v)).find((d) => d !== undefined);
  return outcome(5, TITLE_5, false, `Personalize cannot use ${key.Arn}: ${problems.join('; ')}.`, deciding, fix);
}
