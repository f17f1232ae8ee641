import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient, CreateUserCommand, ListUsersCommand, GetPolicyVersionCommand, CreatePolicyCommand,
  SimulatePrincipalPolicyCommand, GetUserCommand, DeleteUserCommand,
} from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AwsError } from '../shared/aws-error.js';
import { awsQueryCodec as codec } from './aws-query.js';
import { loadModel } from './model.js';
import { capture, replay } from './sdk-oracle.js';
import type { HttpRequest } from './types.js';

const iam = loadModel('iam');
const sts = loadModel('sts');
const RID = '7a62c49f-347e-4fc4-9331-6e8eEXAMPLE';

/** SDK input → wire → our parser: the parsed input must equal what the caller passed. */
async function roundTripInput(Client: any, command: any, model = iam) {
  const req = await capture(Client, command);
  const op = codec.resolveOperation(req, model);
  assert.equal(op?.name, command.constructor.name.replace(/Command$/, ''));
  assert.deepEqual(codec.parse(req, op!, model), command.input);
}

/** Our serialised output → SDK: the SDK must read back what the handler returned. */
async function roundTripOutput(Client: any, command: any, output: Record<string, unknown>, model = iam) {
  const op = model.operations.get(command.constructor.name.replace(/Command$/, ''))!;
  const res = codec.serialize(output, op, model, RID);
  const { output: got, error } = await replay(Client, command, res);
  assert.equal(error, undefined, String(error));
  const { $metadata, ...rest } = got!;
  assert.equal($metadata.requestId, RID);
  assert.deepEqual(rest, output);
}

const form = (body: string, headers: Record<string, string> = {}): HttpRequest => ({
  method: 'POST', path: '/', rawQuery: '', query: [], sourceIp: '127.0.0.1', secure: false,
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers }, body: Buffer.from(body),
});

test('IAM requests built by the SDK parse back to the command input', async () => {
  await roundTripInput(IAMClient, new CreateUserCommand({
    UserName: 'alice', Path: '/eng/', PermissionsBoundary: 'arn:aws:iam::123456789012:policy/b',
    Tags: [{ Key: 'team', Value: 'a&b=c d' }, { Key: 'ünï', Value: '' }],
  }));
  await roundTripInput(IAMClient, new CreateUserCommand({ UserName: 'bob', Tags: [] }));
  await roundTripInput(IAMClient, new ListUsersCommand({ PathPrefix: '/eng/', MaxItems: 10, Marker: 'abc+/=' }));
  await roundTripInput(IAMClient, new GetPolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/X', VersionId: 'v2' }));
  await roundTripInput(IAMClient, new CreatePolicyCommand({
    PolicyName: 'p', Description: 'd', Path: '/',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
    Tags: [{ Key: 'k', Value: 'v' }],
  }));
  await roundTripInput(IAMClient, new SimulatePrincipalPolicyCommand({
    PolicySourceArn: 'arn:aws:iam::123456789012:user/alice',
    ActionNames: ['s3:GetObject', 's3:PutObject'],
    ResourceArns: ['arn:aws:s3:::b/*'],
    CallerArn: 'arn:aws:iam::123456789012:user/alice',
    ContextEntries: [
      { ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ip', ContextKeyValues: ['10.0.0.1'] },
      { ContextKeyName: 'aws:TagKeys', ContextKeyType: 'stringList', ContextKeyValues: ['a', 'b'] },
    ],
    MaxItems: 5,
  }));
});

test('STS requests built by the SDK parse back to the command input', async () => {
  await roundTripInput(STSClient, new AssumeRoleCommand({
    RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 's', DurationSeconds: 900,
    PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
    Policy: '{"Version":"2012-10-17"}',
    Tags: [{ Key: 'project', Value: 'x' }], TransitiveTagKeys: ['project'], ExternalId: 'e',
  }), sts);
  await roundTripInput(STSClient, new GetCallerIdentityCommand({}), sts);
});

test('our IAM and STS responses read back through the SDK', async () => {
  const created = new Date('2024-01-01T00:00:00Z');
  await roundTripOutput(IAMClient, new CreateUserCommand({ UserName: 'alice' }), {
    User: {
      Path: '/', UserName: 'alice', UserId: 'AIDAEXAMPLE', Arn: 'arn:aws:iam::123456789012:user/alice', CreateDate: created,
      Tags: [{ Key: 'k', Value: '<&>"\'' }],
    },
  });
  await roundTripOutput(IAMClient, new ListUsersCommand({}), { Users: [], IsTruncated: false });
  await roundTripOutput(IAMClient, new ListUsersCommand({}), {
    Users: [{ Path: '/', UserName: 'a', UserId: 'AIDA1', Arn: 'arn:aws:iam::1:user/a', CreateDate: new Date('2024-05-06T07:08:09.123Z') }],
    IsTruncated: true, Marker: 'next',
  });
  await roundTripOutput(IAMClient, new GetPolicyVersionCommand({ PolicyArn: 'a', VersionId: 'v1' }), {
    PolicyVersion: { Document: '%7B%7D', VersionId: 'v1', IsDefaultVersion: true, CreateDate: created },
  });
  await roundTripOutput(IAMClient, new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'a', ActionNames: ['s3:GetObject'] }), {
    EvaluationResults: [{
      EvalActionName: 's3:GetObject', EvalResourceName: '*', EvalDecision: 'allowed',
      MatchedStatements: [{ SourcePolicyId: 'p', SourcePolicyType: 'user', StartPosition: { Line: 1, Column: 2 }, EndPosition: { Line: 3, Column: 4 } }],
      MissingContextValues: [], EvalDecisionDetails: { IAM: 'allowed', PermissionsBoundaryPolicy: 'implicitDeny' },
    }],
    IsTruncated: false,
  });
  await roundTripOutput(STSClient, new AssumeRoleCommand({ RoleArn: 'a', RoleSessionName: 's' }), {
    Credentials: { AccessKeyId: 'ASIA1', SecretAccessKey: 'secret', SessionToken: 'tok', Expiration: new Date('2024-01-01T01:00:00Z') },
    AssumedRoleUser: { AssumedRoleId: 'AROA1:s', Arn: 'arn:aws:sts::1:assumed-role/r/s' },
    PackedPolicySize: 6, SourceIdentity: 'me',
  }, sts);
});

