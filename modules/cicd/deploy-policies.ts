import { PolicyStatement } from '../core/iam';

/**
 * The IAM statements of the GitHub deploy roles and their permissions boundary, as data: the
 * construct (`GithubOidcDeployRole`) renders them, tests evaluate them. Everything is derived from
 * the resource types this platform creates (`cdk.tf.json` of every stack): VPC and EC2, EKS, IAM
 * roles and the cluster's OIDC provider, KMS, CloudWatch Logs and alarms, SNS, S3, CloudFront, WAF,
 * ACM, RDS (with its RDS-managed master secret), Secrets Manager (the application user's secret,
 * whose value no deploy role ever reads) and ECR.
 */
export interface DeployScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** Every name the platform gives starts with one of these and `-` (roles, buckets, log groups, alarms...). */
  readonly namePrefixes: string[];
  /** EKS cluster names (also the first part of their log groups and role names). */
  readonly clusterNames: string[];
  /** Buckets whose names do not start with a prefix (configured names). */
  readonly bucketNames: string[];
  /** ARN of the permissions boundary every role the apply role creates must carry. */
  readonly boundaryArn: string;
  readonly stateBucketArn: string;
  readonly stateKmsKeyArn: string;
  /**
   * CodeConnections connections of the environment's CodeBuild GitHub runner: with any, the apply role
   * manages CodeBuild projects under the environment's names and passes these connections to CodeBuild,
   * and the plan role reads those projects. @default none (no CodeBuild access)
   */
  readonly codeConnectionArns?: readonly string[];
}

/** CloudFront, its WAF web ACL, certificate and log group live in us-east-1 (or the region, outside `aws`). */
export function edgeRegion(partition: string, region: string): string {
  return partition === 'aws' ? 'us-east-1' : region;
}

/** Host of the EKS OIDC issuers of a region: the only OIDC providers the deploy roles may create. */
export function eksIssuerHost(partition: string, region: string): string {
  return `oidc.eks.${region}.amazonaws.com${partition === 'aws-cn' ? '.cn' : ''}`;
}

/**
 * Services the platform's own roles (nodes, control plane, add-ons, flow logs, bastion, the
 * applications' secret readers) use: the boundary lets them through. The AWS Load Balancer Controller
 * adds acm, cognito-idp, iam, shield, waf-regional and wafv2 (certificate discovery, ALB
 * authentication, WAF and Shield annotations, its service-linked role); the secret readers
 * secretsmanager and kms. Tests check every add-on and secret-reader statement against the boundary.
 */
export const WORKLOAD_SERVICES = [
  'acm', 'autoscaling', 'cloudwatch', 'cognito-idp', 'ec2', 'ec2messages', 'ecr', 'eks', 'eks-auth', 'elasticloadbalancing', 'iam', 'kms', 'logs', 's3',
  'secretsmanager', 'shield', 'ssm', 'ssmmessages', 'waf-regional', 'wafv2', 'xray',
] as const;

/** Service-linked roles AWS creates on first use of what this platform deploys (never bounded: AWS owns them). */
export const SERVICE_LINKED_ROLE_SERVICES = [
  'autoscaling.amazonaws.com', 'eks.amazonaws.com', 'eks-fargate.amazonaws.com', 'eks-nodegroup.amazonaws.com',
  'elasticloadbalancing.amazonaws.com', 'rds.amazonaws.com', 'wafv2.amazonaws.com',
] as const;

/**
 * Bucket configuration reads `terraform plan` makes for `aws_s3_bucket` and its sub-resources
 * (policy, ACL, versioning, encryption, lifecycle, logging, ownership, public access block, tags...):
 * configuration only, no object is read.
 */
export const S3_BUCKET_CONFIGURATION_READS = [
  's3:ListBucket', 's3:GetBucket*', 's3:GetAccelerateConfiguration', 's3:GetEncryptionConfiguration', 's3:GetLifecycleConfiguration', 's3:GetReplicationConfiguration',
];

/**
 * The Terraform resource and data source types the deploy policies were written for (the stacks'
 * `cdk.tf.json`). A test fails when a stack synthesizes any other `aws_` type: review what its
 * create, update, delete and refresh call, add that to the policies, then add the type here.
 */
