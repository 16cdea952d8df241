import { Construct } from 'constructs';
import { Fn, Op } from 'cdktf';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { checkProviderBindings } from '../core/bindings';
import { EncryptionKey } from '../core/encryption-key';
import { partitionOf, policyDocument, serviceTrustPolicy } from '../core/iam';
import { PlanTimeLookup } from '../core/plan-time-lookup';
import { check, checkNamePrefix, checkRetentionDays, show } from '../core/validation';
import { checkRegion } from '../core/aws-catalog';
import { SubnetPrefixes, layoutSubnets } from './subnet-layout';

export const NAT_MODES = ['single', 'perAz', 'none'] as const;
/** NAT gateways: one shared (cheap, dev), one per AZ (survives an AZ outage, prod), or none. */
export type NatMode = (typeof NAT_MODES)[number];

/** Interface endpoints private nodes need to pull images, get tokens, use SSM and ship logs without NAT. */
export const INTERFACE_ENDPOINTS = ['ecr.api', 'ecr.dkr', 'sts', 'ssm', 'ssmmessages', 'ec2messages', 'logs'] as const;
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINTS)[number];

export interface NetworkProps {
  /** Prefix of every resource name, e.g. `eks-work-dev`. */
  readonly name: string;
  /** Account that owns the VPC (flow-log role's confused-deputy condition, log key policy). */
  readonly accountId: string;
  /** Region of the VPC, one the AWS SDK lists (`@aws-sdk/core` partitions); the AZs must belong to it. */
  readonly region: string;
  /** VPC CIDR, a private RFC 1918 block from /16 to /28. @default "10.0.0.0/16" (the course's platform) */
  readonly vpcCidr?: string;
  /** AZs to spread subnets over, listed explicitly so no AZ lookup happens at plan time. At least 2 (EKS needs two). */
  readonly azs: string[];
  /** Subnet sizes per tier. @default public /24, private /20, database /24 */
  readonly subnetPrefixes?: SubnetPrefixes;
  /** NAT gateways. @default "single" */
  readonly natGateways?: NatMode;
  /** EKS cluster names whose load balancers may use these subnets (`kubernetes.io/cluster/<name>=shared`). @default none */
  readonly clusterNames?: string[];
  /** Days to keep VPC flow logs. @default 365 (checkov CKV_AWS_338 asks for a year; dev may choose less) */
  readonly flowLogRetentionDays?: number;
  /** Flow-log traffic to capture. @default "ALL" */
  readonly flowLogTrafficType?: 'ALL' | 'ACCEPT' | 'REJECT';
  /** KMS key for the flow-log group. @default a key created here, rotation on */
  readonly logKmsKeyArn?: string;
  /** Interface endpoints in the private subnets (each costs per AZ-hour). @default none */
  readonly interfaceEndpoints?: InterfaceEndpointService[];
  /** Tags on every resource of this construct, merged over the provider's default tags. @default none */
  readonly tags?: Record<string, string>;
  /**
   * Permissions boundary for the IAM role created here (e.g. the deploy boundary, `deployBoundaryArn`,
   * when a bounded deploy role creates it). @default none
   */
  readonly permissionsBoundaryArn?: string;
}

/**
 * A three-tier VPC for EKS: public subnets for load balancers and NAT, private subnets for nodes,
 * database subnets with no route to the internet. Flow logs, locked default security group and an
 * S3 gateway endpoint are always on.
 */
