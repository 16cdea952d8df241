import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { checkProviderBindings } from '../core/bindings';
import { managedPolicyArn, serviceTrustPolicy } from '../core/iam';
import { PlanTimeLookup } from '../core/plan-time-lookup';
import { check, checkNamePrefix, show } from '../core/validation';
import { checkInstanceType } from '../core/aws-catalog';

/** PostgreSQL client packages Amazon Linux 2023 ships (`postgresql<major>`). */
export const AL2023_POSTGRES_CLIENTS = ['15', '16', '17'] as const;

/** Stand-in image id of offline plans (the parameter is not read offline). */
export const OFFLINE_AMI_ID = 'ami-0000000000offline';

const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

/** `arm64` for Graviton families (t4g, m7g, c7gn, a1...), otherwise `x86_64`. */
export function instanceArchitecture(instanceType: string): 'arm64' | 'x86_64' {
  const family = instanceType.split('.')[0];
  return family === 'a1' || /^[a-z]+\d+g[a-z]*$/.test(family) ? 'arm64' : 'x86_64';
}

export interface BastionProps {
  /** Prefix of the instance, role and security group names, e.g. `eks-work-dev` → `eks-work-dev-bastion`. */
  readonly name: string;
  /** Region (ARN partition of the managed policy). */
  readonly region: string;
  /** VPC of the bastion's security group. */
  readonly vpcId: string;
  /** VPC CIDR: the only destination of the bastion's PostgreSQL traffic. */
  readonly vpcCidr: string;
  /** A private subnet (reaches SSM through NAT or the SSM interface endpoints). */
  readonly subnetId: string;
  /** Instance type EC2 offers (checked against `@aws-sdk/client-ec2`'s list); the Amazon Linux image's architecture follows it. @default "t4g.nano" (Graviton, the cheapest that runs psql) */
  readonly instanceType?: string;
  /** Root volume in GiB (gp3, encrypted), at least the image's 8. @default 8 */
  readonly rootVolumeSize?: number;
  /** KMS key for the root volume. @default the account's EBS default key (aws/ebs) */
  readonly rootVolumeKmsKeyArn?: string;
  /**
   * Image: an AMI id, or `resolve:ssm:<parameter>` read at plan time (an `aws_ssm_parameter` data
   * source; offline plans use a stand-in id). Never handed to EC2 as `resolve:ssm:`: with a
   * `root_block_device` the provider calls DescribeImages on that string and the create fails.
   * @default "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-<arch>"
   */
  readonly imageId?: string;
  /** PostgreSQL client major installed by user data (`dnf install postgresql<major>`). @default "16" */
  readonly postgresClientVersion?: string;
  /**
   * Destinations of outbound HTTPS: the SSM endpoints (public through NAT, or interface endpoints in the
   * VPC), the Amazon Linux repositories (S3) and AWS APIs such as Secrets Manager. Narrow it to the VPC
   * CIDR only if the VPC has the ssm/ssmmessages/ec2messages endpoints and you install no packages.
   * @default ["0.0.0.0/0"]
   */
  readonly httpsEgressCidrs?: string[];
  /**
   * Permissions boundary for the IAM role created here (e.g. the deploy boundary, `deployBoundaryArn`,
   * when a bounded deploy role creates it). @default none
   */
  readonly permissionsBoundaryArn?: string;
}

/**
 * An operator host reached only through SSM Session Manager: private subnet, no public IP, no key
 * pair, a security group with no inbound rule (egress: HTTPS and PostgreSQL inside the VPC), a role
 * with AmazonSSMManagedInstanceCore only, IMDSv2 required, encrypted root volume, current Amazon
 * Linux 2023 read from its public SSM parameter at plan time, PostgreSQL client installed by user data.
 */
export class Bastion extends Construct {
  readonly instance: Instance;
  readonly instanceId: string;
  readonly securityGroupId: string;
  readonly roleArn: string;
  readonly roleName: string;
  readonly architecture: 'arm64' | 'x86_64';
  /** SSM parameter the image id is read from at plan time, when the image is given that way. */
  readonly imageParameter?: string;

