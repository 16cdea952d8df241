/** Shared facts and stacks for the add-on tests (not a test file). */
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type { AddonClusterFacts } from '../modules';

export const FACTS: AddonClusterFacts = {
  clusterName: 'eks-work-dev',
  region: 'ap-northeast-2',
  accountId: '111111111111',
  partition: 'aws',
  kubernetesVersion: '1.35',
  logGroups: {
    application: '/aws/containerinsights/eks-work-dev/application',
    dataplane: '/aws/containerinsights/eks-work-dev/dataplane',
    host: '/aws/containerinsights/eks-work-dev/host',
    performance: '/aws/containerinsights/eks-work-dev/performance',
  },
};

export const OIDC_ARN = 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
export const OIDC_URL = 'https://oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
export const OIDC_HOST = 'oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

/** A stack with Helm and Kubernetes providers, for constructs that create releases and objects. */
export function kubernetesTestStack(id = 'test'): TerraformStack {
  const stack = new TerraformStack(Testing.app(), id);
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-2' });
  new HelmProvider(stack, 'helm', {});
  new KubernetesProvider(stack, 'kubernetes', {});
  return stack;
}