export class Network extends Construct {
  readonly vpcId: string;
  readonly vpcCidrBlock: string;
  readonly azs: string[];
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  readonly databaseSubnetIds: string[];
  readonly publicSubnetCidrs: string[];
  readonly privateSubnetCidrs: string[];
  readonly databaseSubnetCidrs: string[];
  readonly privateRouteTableIds: string[];
  readonly natPublicIps: string[];
  readonly flowLogGroupName: string;
  readonly vpc: Vpc;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const vpcCidr = props.vpcCidr ?? '10.0.0.0/16';
    const natMode = props.natGateways ?? 'single';
    const retention = props.flowLogRetentionDays ?? 365;
    const endpoints = props.interfaceEndpoints ?? [];
    checkNamePrefix(props.name, 'name');
    checkRegion(props.region, 'region');
    check(Array.isArray(props.azs) && props.azs.length >= 2, 'azs', `${show(props.azs)} lists fewer than 2 AZs; allowed: 2 or more AZs of ${props.region} (EKS needs subnets in two)`);
    check(new Set(props.azs).size === props.azs.length, 'azs', `${show(props.azs)} repeats an AZ; allowed: distinct AZs`);
    for (const [i, az] of props.azs.entries()) {
      check(new RegExp(`^${props.region}[a-z]$`).test(az), `azs[${i}]`, `${show(az)} is not an AZ of ${props.region}; allowed: ${props.region}a, ${props.region}b, ...`);
    }
    check((NAT_MODES as readonly string[]).includes(natMode), 'natGateways', `${show(natMode)} is not a NAT mode; allowed: ${NAT_MODES.map((m) => show(m)).join(' | ')}`);
    checkRetentionDays(retention, 'flowLogRetentionDays');
    for (const [i, e] of endpoints.entries()) {
      check((INTERFACE_ENDPOINTS as readonly string[]).includes(e), `interfaceEndpoints[${i}]`, `${show(e)} is not a supported endpoint; allowed: ${INTERFACE_ENDPOINTS.join(', ')}`);
    }
    const layout = layoutSubnets(vpcCidr, props.azs.length, props.subnetPrefixes);

    const name = props.name;
    const tags = (n: string, extra: Record<string, string> = {}) => ({ ...props.tags, Name: n, ...extra });
    const clusterTags = Object.fromEntries((props.clusterNames ?? []).map((c) => [`kubernetes.io/cluster/${c}`, 'shared']));

