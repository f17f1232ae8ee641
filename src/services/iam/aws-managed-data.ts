// AWS managed policies Tailor knows, as AWS publishes them (AWS Managed Policy Reference and recorded
// GetPolicy/GetPolicyVersion answers). Only the default version of each is kept.
// Where the reference gives a time only to the minute, the seconds read :00.

export interface AwsManagedPolicyData {
  PolicyName: string;
  PolicyId: string;
  Path: string;
  Description: string;
  DefaultVersionId: string;
  CreateDate: string;
  /** When the default version was created (AWS's UpdateDate). */
  UpdateDate: string;
  Document: object;
}

const allowAll = (Action: string | string[], Resource: string | string[] = '*', extra: object = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });

export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicyData[] = [
  {
    PolicyName: 'AdministratorAccess', PolicyId: 'ANPAIWMBCKSKIEE64ZLYK', Path: '/',
    Description: 'Provides full access to AWS services and resources.',
    DefaultVersionId: 'v1', CreateDate: '2015-02-06T18:39:46Z', UpdateDate: '2015-02-06T18:39:46Z',
    Document: { Version: '2012-10-17', Statement: [allowAll('*')] },
  },
  {
    PolicyName: 'IAMFullAccess', PolicyId: 'ANPAI7XKCFMBPM3QQRRVQ', Path: '/',
    Description: 'Provides full access to IAM via the AWS Management Console.',
    DefaultVersionId: 'v2', CreateDate: '2015-02-06T18:40:00Z', UpdateDate: '2019-06-21T19:40:00Z',
    Document: {
      Version: '2012-10-17',
      Statement: [allowAll([
        'iam:*', 'organizations:DescribeAccount', 'organizations:DescribeOrganization', 'organizations:DescribeOrganizationalUnit',
        'organizations:DescribePolicy', 'organizations:ListChildren', 'organizations:ListParents', 'organizations:ListPoliciesForTarget',
        'organizations:ListRoots', 'organizations:ListPolicies', 'organizations:ListTargetsForPolicy',
      ])],
    },
  },
  {
    // AWS's v133 lists several thousand read actions across every service in three statements; this copy keeps the
    // entries for the services Tailor serves (IAM, KMS, Personalize, S3), in their statements, so the policy grants
    // here exactly what it grants in AWS for those services.
    PolicyName: 'ReadOnlyAccess', PolicyId: 'ANPAILL3HVNFSB6DCOWYQ', Path: '/',
    Description: 'Provides read-only access to AWS services and resources.',
    DefaultVersionId: 'v133', CreateDate: '2015-02-06T18:39:00Z', UpdateDate: '2025-09-12T16:34:07Z',
    Document: {
      Version: '2012-10-17',
      Statement: [
        allowAll(['iam:Generate*', 'iam:Get*', 'iam:List*', 'iam:Simulate*'], '*', { Sid: 'ReadOnlyActionsGroup1' }),
        allowAll([
          'kms:Describe*', 'kms:Get*', 'kms:List*', 'personalize:Describe*', 'personalize:Get*', 'personalize:List*',
          's3:DescribeJob', 's3:Get*', 's3:List*',
        ], '*', { Sid: 'ReadOnlyActionsGroup2' }),
      ],
    },
  },
  {
    PolicyName: 'AmazonS3FullAccess', PolicyId: 'ANPAIFIR6V6BVTRAHWINE', Path: '/',
    Description: 'Provides full access to all buckets via the AWS Management Console.',
    DefaultVersionId: 'v2', CreateDate: '2015-02-06T18:40:58Z', UpdateDate: '2021-09-27T20:16:37Z',
    Document: { Version: '2012-10-17', Statement: [allowAll(['s3:*', 's3-object-lambda:*'])] },
  },
  {
    PolicyName: 'AmazonS3ReadOnlyAccess', PolicyId: 'ANPAIZTJ4DXE7G6AGAE6M', Path: '/',
    Description: 'Provides read only access to all buckets via the AWS Management Console.',
    DefaultVersionId: 'v3', CreateDate: '2015-02-06T18:40:59Z', UpdateDate: '2023-08-10T21:31:39Z',
    Document: {
      Version: '2012-10-17',
      Statement: [allowAll(['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'])],
    },
  },
  {
    PolicyName: 'CloudWatchFullAccess', PolicyId: 'ANPAIKEABORKUXN6DEAZU', Path: '/',
    Description: 'Provides full access to CloudWatch.',
    DefaultVersionId: 'v4', CreateDate: '2015-02-06T18:40:00Z', UpdateDate: '2022-11-27T13:23:49Z',
    Document: {
      Version: '2012-10-17',
      Statement: [
        allowAll(['autoscaling:Describe*', 'cloudwatch:*', 'logs:*', 'sns:*', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetRole', 'oam:ListSinks']),
        allowAll('iam:CreateServiceLinkedRole', 'arn:aws:iam::*:role/aws-service-role/events.amazonaws.com/AWSServiceRoleForCloudWatchEvents*', {
          Condition: { StringLike: { 'iam:AWSServiceName': 'events.amazonaws.com' } },
        }),
        allowAll(['oam:ListAttachedLinks'], 'arn:aws:oam:*:*:sink/*'),
      ],
    },
  },
  {
    PolicyName: 'CloudWatchReadOnlyAccess', PolicyId: 'ANPAJN23PDQP7SZQAE3QE', Path: '/',
    Description: 'Provides read only access to CloudWatch.',
    DefaultVersionId: 'v24', CreateDate: '2015-02-06T18:40:00Z', UpdateDate: '2026-02-12T18:01:50Z',
    Document: {
      Version: '2012-10-17',
      Statement: [
        allowAll([
          'application-autoscaling:DescribeScalingPolicies', 'application-signals:BatchGet*', 'application-signals:Get*',
          'application-signals:List*', 'autoscaling:Describe*', 'cloudtrail:ListChannels', 'cloudwatch:BatchGet*', 'cloudwatch:Describe*',
          'cloudwatch:GenerateQuery', 'cloudwatch:Get*', 'cloudwatch:List*', 'logs:Get*', 'logs:List*', 'logs:StartQuery', 'logs:StopQuery',
          'logs:Describe*', 'logs:TestMetricFilter', 'logs:FilterLogEvents', 'logs:StartLiveTail', 'logs:StopLiveTail', 'oam:ListSinks',
          'observabilityadmin:GetCentralizationRuleForOrganization', 'observabilityadmin:ListCentralizationRulesForOrganization',
          'observabilityadmin:GetTelemetryEvaluationStatus', 'observabilityadmin:GetTelemetryEvaluationStatusForOrganization',
          'observabilityadmin:GetTelemetryRule', 'observabilityadmin:GetTelemetryRuleForOrganization', 'observabilityadmin:ListResourceTelemetry',
          'observabilityadmin:ListResourceTelemetryForOrganization', 'observabilityadmin:ListTelemetryRules',
          'observabilityadmin:ListTelemetryRulesForOrganization', 'observabilityadmin:GetTelemetryEnrichmentStatus',
          'observabilityadmin:ListTagsForResource', 'observabilityadmin:GetTelemetryPipeline', 'observabilityadmin:ListTelemetryPipelines',
          'observabilityadmin:TestTelemetryPipeline', 'observabilityadmin:ValidateTelemetryPipelineConfiguration',
          'observabilityadmin:GetS3TableIntegration', 'observabilityadmin:ListS3TableIntegrations', 'sns:Get*', 'sns:List*', 'rum:BatchGet*',
          'rum:Get*', 'rum:List*', 'synthetics:Describe*', 'synthetics:Get*', 'synthetics:List*', 'xray:BatchGet*', 'xray:Get*', 'xray:List*',
          'xray:StartTraceRetrieval', 'xray:CancelTraceRetrieval',
        ], '*', { Sid: 'CloudWatchReadOnlyAccessPermissions' }),
        allowAll(['oam:ListAttachedLinks'], 'arn:aws:oam:*:*:sink/*', { Sid: 'OAMReadPermissions' }),
        allowAll(['iam:GetRole'], 'arn:aws:iam::*:role/aws-service-role/application-signals.cloudwatch.amazonaws.com/AWSServiceRoleForCloudWatchApplicationSignals', {
          Sid: 'CloudWatchReadOnlyGetRolePermissions',
        }),
        allowAll(['cloudtrail:GetChannel'], 'arn:aws:cloudtrail:*:*:channel/aws-service-channel/application-signals/*', { Sid: 'CloudWatchCloudTrailPermissions' }),
        allowAll(['servicequotas:GetServiceQuota'], [
          'arn:aws:servicequotas:*:*:s3/*', 'arn:aws:servicequotas:*:*:dynamodb/*', 'arn:aws:servicequotas:*:*:kinesis/*',
          'arn:aws:servicequotas:*:*:sns/*', 'arn:aws:servicequotas:*:*:bedrock/*', 'arn:aws:servicequotas:*:*:lambda/*',
          'arn:aws:servicequotas:*:*:fargate/*', 'arn:aws:servicequotas:*:*:elasticloadbalancing/*', 'arn:aws:servicequotas:*:*:ec2/*',
        ], { Sid: 'CloudWatchServiceQuotaPermissions' }),
        allowAll(['resource-explorer-2:ListIndexes', 'resource-explorer-2:Search'], [
          'arn:aws:resource-explorer-2:*::view/AWSServiceViewForApplicationSignals/service-view',
          'arn:aws:resource-explorer-2:*::view/AWSServiceViewForApplicationSignalsOrgScopeProd/service-view',
        ], { Sid: 'CloudWatchResourceExplorerPermissions' }),
      ],
    },
  },
  {
    // AWS keeps this one under /service-role/. Its PolicyId is not published anywhere we could read; this id is
    // Tailor's own, in AWS's format.
    PolicyName: 'AmazonPersonalizeFullAccess', PolicyId: 'ANPATAILORPERSONALIZE', Path: '/service-role/',
    Description: 'Provides full access to Amazon Personalize via the AWS Management Console and SDK. Also provides select access to related services (e.g., S3, CloudWatch).',
    DefaultVersionId: 'v2', CreateDate: '2018-12-04T22:24:00Z', UpdateDate: '2019-05-30T23:46:59Z',
    Document: {
      Version: '2012-10-17',
      Statement: [
        allowAll(['personalize:*']),
        allowAll(['cloudwatch:PutMetricData', 'cloudwatch:ListMetrics']),
        allowAll(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'], ['arn:aws:s3:::*Personalize*', 'arn:aws:s3:::*personalize*']),
        allowAll(['iam:PassRole'], '*', { Condition: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } } }),
      ],
    },
  },
];