  constructor(scope: Construct, id: string, props: BastionProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    const instanceType = props.instanceType ?? 't4g.nano';
    const rootSize = props.rootVolumeSize ?? 8;
    const client = props.postgresClientVersion ?? '16';
    const httpsCidrs = props.httpsEgressCidrs ?? ['0.0.0.0/0'];
    checkNamePrefix(props.name, 'name');
    checkInstanceType(instanceType, 'instanceType');
    check(Number.isInteger(rootSize) && rootSize >= 8 && rootSize <= 16384, 'rootVolumeSize', `${show(rootSize)} is not a root volume size; allowed: whole GiB from 8 (the image's size) to 16384`);
    check((AL2023_POSTGRES_CLIENTS as readonly string[]).includes(client), 'postgresClientVersion', `${show(client)} is not a PostgreSQL client Amazon Linux 2023 packages; allowed: ${AL2023_POSTGRES_CLIENTS.join(', ')}`);
    check(Token.isUnresolved(props.vpcCidr) || CIDR.test(props.vpcCidr), 'vpcCidr', `${show(props.vpcCidr)} is not an IPv4 CIDR`);
    check(Array.isArray(httpsCidrs) && httpsCidrs.length >= 1, 'httpsEgressCidrs', 'is empty; allowed: one or more IPv4 CIDRs (SSM needs outbound HTTPS)');
    httpsCidrs.forEach((c, i) => check(Token.isUnresolved(c) || CIDR.test(c), `httpsEgressCidrs[${i}]`, `${show(c)} is not an IPv4 CIDR`));
    if (props.imageId !== undefined) {
      check(/^(ami-[0-9a-f]{8,17}|resolve:ssm:\S+)$/.test(props.imageId), 'imageId', `${show(props.imageId)} is not an image reference; allowed: "ami-..." or "resolve:ssm:<parameter>"`);
    }

    const name = `${props.name}-bastion`;
    this.architecture = instanceArchitecture(instanceType);
    const image = props.imageId ?? `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${this.architecture}`;
    this.imageParameter = image.startsWith('resolve:ssm:') ? image.slice('resolve:ssm:'.length) : undefined;
    const imageId = this.imageParameter
      ? new PlanTimeLookup(new DataAwsSsmParameter(this, 'image', { name: this.imageParameter })).string('insecure_value', OFFLINE_AMI_ID)
      : image;

    const sg = new SecurityGroup(this, 'sg', {
      name,
      description: `${name}: no inbound (SSM only); HTTPS out, PostgreSQL inside the VPC`,
      vpcId: props.vpcId,
      tags: { Name: name },
    });
    httpsCidrs.forEach(
      (cidr, i) =>
        new VpcSecurityGroupEgressRule(this, `egress-https-${i}`, {
          securityGroupId: sg.id,
          description: 'HTTPS: SSM, package repositories, AWS APIs',
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          cidrIpv4: cidr,
        }),
    );
    new VpcSecurityGroupEgressRule(this, 'egress-postgres', {
      securityGroupId: sg.id,
      description: 'PostgreSQL inside the VPC',
      ipProtocol: 'tcp',
      fromPort: 5432,
      toPort: 5432,
      cidrIpv4: props.vpcCidr,
    });

    const role = new IamRole(this, 'role', {
      name,
      description: `${name}: SSM Session Manager only`,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com'),
    });
    new IamRolePolicyAttachment(this, 'ssm-core', { role: role.name, policyArn: managedPolicyArn(props.region, 'AmazonSSMManagedInstanceCore') });
    const profile = new IamInstanceProfile(this, 'profile', { name, role: role.name });

    const userData = ['#!/bin/bash', 'set -euo pipefail', `dnf install -y postgresql${client}`, ''].join('\n');
    this.instance = new Instance(this, 'instance', {
      ami: imageId,
      instanceType,
      subnetId: props.subnetId,
      vpcSecurityGroupIds: [sg.id],
      associatePublicIpAddress: false,
      iamInstanceProfile: profile.name,
      ebsOptimized: true,
      monitoring: true,
      userData,
      userDataReplaceOnChange: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1, instanceMetadataTags: 'disabled' },
      rootBlockDevice: {
        volumeType: 'gp3',
        volumeSize: rootSize,
        encrypted: true,
        kmsKeyId: props.rootVolumeKmsKeyArn,
        deleteOnTermination: true,
      },
      // Burstable classes: standard credits, so a busy bastion slows down instead of billing surplus credits.
      ...(/^t\d/.test(instanceType) ? { creditSpecification: { cpuCredits: 'standard' } } : {}),
      tags: { Name: name },
      // The parameter moves to each new Amazon Linux release; replacing the bastion every time would
      // cut open sessions. It keeps its image until replaced on purpose (`terraform apply -replace=<address>`).
      lifecycle: { ignoreChanges: ['ami'] },
    });

    this.instanceId = this.instance.id;
    this.securityGroupId = sg.id;
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}
