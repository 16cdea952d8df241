import { Construct } from 'constructs';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { DEFAULT_KUBERNETES_VERSION, EksAddons, EksCluster, EksPlatform, LOAD_BALANCER_CONTROLLER, ManagedRulesWebAcl, dnsValidatedCertificate, selectAddons, FargateProfile, ManagedNodeGroup, NodeRole, check, checkHostedZoneId, checkKubernetesGroup, iamRoleName, partitionOf, show } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';
import type { NodeGroupConfig } from '../environments/config/cluster';
import { PlatformStack, StackSettings } from './platform-stack';
import type { NetworkStack } from './network-stack';
import type { RunnerStack } from './runner-stack';
import { deployRoleAccessEntries, viewerGroup } from './cluster-access';

/** The node group an environment gets when it lists none: the course's 2/5/2, on a current burstable type. */
export const DEFAULT_NODE_GROUPS: NodeGroupConfig[] = [{ name: 'default' }];

/** Stand-in OIDC id for offline plans of downstream stacks. */
const OFFLINE_OIDC_ID = '0000000000000000OFFLINE';

/**
 * `<env>-cluster`: the EKS control plane, its managed add-ons, node groups and optional Fargate
 * profile in the network stack's private subnets, published with terraform-aws-modules' output names.
 */
export class ClusterStack extends PlatformStack {
  /** The cluster, its add-ons, node role, node groups and Fargate profile. */
  readonly platform: EksPlatform;
  readonly cluster: EksCluster;
  readonly addons: EksAddons;
  readonly nodeRole: NodeRole;
  readonly nodeGroups: ManagedNodeGroup[];
  readonly fargateProfile?: FargateProfile;