export const DEPLOY_POLICY_TYPES: readonly string[] = [
  // network
  'aws_vpc', 'aws_subnet', 'aws_internet_gateway', 'aws_eip', 'aws_nat_gateway', 'aws_route_table', 'aws_route', 'aws_route_table_association',
  'aws_default_security_group', 'aws_security_group', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_vpc_endpoint',
  'aws_flow_log', 'aws_launch_template', 'aws_instance', 'data.aws_availability_zones', 'data.aws_ssm_parameter',
  // cluster
  'aws_eks_cluster', 'aws_eks_addon', 'aws_eks_node_group', 'aws_eks_fargate_profile', 'aws_eks_access_entry', 'aws_eks_access_policy_association',
  'aws_eks_pod_identity_association', 'data.aws_eks_addon_version', 'data.aws_eks_cluster_versions',
  'aws_iam_role', 'aws_iam_role_policy', 'aws_iam_role_policy_attachment', 'aws_iam_instance_profile', 'aws_iam_openid_connect_provider',
  // data and observability
  'aws_kms_key', 'aws_kms_alias', 'aws_cloudwatch_log_group', 'aws_cloudwatch_log_metric_filter', 'aws_cloudwatch_query_definition',
  'aws_cloudwatch_metric_alarm', 'aws_cloudwatch_dashboard', 'aws_sns_topic', 'aws_sns_topic_subscription',
  'aws_db_instance', 'aws_db_parameter_group', 'aws_db_subnet_group', 'aws_secretsmanager_secret', 'ephemeral.aws_secretsmanager_random_password',
  // edge and storage
  'aws_s3_bucket', 'aws_s3_bucket_policy', 'aws_s3_bucket_versioning', 'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_logging', 'aws_s3_bucket_ownership_controls', 'aws_s3_bucket_public_access_block',
  'aws_cloudfront_distribution', 'aws_cloudfront_origin_access_control', 'aws_cloudfront_response_headers_policy',
  'aws_wafv2_web_acl', 'aws_wafv2_web_acl_logging_configuration', 'aws_acm_certificate',
  'aws_ecr_repository', 'aws_ecr_lifecycle_policy', 'aws_ecr_repository_policy',
  // CI runner
  'aws_codebuild_project', 'aws_codebuild_webhook',
];

const ANY = '*';

function arns(s: DeployScope) {
  const { partition: p, region, accountId: a } = s;
  const regions = [...new Set([region, edgeRegion(p, region)])];
  const named = (f: (prefix: string) => string[]) => s.namePrefixes.flatMap(f);
  return {
    regions,
    roles: named((n) => [`arn:${p}:iam::${a}:role/${n}-*`]),
    instanceProfiles: named((n) => [`arn:${p}:iam::${a}:instance-profile/${n}-*`]),
    eks: s.clusterNames.flatMap((c) => [`arn:${p}:eks:${region}:${a}:cluster/${c}`, `arn:${p}:eks:${region}:${a}:*/${c}/*`]),
    keys: regions.map((r) => `arn:${p}:kms:${r}:${a}:key/*`),
    aliases: [
      ...regions.flatMap((r) => named((n) => [`arn:${p}:kms:${r}:${a}:alias/${n}-*`])),
      ...s.clusterNames.map((c) => `arn:${p}:kms:${region}:${a}:alias/eks/${c}`),
    ],
    logGroups: [
      ...[...new Set([...s.namePrefixes, ...s.clusterNames])].map((n) => `arn:${p}:logs:${region}:${a}:log-group:/aws/*/${n}*`),
      // WAF logs: the CloudFront ACL's in us-east-1, the ALB ACL's in the region.
      ...regions.flatMap((r) => named((n) => [`arn:${p}:logs:${r}:${a}:log-group:aws-waf-logs-${n}-*`])),
    ],
    buckets: [...named((n) => [`arn:${p}:s3:::${n}-*`]), ...s.bucketNames.map((b) => `arn:${p}:s3:::${b}`)],
    codebuildProjects: named((n) => [`arn:${p}:codebuild:${region}:${a}:project/${n}-*`]),
    // Secrets the platform names `<prefix>/...` (the application user's, `<prefix>/db/<user>`).
    secrets: named((n) => [`arn:${p}:secretsmanager:${region}:${a}:secret:${n}/*`]),
  };
}

