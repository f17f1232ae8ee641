// The seed's steps with boto3 (Debian's python3-boto3) against a live server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTailor, python, PYTHON, ROOT, ACCOUNT, SEED_POLICY, PERSONALIZE_TRUST } from './support.js';

let tailor: Awaited<ReturnType<typeof startTailor>>;
before(async () => {
  tailor = await startTailor();
});
after(async () => {
  await tailor?.stop();
});

test('boto3: seed policy, user, group, role, own key, AccessDenied as AWS words it', { skip: PYTHON ? false : 'boto3 is not installed (.ci/run installs python3-boto3)' }, async () => {
  const script = `
import json, os, boto3, botocore
endpoint = os.environ['AWS_ENDPOINT_URL']  # Debian's boto3 predates AWS_ENDPOINT_URL
iam = boto3.client('iam', endpoint_url=endpoint)
arn = iam.create_policy(PolicyName='PersonalizeSeed', PolicyDocument=${JSON.stringify(SEED_POLICY)})['Policy']['Arn']
iam.create_user(UserName='alice')
iam.attach_user_policy(UserName='alice', PolicyArn=arn)
iam.create_group(GroupName='personalize-users')
iam.attach_group_policy(GroupName='personalize-users', PolicyArn=arn)
iam.add_user_to_group(GroupName='personalize-users', UserName='alice')
iam.attach_user_policy(UserName='alice', PolicyArn='arn:aws:iam::aws:policy/CloudWatchFullAccess')
role = iam.create_role(RoleName='PersonalizeRole', AssumeRolePolicyDocument=${JSON.stringify(PERSONALIZE_TRUST)})['Role']
key = iam.create_access_key(UserName='alice')['AccessKey']
session = boto3.session.Session(aws_access_key_id=key['AccessKeyId'], aws_secret_access_key=key['SecretAccessKey'], region_name='us-east-1')
who = session.client('sts', endpoint_url=endpoint).get_caller_identity()
try:
    session.client('iam', endpoint_url=endpoint).create_user(UserName='bob')
    denied = None
except botocore.exceptions.ClientError as e:
    denied = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps({'arn': arn, 'role': role['Arn'], 'trust': role['AssumeRolePolicyDocument'], 'who': who['Arn'], 'denied': denied}))
`;
  const r = await python(tailor.url, ROOT, script);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.out.arn, `arn:aws:iam::${ACCOUNT}:policy/PersonalizeSeed`);
  assert.equal(r.out.role, `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole`);
  assert.deepEqual(r.out.trust, JSON.parse(PERSONALIZE_TRUST));
  assert.equal(r.out.who, `arn:aws:iam::${ACCOUNT}:user/alice`);
  assert.deepEqual(r.out.denied, ['AccessDenied',
    `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/bob because no identity-based policy allows the iam:CreateUser action`, 403]);
});