    // AZ names are account-specific in availability; ask EC2 at plan time so a missing AZ stops the plan,
    // not the apply halfway through the subnets (offline plans stub it with the configured AZs).
    const available = new PlanTimeLookup(new DataAwsAvailabilityZones(this, 'azs-available', { state: 'available' })).list('names', [...props.azs]);
    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: tags(`${name}-vpc`),
      lifecycle: {
        precondition: [
          {
            condition: Op.lt(Fn.lengthOf(Fn.setsubtract(props.azs, available)), 1) as unknown as boolean,
            errorMessage: `azs: ${props.azs.join(', ')}: not every AZ is available to this account in ${props.region}; allowed: the zones \`aws ec2 describe-availability-zones\` lists`,
          },
        ],
      },
    });
    const vpcId = this.vpc.id;

    // No rules: nothing may rely on the default group (checkov CKV2_AWS_12).
    new DefaultSecurityGroup(this, 'default-sg', { vpcId, tags: tags(`${name}-default-locked`) });

    const subnets = (tier: 'public' | 'private' | 'database', extra: Record<string, string>) =>
      props.azs.map(
        (az, i) =>
          new Subnet(this, `${tier}-${i}`, {
            vpcId,
            availabilityZone: az,
            cidrBlock: layout[tier][i],
            mapPublicIpOnLaunch: false,
            tags: tags(`${name}-${tier}-${az}`, { tier, ...extra }),
          }),
      );
    const publicSubnets = subnets('public', { 'kubernetes.io/role/elb': '1', ...clusterTags });
    const privateSubnets = subnets('private', { 'kubernetes.io/role/internal-elb': '1', ...clusterTags });
    const databaseSubnets = subnets('database', {});

    const igw = new InternetGateway(this, 'igw', { vpcId, tags: tags(`${name}-igw`) });
    const publicRt = new RouteTable(this, 'public-rt', { vpcId, tags: tags(`${name}-public`) });
    new Route(this, 'public-default', { routeTableId: publicRt.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
    publicSubnets.forEach((s, i) => new RouteTableAssociation(this, `public-rta-${i}`, { subnetId: s.id, routeTableId: publicRt.id }));

    const natCount = natMode === 'none' ? 0 : natMode === 'single' ? 1 : props.azs.length;
    const nats = Array.from({ length: natCount }, (_, i) => {
      const eip = new Eip(this, `nat-eip-${i}`, { domain: 'vpc', tags: tags(`${name}-nat-${props.azs[i]}`), dependsOn: [igw] });
      return { eip, nat: new NatGateway(this, `nat-${i}`, { allocationId: eip.allocationId, subnetId: publicSubnets[i].id, tags: tags(`${name}-nat-${props.azs[i]}`), dependsOn: [igw] }) };
    });

    // One private route table per AZ, so perAz NAT keeps traffic in its AZ and a later switch from
    // single to perAz changes routes, not associations.
    const privateRts = privateSubnets.map((s, i) => {
      const rt = new RouteTable(this, `private-rt-${i}`, { vpcId, tags: tags(`${name}-private-${props.azs[i]}`) });
      if (nats.length > 0) {
        new Route(this, `private-default-${i}`, { routeTableId: rt.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nats[Math.min(i, nats.length - 1)].nat.id });
      }
      new RouteTableAssociation(this, `private-rta-${i}`, { subnetId: s.id, routeTableId: rt.id });
      return rt;
    });

    // Database subnets: local routes only, never a way out.
    const databaseRt = new RouteTable(this, 'database-rt', { vpcId, tags: tags(`${name}-database`) });
    databaseSubnets.forEach((s, i) => new RouteTableAssociation(this, `database-rta-${i}`, { subnetId: s.id, routeTableId: databaseRt.id }));

    // S3 gateway endpoint: free, keeps image layers (ECR stores them in S3) off the NAT.
    new VpcEndpoint(this, 's3-endpoint', {
      vpcId,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [...privateRts.map((rt) => rt.id), databaseRt.id],
      tags: tags(`${name}-s3`),
    });

    if (endpoints.length > 0) {
      const sg = new SecurityGroup(this, 'endpoints-sg', {
        name: `${name}-vpc-endpoints`,
        description: 'HTTPS from inside the VPC to interface endpoints',
        vpcId,
        tags: tags(`${name}-vpc-endpoints`),
      });
      new VpcSecurityGroupIngressRule(this, 'endpoints-https', {
        securityGroupId: sg.id,
        description: 'HTTPS from the VPC',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: vpcCidr,
      });
      for (const svc of endpoints) {
        new VpcEndpoint(this, `endpoint-${svc.replace('.', '-')}`, {
          vpcId,
          serviceName: `com.amazonaws.${props.region}.${svc}`,
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: privateSubnets.map((s) => s.id),
          securityGroupIds: [sg.id],
          tags: tags(`${name}-${svc}`),
        });
      }
    }

    // Flow logs into an encrypted group with retention; the role may write only to that group.
    const logKeyArn =
      props.logKmsKeyArn ??
      new EncryptionKey(this, 'log-key', {
        description: `${name} VPC flow logs`,
        alias: `${name}-flow-logs`,
        accountId: props.accountId,
        region: props.region,
        allowCloudWatchLogs: true,
      }).keyArn;
    const logGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: `/aws/vpc/${name}/flow-logs`,
      retentionInDays: retention,
      kmsKeyId: logKeyArn,
      tags: tags(`${name}-flow-logs`),
    });
    const flowRole = new IamRole(this, 'flow-log-role', {
      name: `${name}-vpc-flow-logs`,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: serviceTrustPolicy('vpc-flow-logs.amazonaws.com', props.accountId),
      tags: tags(`${name}-vpc-flow-logs`),
    });
    new IamRolePolicy(this, 'flow-log-policy', {
      role: flowRole.id,
      name: 'write-flow-logs',
      policy: policyDocument([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [logGroup.arn, `${logGroup.arn}:*`],
        },
        {
          // A list call: IAM evaluates it against log-group:*, never one group's ARN.
          Effect: 'Allow',
          Action: 'logs:DescribeLogGroups',
          Resource: `arn:${partitionOf(props.region)}:logs:${props.region}:${props.accountId}:log-group:*`,
        },
      ]),
    });
    new FlowLog(this, 'flow-log', {
      vpcId,
      trafficType: props.flowLogTrafficType ?? 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: flowRole.arn,
      maxAggregationInterval: 60,
      tags: tags(`${name}-flow-log`),
    });

    this.vpcId = vpcId;
    this.vpcCidrBlock = this.vpc.cidrBlock;
    this.azs = [...props.azs];
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.databaseSubnetIds = databaseSubnets.map((s) => s.id);
    this.publicSubnetCidrs = layout.public;
    this.privateSubnetCidrs = layout.private;
    this.databaseSubnetCidrs = layout.database;
    this.privateRouteTableIds = privateRts.map((rt) => rt.id);
    this.natPublicIps = nats.map((n) => n.eip.publicIp);
    this.flowLogGroupName = logGroup.name;
  }
}