  /** `runner`: the CI runner stack, whose builds need the private endpoint when the VPC CIDR is not admitted. */
  constructor(scope: Construct, env: ResolvedEnvironment, network: NetworkStack, settings: StackSettings = {}, runner?: RunnerStack) {
    super(scope, env, 'cluster', settings);
    const net = this.consume(network);
    const c = env.cluster;
    const version = c.version ?? DEFAULT_KUBERNETES_VERSION;

    // The GitHub deploy roles get access entries of their own (cicd); listing one here too would be a
    // second entry for the same principal, which EKS refuses.
    const deployEntries = deployRoleAccessEntries(env);
    // Checked here, under its own config path: the cluster stack is the first to use it.
    forEnvironment(env.name, 'kubernetes', () => checkKubernetesGroup(viewerGroup(env), 'viewerGroup'));
    forEnvironment(env.name, 'cluster', () => {
      for (const field of ['adminPrincipalArns', 'viewerPrincipalArns'] as const) {
        (c[field] ?? []).forEach((arn, i) => {
          const entry = deployEntries.find((e) => e.principalArn === arn);
          check(entry === undefined, `${field}[${i}]`, `${show(arn)} is the GitHub ${entry?.id?.replace('github-', '')} role, which gets its own access entry from the cicd section; allowed: leave it out`);
        });
      }
    });
    // Id `Default`: cdktf leaves it out of logical ids, so the resources keep the addresses they had
    // when the stack built them directly.
    this.platform = forEnvironment(env.name, 'cluster', () =>
      new EksPlatform(this, 'Default', {
        permissionsBoundaryArn: this.permissionsBoundaryArn,
        name: c.name,
        accountId: env.accountId,
        region: env.region,
        vpc: { vpcId: net.getString('vpc_id'), privateSubnetIds: net.getList('private_subnets'), vpcCidrBlock: net.getString('vpc_cidr_block') },
        version,
        endpointPublicAccess: c.endpointPublicAccess,
        publicAccessCidrs: c.publicAccessCidrs,
        allowOpenPublicEndpoint: c.allowOpenPublicEndpoint,
        privateAccessFromVpc: c.privateAccessFromVpc,
        adminPrincipalArns: c.adminPrincipalArns,
        viewerPrincipalArns: c.viewerPrincipalArns,
        viewerGroup: viewerGroup(env),
        accessEntries: deployEntries,
        bootstrapClusterCreatorAdminPermissions: c.bootstrapClusterCreatorAdminPermissions,
        logRetentionDays: c.logRetentionDays,
        nodeGroups: c.nodeGroups ?? DEFAULT_NODE_GROUPS,
        fargate: c.fargate?.enabled ? { name: c.fargate.name, selectors: c.fargate.selectors } : undefined,
        addonVersions: c.addonVersions,
        addonVersionSelection: c.addonVersionSelection,
        secretsStore: c.secretsStore,
      }),
    );
    const cluster = this.cluster = this.platform.cluster;
    this.addons = this.platform.addons;
    this.nodeRole = this.platform.nodeRole;
    this.nodeGroups = this.platform.nodeGroups;
    this.fargateProfile = this.platform.fargateProfile;
    const nodeRoleName = iamRoleName(c.name, 'node');

    // The CI runner reaches the private endpoint through the VPC CIDR rule; without that rule, admit its group.
    if (runner && !(c.privateAccessFromVpc ?? true)) {
      new VpcSecurityGroupIngressRule(this, 'cluster-443-from-ci-runner', {
        securityGroupId: cluster.clusterSecurityGroupId,
        description: 'Kubernetes API from the CI runner (CodeBuild)',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: this.consume(runner).getString('runner_security_group_id'),
        tags: { Name: `${c.name}-cluster-443-from-ci-runner` },
      });
    }

    const partition = partitionOf(env.region);

    // The web ACL of the `alb` IngressClass (the add-ons stack puts it in its IngressClassParams).
    const lbcOn = forEnvironment(env.name, 'addons', () => selectAddons(env.addons)).some((a) => a.definition.name === LOAD_BALANCER_CONTROLLER);
    const albAcl = env.addons?.albWebAcl ?? 'create';
    if (lbcOn && albAcl !== 'none') {
      const arn = forEnvironment(env.name, 'addons', () => {
        if (albAcl === 'create') {
          return new ManagedRulesWebAcl(this, 'alb-web-acl', { name: `${env.prefix}-alb`, scope: 'REGIONAL', accountId: env.accountId, region: env.region, logRetentionDays: env.addons?.albWebAclLogRetentionDays }).webAclArn;
        }
        const pattern = new RegExp(`^arn:aws[a-z-]*:wafv2:${env.region}:${env.accountId}:regional/webacl/[\\w-]{1,128}/[0-9a-f-]{36}$`);
        check(pattern.test(albAcl), 'albWebAcl', `${show(albAcl)} is not a REGIONAL web ACL of ${env.region} in account ${env.accountId}; allowed: "create", "none" or arn:aws:wafv2:${env.region}:${env.accountId}:regional/webacl/<name>/<id>`);
        return albAcl;
      }, { logRetentionDays: 'albWebAclLogRetentionDays' });
      this.publish('alb_web_acl_arn', arn, `arn:${partition}:wafv2:${env.region}:${env.accountId}:regional/webacl/${env.prefix}-alb-regional/00000000-0000-4000-8000-000000000000`, 'REGIONAL web ACL of the alb IngressClass');
    }

    // The application host's certificate, which the load balancer controller finds by host name.
    const app = env.application ?? {};
    if (app.host && app.hostedZoneId) {
      const cert = forEnvironment(env.name, 'application', () => {
        check(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(app.host!), 'host', `${show(app.host)} is not a host name; allowed: lowercase DNS name such as api.example.com`);
        checkHostedZoneId(app.hostedZoneId!, 'hostedZoneId');
        return dnsValidatedCertificate(new Construct(this, 'application-certificate'), { domainNames: [app.host!], hostedZoneId: app.hostedZoneId! });
      });
      this.publish('application_certificate_arn', cert.certificateArn, `arn:${partition}:acm:${env.region}:${env.accountId}:certificate/00000000-0000-4000-8000-000000000000`, 'ACM certificate of application.host');
    }

    // Stand-ins for offline plans of downstream stacks: ARN-shaped, recognisably fake.
    const oidcHost = `oidc.eks.${env.region}.amazonaws.com/id/${OFFLINE_OIDC_ID}`;
    const fakeCa = Buffer.from('-----BEGIN CERTIFICATE-----\nOFFLINE-STUB-NOT-A-CERTIFICATE\n-----END CERTIFICATE-----\n').toString('base64');
    this.publish('cluster_name', cluster.clusterName, c.name, 'Name of the EKS cluster');
    this.publish('cluster_arn', cluster.clusterArn, `arn:${partition}:eks:${env.region}:${env.accountId}:cluster/${c.name}`, 'ARN of the EKS cluster');
    this.publish('cluster_endpoint', cluster.endpoint, `https://${OFFLINE_OIDC_ID}.gr7.${env.region}.eks.amazonaws.com`, 'Endpoint of the Kubernetes API server');
    this.publish('cluster_certificate_authority_data', cluster.certificateAuthorityData, fakeCa, 'Base64-encoded CA certificate of the cluster');
    this.publish('cluster_version', cluster.version, version, 'Kubernetes version of the cluster');
    this.publish('cluster_oidc_issuer_url', cluster.oidcIssuerUrl, `https://${oidcHost}`, 'OIDC issuer URL of the cluster (IRSA)');
    this.publish('oidc_provider_arn', cluster.oidcProviderArn, `arn:${partition}:iam::${env.accountId}:oidc-provider/${oidcHost}`, 'ARN of the IAM OIDC provider for IRSA');
    this.publish('cluster_security_group_id', cluster.clusterSecurityGroupId, 'sg-0offline0cluster00', 'Security group added to the control plane');
    this.publish('cluster_primary_security_group_id', cluster.primarySecurityGroupId, 'sg-0offline0primary0', 'EKS-managed primary security group (Fargate pods carry it)');
    this.publish('node_security_group_id', cluster.nodeSecurityGroupId, 'sg-0offline0node0000', 'Security group of the nodes (allow databases etc. from it)');
    // The network stack's stand-in: the cluster's VPC is that VPC.
    this.publish('vpc_id', cluster.vpcId, 'vpc-0offline0000000', 'VPC of the cluster, as EKS reports it (the load balancer controller is told it)');
    this.publish('node_iam_role_arn', this.nodeRole.roleArn, `arn:${partition}:iam::${env.accountId}:role/${nodeRoleName}`, 'ARN of the IAM role of the nodes');
    this.publish('kms_key_arn', cluster.kmsKeyArn, `arn:${partition}:kms:${env.region}:${env.accountId}:key/00000000-0000-4000-8000-000000000000`, 'KMS key encrypting Kubernetes secrets and control-plane logs');
    this.publish('cloudwatch_log_group_name', cluster.logGroupName, `/aws/eks/${c.name}/cluster`, 'Log group of the control-plane logs');
    const fargateRole = this.fargateProfile?.podExecutionRoleName;
    if (fargateRole) {
      // The observability stack grants it the Fargate log group (the log router writes with it).
      const stub = iamRoleName(`${c.name}-${c.fargate?.name ?? 'fargate'}`, 'fargate');
      this.publish('fargate_pod_execution_role_name', fargateRole, stub, 'Pod execution role of the Fargate profile');
    }
  }
}
