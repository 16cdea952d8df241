import { Construct } from 'constructs';
import { Network } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';
import { PlatformStack, StackSettings } from './platform-stack';

/** `<env>-network`: the VPC, published with terraform-aws-modules' output names. */
export class NetworkStack extends PlatformStack {
  readonly network: Network;

  constructor(scope: Construct, env: ResolvedEnvironment, settings: StackSettings = {}) {
    super(scope, env, 'network', settings);
    const n = env.network;
    this.network = forEnvironment(env.name, 'network', () =>
      new Network(this, 'network', {
        permissionsBoundaryArn: this.permissionsBoundaryArn,
        name: env.prefix,
        accountId: env.accountId,
        region: env.region,
        vpcCidr: n.vpcCidr,
        azs: n.azs,
        natGateways: n.natGateways,
        subnetPrefixes: n.subnetPrefixes,
        flowLogRetentionDays: n.flowLogRetentionDays,
        interfaceEndpoints: n.interfaceEndpoints,
        clusterNames: [env.cluster.name],
      }),
    );
    const net = this.network;
    // Stand-ins for offline plans of downstream stacks: real CIDRs, recognisable fake ids.
    const ids = (kind: string, cidrs: string[]) => cidrs.map((_, i) => `${kind}-0offline${kind.length}${i}`);
    const natCount = n.natGateways === 'none' ? 0 : n.natGateways === 'perAz' ? n.azs.length : 1;
    this.publish('vpc_id', net.vpcId, 'vpc-0offline0000000', 'ID of the VPC');
    this.publish('vpc_cidr_block', net.vpcCidrBlock, n.vpcCidr ?? '10.0.0.0/16', 'CIDR block of the VPC');
    this.publish('azs', net.azs, n.azs, 'Availability zones of the subnets, in subnet order');
    this.publish('public_subnets', net.publicSubnetIds, ids('subnet-pub', net.publicSubnetCidrs), 'IDs of the public subnets (load balancers, NAT)');
    this.publish('private_subnets', net.privateSubnetIds, ids('subnet-prv', net.privateSubnetCidrs), 'IDs of the private subnets (nodes, pods)');
    this.publish('database_subnets', net.databaseSubnetIds, ids('subnet-db', net.databaseSubnetCidrs), 'IDs of the database subnets (no route out)');
    this.publish('public_subnets_cidr_blocks', net.publicSubnetCidrs, net.publicSubnetCidrs, 'CIDR blocks of the public subnets');
    this.publish('private_subnets_cidr_blocks', net.privateSubnetCidrs, net.privateSubnetCidrs, 'CIDR blocks of the private subnets');
    this.publish('database_subnets_cidr_blocks', net.databaseSubnetCidrs, net.databaseSubnetCidrs, 'CIDR blocks of the database subnets');
    this.publish('private_route_table_ids', net.privateRouteTableIds, net.privateSubnetCidrs.map((_, i) => `rtb-0offline${i}`), 'IDs of the private route tables');
    this.publish('nat_public_ips', net.natPublicIps, Array.from({ length: natCount }, (_, i) => `203.0.113.${10 + i}`), 'Public IPs of the NAT gateways (allowlist these downstream)');
  }
}