/** The runner's connections by IAM service prefix (`codeconnections`, or `codestar-connections` for older ARNs). */
function connectionsByService(s: DeployScope): Array<[string, string[]]> {
  const by = new Map<string, string[]>();
  for (const arn of s.codeConnectionArns ?? []) {
    const service = arn.split(':')[2];
    by.set(service, [...(by.get(service) ?? []), arn]);
  }
  return [...by.entries()];
}

/**
 * The CodeBuild GitHub runner: its projects (and their webhooks) under the environment's names, and
 * its connections, which only CodeBuild may be handed. Empty without connections.
 */
function runnerStatements(s: DeployScope, r: ReturnType<typeof arns>): PolicyStatement[] {
  const connections = connectionsByService(s);
  if (connections.length === 0) return [];
  return [
    {
      // Tags travel in CreateProject/UpdateProject; the webhook calls are on the project.
      Sid: 'CodeBuildRunnerProjects',
      Effect: 'Allow',
      Action: ['codebuild:CreateProject', 'codebuild:UpdateProject', 'codebuild:DeleteProject', 'codebuild:BatchGetProjects', 'codebuild:CreateWebhook', 'codebuild:UpdateWebhook', 'codebuild:DeleteWebhook'],
      Resource: r.codebuildProjects,
    },
    ...connections.flatMap(([service, connectionArns], i): PolicyStatement[] => [
      {
        Sid: `PassGithubConnection${i}`,
        Effect: 'Allow',
        Action: `${service}:PassConnection`,
        Resource: connectionArns,
        Condition: { StringEquals: { [`${service}:PassedToService`]: 'codebuild.amazonaws.com' } },
      },
      // CodeBuild checks the connection when the project and its webhook are created.
      { Sid: `UseGithubConnection${i}`, Effect: 'Allow', Action: [`${service}:GetConnection`, `${service}:UseConnection`], Resource: connectionArns },
    ]),
  ];
}

/**
 * The apply role's permissions, by area (one managed policy each, under IAM's 6,144-character limit).
 * Reads are account-wide (configuration only); writes are scoped to this environment's names, its
 * cluster, its region, and (IAM) to roles that carry the boundary.
 */
