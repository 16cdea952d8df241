import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { checkProviderBindings } from '../core/bindings';
import { PolicyStatement, policyDocument } from '../core/iam';
import { check, show } from '../core/validation';
import { PodIdentityRole } from '../addons/pod-identity-role';

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/;

export interface SecretReaderRoleProps {
  /** IAM role name. */
  readonly roleName: string;
  /** Cluster of the Pod Identity association. */
  readonly clusterName: string;
  /** Namespace of the one service account that gets the role. */
  readonly namespace: string;
  /** That service account. */
  readonly serviceAccount: string;
  /** Full ARNs of the secrets it may read (each with its random suffix): nothing else. */
  readonly secretArns: string[];
  /** KMS keys the secrets are encrypted with. */
  readonly kmsKeyArns: string[];
  /** Region of the secrets (the `kms:ViaService` condition). */
  readonly region: string;
  /** @default a description naming the service account */
  readonly description?: string;
  /** Permissions boundary of the role (the deploy boundary with a `cicd` section). @default none */
  readonly permissionsBoundaryArn?: string;
}

/** The statements of a role that reads exactly `secretArns` (and decrypts them, only through Secrets Manager). */
export function secretReadStatements(secretArns: string[], kmsKeyArns: string[], region: string): PolicyStatement[] {
  return [
    // What the Secrets Store CSI driver's AWS provider calls for each mounted secret.
    { Sid: 'ReadTheseSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: secretArns },
    {
      // The keys also encrypt other data (the database's storage and logs): decrypt only through
      // Secrets Manager, which first checks GetSecretValue on the secret, so only for the secrets above.
      Sid: 'DecryptTheseSecrets',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: kmsKeyArns,
      Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
    },
  ];
}

/**
 * An EKS Pod Identity role for one service account that may read exactly the given Secrets Manager
 * secrets and nothing else: `GetSecretValue` and `DescribeSecret` on their ARNs, `kms:Decrypt` on
 * their keys only through Secrets Manager (`kms:ViaService`). Pods of that service account
 * mount them with the Secrets Store CSI driver (`usePodIdentity: "true"` in the SecretProviderClass);
 * the cluster needs the `eks-pod-identity-agent` and `aws-secrets-store-csi-driver-provider` add-ons.
 */
export class SecretReaderRole extends Construct {
  readonly identity: PodIdentityRole;
  readonly roleArn: string;
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: SecretReaderRoleProps) {
    super(scope, id);
    checkProviderBindings(this, 'aws');
    check(props.secretArns.length > 0, 'secretArns', 'is empty; allowed: the ARNs of the secrets the role reads');
    props.secretArns.forEach((arn, i) =>
      check(Token.isUnresolved(arn) || SECRET_ARN.test(arn), `secretArns[${i}]`, `${show(arn)} is not a Secrets Manager secret ARN; allowed: arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<suffix>`),
    );
    check(props.kmsKeyArns.length > 0, 'kmsKeyArns', 'is empty; allowed: the ARNs of the keys encrypting the secrets');
    props.kmsKeyArns.forEach((arn, i) =>
      check(Token.isUnresolved(arn) || KEY_ARN.test(arn), `kmsKeyArns[${i}]`, `${show(arn)} is not a KMS key ARN; allowed: arn:<partition>:kms:<region>:<account>:key/<id> (not an alias)`),
    );
    this.identity = new PodIdentityRole(this, 'role', {
      roleName: props.roleName,
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      description: props.description ?? `Reads its secrets for ${props.namespace}/${props.serviceAccount} (Pod Identity)`,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      inlinePolicies: { 'read-secrets': policyDocument(secretReadStatements(props.secretArns, props.kmsKeyArns, props.region)) },
    });
    this.roleArn = this.identity.roleArn;
    this.roleName = props.roleName;
  }
}
