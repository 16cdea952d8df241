import { Construct } from 'constructs';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { checkProviderBindings } from '../core/bindings';
import { check, checkServiceAccountName } from '../core/validation';

export interface IrsaServiceAccountProps {
  readonly name: string;
  readonly namespace: string;
  /** ARN of the IRSA role whose trust policy names this service account. */
  readonly roleArn: string;
  /**
   * Mount a Kubernetes API token into pods. The IRSA web-identity token is projected separately, so
   * an app that only calls AWS needs none. @default false
   */
  readonly automountServiceAccountToken?: boolean;
}

/** A workload's service account annotated with its IRSA role (`eks.amazonaws.com/role-arn`). */
export class IrsaServiceAccount extends Construct {
  readonly serviceAccount: ServiceAccountV1;

  constructor(scope: Construct, id: string, props: IrsaServiceAccountProps) {
    super(scope, id);
    checkProviderBindings(this, 'kubernetes');
    checkServiceAccountName(props.name, 'name');
    check(typeof props.roleArn === 'string' && props.roleArn.length > 0, 'roleArn', 'is required: the IRSA role the service account assumes');
    this.serviceAccount = new ServiceAccountV1(this, 'service-account', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: { 'eks.amazonaws.com/role-arn': props.roleArn },
        labels: { 'app.kubernetes.io/managed-by': 'terraform' },
      },
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
    });
  }
}