export function applyPolicies(s: DeployScope): Record<string, PolicyStatement[]> {
  const { partition: p, region, accountId: a } = s;
  const r = arns(s);
  const edge = edgeRegion(p, region);
  const inRegion = { StringEquals: { 'aws:RequestedRegion': region } };
  const inRegions = { StringEquals: { 'aws:RequestedRegion': r.regions } };
  return {
    network: [
      { Sid: 'Ec2Read', Effect: 'Allow', Action: ['ec2:Describe*', 'ec2:GetSecurityGroupsForVpc'], Resource: ANY },
      {
        // EC2 authorizes creation against several unnamed resource types at once (a VPC, its subnets,
        // security groups, network interfaces): the region is the practical scope.
        Sid: 'Ec2Write',
        Effect: 'Allow',
        Action: [
          'ec2:CreateVpc', 'ec2:DeleteVpc', 'ec2:ModifyVpcAttribute',
          'ec2:CreateSubnet', 'ec2:DeleteSubnet', 'ec2:ModifySubnetAttribute',
          'ec2:CreateInternetGateway', 'ec2:DeleteInternetGateway', 'ec2:AttachInternetGateway', 'ec2:DetachInternetGateway',
          'ec2:AllocateAddress', 'ec2:ReleaseAddress', 'ec2:DisassociateAddress', 'ec2:CreateNatGateway', 'ec2:DeleteNatGateway',
          'ec2:CreateRouteTable', 'ec2:DeleteRouteTable', 'ec2:CreateRoute', 'ec2:DeleteRoute', 'ec2:ReplaceRoute',
          'ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation',
          'ec2:CreateSecurityGroup', 'ec2:DeleteSecurityGroup', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress',
          'ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress', 'ec2:ModifySecurityGroupRules',
          'ec2:UpdateSecurityGroupRuleDescriptionsIngress', 'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
          'ec2:CreateVpcEndpoint', 'ec2:DeleteVpcEndpoints', 'ec2:ModifyVpcEndpoint', 'ec2:CreateFlowLogs', 'ec2:DeleteFlowLogs',
          'ec2:CreateLaunchTemplate', 'ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate', 'ec2:DeleteLaunchTemplate', 'ec2:DeleteLaunchTemplateVersions',
          'ec2:RunInstances', 'ec2:TerminateInstances', 'ec2:StartInstances', 'ec2:StopInstances', 'ec2:ModifyInstanceAttribute',
          'ec2:ModifyInstanceMetadataOptions', 'ec2:ModifyInstanceCreditSpecification', 'ec2:MonitorInstances', 'ec2:UnmonitorInstances',
          'ec2:AssociateIamInstanceProfile', 'ec2:DisassociateIamInstanceProfile', 'ec2:ReplaceIamInstanceProfileAssociation', 'ec2:ModifyVolume',
          'ec2:CreateTags', 'ec2:DeleteTags',
        ],
        Resource: ANY,
        Condition: inRegion,
      },
      // Interface endpoints with private DNS associate the VPC with AWS's private hosted zone.
      { Sid: 'EndpointPrivateDns', Effect: 'Allow', Action: ['route53:AssociateVPCWithHostedZone', 'route53:DisassociateVPCFromHostedZone'], Resource: ANY },
      { Sid: 'PublicAmiParameters', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: `arn:${p}:ssm:${region}::parameter/aws/service/*` },
    ],
    cluster: [
      { Sid: 'EksLookups', Effect: 'Allow', Action: ['eks:DescribeAddonVersions', 'eks:DescribeClusterVersions', 'eks:DescribeAddonConfiguration', 'eks:ListClusters'], Resource: ANY },
      { Sid: 'EksCreateCluster', Effect: 'Allow', Action: 'eks:CreateCluster', Resource: ANY, Condition: inRegion },
      {
        Sid: 'EksCluster',
        Effect: 'Allow',
        Action: ['eks:Describe*', 'eks:List*', 'eks:Create*', 'eks:Update*', 'eks:Delete*', 'eks:TagResource', 'eks:UntagResource', 'eks:AssociateAccessPolicy', 'eks:DisassociateAccessPolicy', 'eks:AssociateEncryptionConfig'],
        Resource: r.eks,
      },
      { Sid: 'IamRead', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: ANY },
      {
        Sid: 'IamRolesWithBoundary',
        Effect: 'Allow',
        Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
        Resource: r.roles,
        Condition: { StringEquals: { 'iam:PermissionsBoundary': s.boundaryArn } },
      },
      {
        // Every role under these names carries the boundary (the statement above), so passing or
        // re-trusting one never grants more than the boundary.
        Sid: 'IamRoles',
        Effect: 'Allow',
        Action: ['iam:DeleteRole', 'iam:TagRole', 'iam:UntagRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy', 'iam:PassRole'],
        Resource: r.roles,
      },
      {
        Sid: 'IamInstanceProfiles',
        Effect: 'Allow',
        Action: ['iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:TagInstanceProfile', 'iam:UntagInstanceProfile'],
        Resource: r.instanceProfiles,
      },
      {
        Sid: 'ClusterOidcProvider',
        Effect: 'Allow',
        Action: [
          'iam:CreateOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider', 'iam:UntagOpenIDConnectProvider',
          'iam:UpdateOpenIDConnectProviderThumbprint', 'iam:AddClientIDToOpenIDConnectProvider', 'iam:RemoveClientIDFromOpenIDConnectProvider',
        ],
        Resource: `arn:${p}:iam::${a}:oidc-provider/${eksIssuerHost(p, region)}/id/*`,
      },
      {
        Sid: 'ServiceLinkedRoles',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: `arn:${p}:iam::${a}:role/aws-service-role/*`,
        Condition: { StringEquals: { 'iam:AWSServiceName': [...SERVICE_LINKED_ROLE_SERVICES] } },
      },
    ],
    data: [
      { Sid: 'KmsCreate', Effect: 'Allow', Action: ['kms:CreateKey', 'kms:ListAliases', 'kms:ListKeys'], Resource: ANY, Condition: inRegions },
      {
        // Grants and data keys: EKS, RDS, EC2 (EBS), ECR and Secrets Manager use the keys on the caller's behalf.
        Sid: 'KmsKeys',
        Effect: 'Allow',
        Action: [
          'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags', 'kms:ListGrants', 'kms:PutKeyPolicy', 'kms:EnableKeyRotation',
          'kms:TagResource', 'kms:UntagResource', 'kms:UpdateKeyDescription', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant', 'kms:RetireGrant',
          'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo',
        ],
        Resource: r.keys,
      },
      { Sid: 'KmsAliases', Effect: 'Allow', Action: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'], Resource: [...r.aliases, ...r.keys] },
      {
        // List calls, query definitions, and the log delivery WAF logging sets up: no resource-level scope exists.
        Sid: 'LogsAccountLevel',
        Effect: 'Allow',
        Action: [
          'logs:DescribeLogGroups', 'logs:DescribeMetricFilters', 'logs:DescribeQueryDefinitions', 'logs:PutQueryDefinition', 'logs:DeleteQueryDefinition',
          'logs:DescribeResourcePolicies', 'logs:PutResourcePolicy', 'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
        ],
        Resource: ANY,
        Condition: inRegions,
      },
      {
        Sid: 'LogGroups',
        Effect: 'Allow',
        Action: [
          'logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:AssociateKmsKey', 'logs:DisassociateKmsKey',
          'logs:TagResource', 'logs:UntagResource', 'logs:TagLogGroup', 'logs:UntagLogGroup', 'logs:ListTagsForResource', 'logs:ListTagsLogGroup',
          'logs:PutMetricFilter', 'logs:DeleteMetricFilter',
        ],
        Resource: r.logGroups,
      },
      {
        Sid: 'Alarms',
        Effect: 'Allow',
        Action: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource'],
        Resource: s.namePrefixes.map((n) => `arn:${p}:cloudwatch:${region}:${a}:alarm:${n}-*`),
      },
      { Sid: 'Dashboards', Effect: 'Allow', Action: ['cloudwatch:PutDashboard', 'cloudwatch:DeleteDashboards', 'cloudwatch:GetDashboard'], Resource: s.namePrefixes.map((n) => `arn:${p}:cloudwatch::${a}:dashboard/${n}-*`) },
      { Sid: 'AlarmsRead', Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', Resource: ANY },
      {
        Sid: 'Topics',
        Effect: 'Allow',
        Action: [
          'sns:CreateTopic', 'sns:DeleteTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:Unsubscribe', 'sns:GetSubscriptionAttributes',
          'sns:SetSubscriptionAttributes', 'sns:ListSubscriptionsByTopic', 'sns:TagResource', 'sns:UntagResource', 'sns:ListTagsForResource',
        ],
        Resource: s.namePrefixes.map((n) => `arn:${p}:sns:${region}:${a}:${n}-*`),
      },
      { Sid: 'RdsRead', Effect: 'Allow', Action: ['rds:Describe*', 'rds:ListTagsForResource'], Resource: ANY },
      {
        Sid: 'RdsDatabase',
        Effect: 'Allow',
        Action: [
          'rds:CreateDBInstance', 'rds:DeleteDBInstance', 'rds:ModifyDBInstance', 'rds:RebootDBInstance', 'rds:AddTagsToResource', 'rds:RemoveTagsFromResource',
          'rds:CreateDBParameterGroup', 'rds:ModifyDBParameterGroup', 'rds:DeleteDBParameterGroup', 'rds:ResetDBParameterGroup',
          'rds:CreateDBSubnetGroup', 'rds:ModifyDBSubnetGroup', 'rds:DeleteDBSubnetGroup', 'rds:CreateDBSnapshot',
        ],
        Resource: [
          ...s.namePrefixes.flatMap((n) => ['db', 'pg', 'subgrp', 'snapshot'].map((t) => `arn:${p}:rds:${region}:${a}:${t}:${n}-*`)),
          `arn:${p}:rds:${region}:${a}:og:default:*`,
        ],
      },
      {
        // The master password is a secret RDS creates and rotates (`rds!db-...`); nothing here reads its value.
        Sid: 'RdsMasterSecret',
        Effect: 'Allow',
        Action: ['secretsmanager:CreateSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:RotateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:TagResource', 'secretsmanager:UntagResource'],
        Resource: `arn:${p}:secretsmanager:${region}:${a}:secret:rds!*`,
      },
      {
        // The application user's secret: created here, its value written once per password version
        // (`aws secretsmanager put-secret-value` from the apply) and never read back.
        Sid: 'AppSecrets',
        Effect: 'Allow',
        Action: [
          'secretsmanager:CreateSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:UpdateSecret', 'secretsmanager:DeleteSecret',
          'secretsmanager:PutSecretValue', 'secretsmanager:TagResource', 'secretsmanager:UntagResource',
        ],
        Resource: r.secrets,
      },
      // The ephemeral aws_secretsmanager_random_password: a random string, no resource, no data read.
      { Sid: 'GeneratePasswords', Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: ANY, Condition: inRegion },
    ],
    edge: [
      { Sid: 'BucketsList', Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: ANY },
      {
        Sid: 'Buckets',
        Effect: 'Allow',
        Action: [
          ...S3_BUCKET_CONFIGURATION_READS, 's3:CreateBucket', 's3:DeleteBucket', 's3:PutBucketTagging', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutBucketVersioning',
          's3:PutEncryptionConfiguration', 's3:PutLifecycleConfiguration', 's3:PutBucketLogging', 's3:PutBucketOwnershipControls', 's3:PutBucketPublicAccessBlock',
        ],
        Resource: r.buckets,
      },
      {
        Sid: 'CloudFrontCreate',
        Effect: 'Allow',
        Action: ['cloudfront:CreateDistribution', 'cloudfront:CreateOriginAccessControl', 'cloudfront:CreateResponseHeadersPolicy', 'cloudfront:ListDistributions', 'cloudfront:ListOriginAccessControls', 'cloudfront:ListResponseHeadersPolicies'],
        Resource: ANY,
      },
      {
        Sid: 'CloudFront',
        Effect: 'Allow',
        Action: [
          'cloudfront:GetDistribution', 'cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution', 'cloudfront:DeleteDistribution',
          'cloudfront:TagResource', 'cloudfront:UntagResource', 'cloudfront:ListTagsForResource',
          'cloudfront:GetOriginAccessControl', 'cloudfront:GetOriginAccessControlConfig', 'cloudfront:UpdateOriginAccessControl', 'cloudfront:DeleteOriginAccessControl',
          'cloudfront:GetResponseHeadersPolicy', 'cloudfront:GetResponseHeadersPolicyConfig', 'cloudfront:UpdateResponseHeadersPolicy', 'cloudfront:DeleteResponseHeadersPolicy',
        ],
        Resource: ['distribution', 'origin-access-control', 'response-headers-policy'].map((t) => `arn:${p}:cloudfront::${a}:${t}/*`),
      },
      {
        Sid: 'WebAcl',
        Effect: 'Allow',
        Action: [
          'wafv2:CreateWebACL', 'wafv2:UpdateWebACL', 'wafv2:DeleteWebACL', 'wafv2:GetWebACL', 'wafv2:TagResource', 'wafv2:UntagResource', 'wafv2:ListTagsForResource',
          'wafv2:PutLoggingConfiguration', 'wafv2:GetLoggingConfiguration', 'wafv2:DeleteLoggingConfiguration',
        ],
        // CloudFront's ACL (global, us-east-1) and the alb IngressClass's (regional).
        Resource: [
          ...s.namePrefixes.flatMap((n) => [`arn:${p}:wafv2:${edge}:${a}:global/webacl/${n}-*/*`, `arn:${p}:wafv2:${region}:${a}:regional/webacl/${n}-*/*`]),
          `arn:${p}:wafv2:${edge}:*:global/managedruleset/*/*`,
          `arn:${p}:wafv2:${region}:*:regional/managedruleset/*/*`,
        ],
      },
      { Sid: 'WebAclList', Effect: 'Allow', Action: ['wafv2:ListWebACLs', 'wafv2:ListAvailableManagedRuleGroups'], Resource: ANY },
      // A custom domain's certificate (us-east-1, for CloudFront).
      // Certificates: a custom domain's for CloudFront (us-east-1) and the application host's (the region).
      { Sid: 'CertificateRequest', Effect: 'Allow', Action: ['acm:RequestCertificate', 'acm:ListCertificates'], Resource: ANY, Condition: { StringEquals: { 'aws:RequestedRegion': [...new Set([edge, region])] } } },
      // Their DNS validation records (and the site's aliases) in the hosted zones the config names.
      { Sid: 'DnsRecords', Effect: 'Allow', Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:GetHostedZone'], Resource: `arn:${p}:route53:::hostedzone/*` },
      { Sid: 'DnsChanges', Effect: 'Allow', Action: ['route53:GetChange'], Resource: `arn:${p}:route53:::change/*` },
      {
        Sid: 'Certificates',
        Effect: 'Allow',
        Action: ['acm:DescribeCertificate', 'acm:DeleteCertificate', 'acm:AddTagsToCertificate', 'acm:RemoveTagsFromCertificate', 'acm:ListTagsForCertificate'],
        Resource: [...new Set([edge, region])].map((r) => `arn:${p}:acm:${r}:${a}:certificate/*`),
      },
      {
        Sid: 'Repositories',
        Effect: 'Allow',
        Action: [
          'ecr:CreateRepository', 'ecr:DeleteRepository', 'ecr:DescribeRepositories', 'ecr:PutLifecyclePolicy', 'ecr:GetLifecyclePolicy', 'ecr:DeleteLifecyclePolicy',
          'ecr:PutImageScanningConfiguration', 'ecr:PutImageTagMutability', 'ecr:TagResource', 'ecr:UntagResource', 'ecr:ListTagsForResource',
          'ecr:GetRepositoryPolicy', 'ecr:SetRepositoryPolicy', 'ecr:DeleteRepositoryPolicy',
        ],
        Resource: `arn:${p}:ecr:${region}:${a}:repository/*`,
      },
    ],
    ...(s.codeConnectionArns?.length ? { runner: runnerStatements(s, r) } : {}),
  };
}

/**
 * What `terraform plan` needs to refresh this platform's resources, and nothing that reads data:
 * describe/list/get of configuration, the public AMI parameters, and (separately) the state.
 */
export function planStatements(s: DeployScope): PolicyStatement[] {
  const { partition: p, region } = s;
  return [
    {
      Sid: 'RefreshConfiguration',
      Effect: 'Allow',
      Action: [
        'ec2:Describe*', 'ec2:GetSecurityGroupsForVpc', 'eks:Describe*', 'eks:List*', 'iam:Get*', 'iam:List*',
        'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags', 'kms:ListAliases',
        'logs:DescribeLogGroups', 'logs:DescribeMetricFilters', 'logs:DescribeQueryDefinitions', 'logs:DescribeResourcePolicies', 'logs:ListTagsForResource', 'logs:ListTagsLogGroup',
        'logs:GetLogDelivery', 'logs:ListLogDeliveries',
        'cloudwatch:DescribeAlarms', 'cloudwatch:GetDashboard', 'cloudwatch:ListTagsForResource',
        'sns:GetTopicAttributes', 'sns:GetSubscriptionAttributes', 'sns:ListSubscriptionsByTopic', 'sns:ListTagsForResource',
        'rds:Describe*', 'rds:ListTagsForResource',
        'ecr:DescribeRepositories', 'ecr:GetLifecyclePolicy', 'ecr:GetRepositoryPolicy', 'ecr:ListTagsForResource',
        'cloudfront:GetDistribution', 'cloudfront:GetDistributionConfig', 'cloudfront:GetOriginAccessControl', 'cloudfront:GetResponseHeadersPolicy', 'cloudfront:ListTagsForResource',
        'wafv2:GetWebACL', 'wafv2:GetLoggingConfiguration', 'wafv2:ListTagsForResource', 'wafv2:ListWebACLs',
        'acm:DescribeCertificate', 'acm:ListTagsForCertificate',
      ],
      Resource: ANY,
    },
    { Sid: 'BucketConfiguration', Effect: 'Allow', Action: S3_BUCKET_CONFIGURATION_READS, Resource: arns(s).buckets },
    // The application user's secret: its metadata and policy, never its value (no GetSecretValue).
    { Sid: 'SecretMetadata', Effect: 'Allow', Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy'], Resource: arns(s).secrets },
    // Terraform opens the ephemeral password generator during plan too (the value is discarded).
    { Sid: 'GeneratePasswords', Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: ANY, Condition: { StringEquals: { 'aws:RequestedRegion': region } } },
    { Sid: 'PublicAmiParameters', Effect: 'Allow', Action: ['ssm:GetParameter', 'ssm:GetParameters'], Resource: `arn:${p}:ssm:${region}::parameter/aws/service/*` },
    // The runner's project and webhook (a project's configuration holds its environment variables: only the environment's projects).
    ...(s.codeConnectionArns?.length ? [{ Sid: 'CodeBuildRunnerProjects', Effect: 'Allow' as const, Action: 'codebuild:BatchGetProjects', Resource: arns(s).codebuildProjects }] : []),
  ];
}

/** Services a statement list names (`ec2` of `ec2:Describe*`). */
export function servicesOf(statements: PolicyStatement[]): string[] {
  return [...new Set(statements.filter((st) => st.Effect === 'Allow').flatMap((st) => [st.Action].flat().map((x) => x.split(':')[0])))].sort();
}

export interface BoundaryScope extends DeployScope {
  /** Services the boundary lets through (all others are out of reach of every bounded role). */
  readonly services: string[];
  /** The deploy roles themselves and their policies: nothing bounded may change them. */
  readonly deployRoleArns: string[];
  readonly deployPolicyArns: string[];
}

/**
 * The permissions boundary: the most any deploy role, and any role it creates, can ever do. It allows
 * the platform's services and denies what a deploy must never do, whatever identity policy a role
 * is given: IAM users and keys, identity providers other than an EKS cluster's, Organizations and
 * account settings, a role without this boundary, removing or editing the boundary, changing the
 * deploy roles, and destroying or exposing the Terraform state.
 */
export function boundaryStatements(s: BoundaryScope): PolicyStatement[] {
  const { partition: p, region, accountId: a } = s;
  return [
    { Sid: 'PlatformServices', Effect: 'Allow', Action: s.services.map((x) => `${x}:*`), Resource: ANY },
    {
      Sid: 'DenyIamUsersAndKeys',
      Effect: 'Deny',
      Action: [
        'iam:CreateUser', 'iam:CreateAccessKey', 'iam:UpdateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'iam:AttachUserPolicy', 'iam:PutUserPolicy',
        'iam:AddUserToGroup', 'iam:CreateGroup', 'iam:AttachGroupPolicy', 'iam:PutGroupPolicy', 'iam:CreateServiceSpecificCredential', 'iam:UploadSSHPublicKey', 'iam:UploadSigningCertificate',
      ],
      Resource: ANY,
    },
    {
      Sid: 'DenyOtherIdentityProviders',
      Effect: 'Deny',
      Action: ['iam:CreateOpenIDConnectProvider', 'iam:AddClientIDToOpenIDConnectProvider', 'iam:UpdateOpenIDConnectProviderThumbprint'],
      NotResource: `arn:${p}:iam::${a}:oidc-provider/${eksIssuerHost(p, region)}/id/*`,
    },
    { Sid: 'DenySamlAndAccount', Effect: 'Deny', Action: ['iam:CreateSAMLProvider', 'iam:UpdateSAMLProvider', 'organizations:*', 'account:*'], Resource: ANY },
    {
      Sid: 'DenyRolesWithoutBoundary',
      Effect: 'Deny',
      Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
      Resource: ANY,
      Condition: { StringNotEquals: { 'iam:PermissionsBoundary': s.boundaryArn } },
    },
    { Sid: 'DenyBoundaryRemoval', Effect: 'Deny', Action: 'iam:DeleteRolePermissionsBoundary', Resource: ANY },
    {
      Sid: 'DenyDeployPolicyChanges',
      Effect: 'Deny',
      Action: ['iam:CreatePolicyVersion', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy', 'iam:TagPolicy', 'iam:UntagPolicy'],
      Resource: [s.boundaryArn, ...s.deployPolicyArns],
    },
    {
      Sid: 'DenyDeployRoleChanges',
      Effect: 'Deny',
      Action: [
        'iam:UpdateAssumeRolePolicy', 'iam:DeleteRole', 'iam:UpdateRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy',
        'iam:PutRolePermissionsBoundary', 'iam:TagRole', 'iam:UntagRole',
      ],
      Resource: s.deployRoleArns,
    },
    {
      Sid: 'DenyStateBucketChanges',
      Effect: 'Deny',
      Action: [
        's3:DeleteBucket', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutBucketAcl', 's3:PutEncryptionConfiguration', 's3:PutBucketPublicAccessBlock',
        's3:PutBucketVersioning', 's3:PutLifecycleConfiguration', 's3:PutBucketOwnershipControls', 's3:PutBucketObjectLockConfiguration', 's3:PutBucketLogging',
      ],
      Resource: s.stateBucketArn,
    },
    { Sid: 'DenyStateHistoryChanges', Effect: 'Deny', Action: ['s3:DeleteObjectVersion', 's3:PutObjectAcl', 's3:PutObjectVersionAcl'], Resource: `${s.stateBucketArn}/*` },
    {
      Sid: 'DenyStateKeyChanges',
      Effect: 'Deny',
      Action: ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:DisableKeyRotation', 'kms:PutKeyPolicy', 'kms:CreateGrant'],
      Resource: s.stateKmsKeyArn,
    },
  ];
}
