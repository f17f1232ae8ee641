// Policy-engine benchmark: decisions per second and per-decision latency on one core, for the issue's
// fixture (a user with 3 attached policies of 5 statements, one with a condition, asking for
// personalize:GetRecommendations) and for a 50-policy worst case. Writes bench/results/policy.json.
import { writeResult } from './stats.js';
import { pathToFileURL } from 'node:url';
import { buildRequestContext, compilePolicy, evaluate, type CompiledPolicy, type EvaluationInput } from '../src/policy/index.js';
import type { Principal } from '../src/gateway/context.js';

export interface BenchFigure {
  fixture: string;
  decision: string;
  decisionsPerSecond: number;
  p50Micros: number;
  p99Micros: number;
}

const ACCOUNT = '111122223333';
const principal: Principal = {
  type: 'user',
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  userId: 'AIDAEXAMPLEALICE0001',
  userName: 'alice',
  accessKeyId: 'AKIAEXAMPLE',
};

const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** Three policies of five statements; the second policy's third statement has a condition. */
function typicalPolicies(): CompiledPolicy[] {
  const p1 = doc([
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::data-bucket/*' },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::data-bucket' },
    { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/*` },
    { Effect: 'Allow', Action: 'iam:GetUser', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` },
    { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
  ]);
  const p2 = doc([
    { Effect: 'Allow', Action: ['personalize:Describe*', 'personalize:List*'], Resource: '*' },
    { Effect: 'Allow', Action: 'personalize:GetRecommendations', Resource: `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/*` },
    { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } } },
    { Effect: 'Allow', Action: 'personalize:PutEvents', Resource: `arn:aws:personalize:us-east-1:${ACCOUNT}:event-tracker/*` },
    { Effect: 'Deny', Action: 'personalize:Delete*', Resource: '*' },
  ]);
  const p3 = doc([
    { Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
    { Effect: 'Allow', Action: ['iam:ListAccessKeys', 'iam:CreateAccessKey'], Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` },
    { Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' },
    { Effect: 'Allow', Action: 'logs:*', Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/tailor/*` },
    { Effect: 'Allow', Action: 'personalize:CreateCampaign', Resource: '*' },
  ]);
  return [p1, p2, p3].map((t, i) => compilePolicy(t, `typical-${i}`, 'identity'));
}

/** Fifty policies whose statements all bear on the action: wildcards, NotAction, conditions, variables. */
function worstCasePolicies(): CompiledPolicy[] {
  const out: CompiledPolicy[] = [];
  for (let i = 0; i < 50; i++) {
    out.push(
      compilePolicy(
        doc([
          { Effect: 'Allow', Action: 'personalize:Get*', Resource: `arn:aws:personalize:*:${ACCOUNT}:campaign/team-${i}-*` },
          { Effect: 'Allow', Action: '*', Resource: `arn:aws:s3:::bucket-${i}/\${aws:username}/*` },
          { Effect: 'Deny', NotAction: ['personalize:*', 's3:*', 'iam:*'], Resource: '*' },
          {
            Effect: 'Deny',
            Action: 'personalize:*',
            Resource: '*',
            Condition: { StringNotEqualsIfExists: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] }, Bool: { 'aws:SecureTransport': 'false' } },
          },
          {
            Effect: 'Allow',
            Action: ['personalize:GetRecommendations', 'personalize:GetPersonalizedRanking'],
            Resource: `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/*`,
            Condition: { StringEquals: { 'aws:PrincipalTag/team': `team-${i}` }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
          },
        ]),
        `worst-${i}`,
        'identity',
      ),
    );
  }
  return out;
}

function measure(fixture: string, input: EvaluationInput, iterations: number): BenchFigure {
  let decision = '';
  for (let i = 0; i < 20_000; i++) decision = evaluate(input).decision;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) evaluate(input);
  const total = Number(process.hrtime.bigint() - start);
  const samples = new Float64Array(Math.min(iterations, 200_000));
  for (let i = 0; i < samples.length; i++) {
    const t0 = process.hrtime.bigint();
    evaluate(input);
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  samples.sort();
  const pct = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] / 1000;
  return {
    fixture,
    decision,
    decisionsPerSecond: Math.round(iterations / (total / 1e9)),
    p50Micros: Number(pct(0.5).toFixed(2)),
    p99Micros: Number(pct(0.99).toFixed(2)),
  };
}

export function run(iterations = 1_000_000): BenchFigure[] {
  const resource = `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/team-7-movies`;
  const context = buildRequestContext({
    principal,
    principalTags: { team: 'team-7' },
    sourceIp: '10.1.2.3',
    secureTransport: true,
    region: 'us-east-1',
    now: new Date(),
  });
  const base = { principal, action: 'personalize:GetRecommendations', resource, context, resourceAccount: ACCOUNT };
  return [
    measure('3 policies x 5 statements', { ...base, identity: typicalPolicies() }, iterations),
    measure('50 policies (worst case)', { ...base, identity: worstCasePolicies() }, Math.max(1, Math.floor(iterations / 10))),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = run();
  console.table(figures);
  writeResult('policy', { node: process.version, figures });
}