test('operations without output answer with ResponseMetadata only', async () => {
  const op = iam.operations.get('DeleteUser')!;
  const res = codec.serialize({}, op, iam, RID);
  assert.equal(res.body, `<DeleteUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>${RID}</RequestId></ResponseMetadata></DeleteUserResponse>`);
  const { output, error } = await replay(IAMClient, new DeleteUserCommand({ UserName: 'a' }), res);
  assert.equal(error, undefined);
  assert.equal(output!.$metadata.httpStatusCode, 200);
});

test('errors surface in the SDK with their code, message and status', async () => {
  const res = codec.serializeError(new AwsError('NoSuchEntity', 'The user with name bob cannot be found.', 404), iam, RID);
  assert.equal(res.status, 404);
  assert.equal(res.headers['content-type'], 'text/xml');
  const { error } = await replay(IAMClient, new GetUserCommand({ UserName: 'bob' }), res);
  assert.equal(error!.name, 'NoSuchEntityException');
  assert.equal(error!.message, 'The user with name bob cannot be found.');
  assert.equal(error!.Error.Code, 'NoSuchEntity');
  assert.equal(error!.Error.Type, 'Sender');
  assert.equal(error!.$metadata.httpStatusCode, 404);
  assert.equal(error!.$metadata.requestId, RID);

  const unmodeled = codec.serializeError(new AwsError('ValidationError', '1 validation error detected: x', 400), sts, RID);
  const r2 = await replay(STSClient, new GetCallerIdentityCommand({}), unmodeled);
  assert.equal(r2.error!.name, 'ValidationError');
  assert.equal(r2.error!.message, '1 validation error detected: x');

  const server = codec.serializeError(new AwsError('ServiceFailure', 'boom', 500, 'server'), iam, RID);
  assert.match(String(server.body), /<Type>Receiver<\/Type>/);
});

test('unknown, missing and mis-versioned actions', () => {
  const unknown = form('Action=CreateUsers&Version=2010-05-08');
  assert.equal(codec.resolveOperation(unknown, iam), undefined);
  const e1 = codec.unknownOperation(unknown, iam);
  assert.deepEqual([e1.code, e1.status, e1.message], ['InvalidAction', 400, 'Could not find operation CreateUsers for version 2010-05-08']);
  const missing = form('UserName=a');
  assert.equal(codec.resolveOperation(missing, iam), undefined);
  assert.equal(codec.unknownOperation(missing, iam).code, 'MissingAction');
  const wrongVersion = form('Action=CreateUser&Version=2011-06-15&UserName=a');
  assert.equal(codec.resolveOperation(wrongVersion, iam), undefined);
  assert.equal(codec.unknownOperation(wrongVersion, iam).message, 'Could not find operation CreateUser for version 2011-06-15');
});

test('GET requests carry their parameters in the query string', () => {
  const req: HttpRequest = {
    method: 'GET', path: '/', rawQuery: '', sourceIp: '', secure: false, headers: {}, body: Buffer.alloc(0),
    query: [['Action', 'ListUsers'], ['Version', '2010-05-08'], ['MaxItems', '3']],
  };
  const op = codec.resolveOperation(req, iam)!;
  assert.deepEqual(codec.parse(req, op, iam), { MaxItems: 3 });
});

test('unknown parameters are ignored; malformed scalars are MalformedInput', () => {
  const req = form('Action=ListUsers&Version=2010-05-08&Bogus=1&PathPrefix=%2F&Marker=%E0%A4%A');
  assert.deepEqual(codec.parse(req, iam.operations.get('ListUsers')!, iam), { PathPrefix: '/', Marker: '\uFFFD%A' });
  for (const bad of ['MaxItems=abc', 'MaxItems=1.5', 'MaxItems=99999999999']) {
    const r = form(`Action=ListUsers&Version=2010-05-08&${bad}`);
    assert.throws(() => codec.parse(r, iam.operations.get('ListUsers')!, iam), (e: unknown) => e instanceof AwsError && e.code === 'MalformedInput' && e.status === 400);
  }
});

test('list positions are read in numeric order and gaps are tolerated', () => {
  const req = form('Action=CreateUser&Version=2010-05-08&UserName=u&Tags.member.10.Key=j&Tags.member.10.Value=10&Tags.member.2.Key=b&Tags.member.2.Value=2');
  assert.deepEqual(codec.parse(req, iam.operations.get('CreateUser')!, iam), {
    UserName: 'u', Tags: [{ Key: 'b', Value: '2' }, { Key: 'j', Value: '10' }],
  });
});
