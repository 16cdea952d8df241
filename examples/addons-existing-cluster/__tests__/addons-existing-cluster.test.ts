import { Testing } from 'cdktf';
import { parsePolicy, resourcesOfType, synthesize } from 'cdktf-eks-platform/testing';
import { AddonsOnExistingClusterStack, config } from '../stack';

const json = synthesize(new AddonsOnExistingClusterStack(Testing.app(), 'addons-existing-cluster', config));

test('the providers point at the cluster given as variables', () => {
  const helm = (json.provider as any).helm[0];
  expect(helm.kubernetes.host).toBe('${var.cluster_endpoint}');
  expect(helm.kubernetes.cluster_ca_certificate).toBe('${base64decode(var.cluster_certificate_authority_data)}');
});

test('the chosen agent replaces Fluentd; each add-on calling AWS gets a role trusting the given OIDC provider', () => {
  const releases = resourcesOfType(json, 'helm_release').map((r) => r.name);
  expect(releases).toEqual(expect.arrayContaining(['metrics-server', 'cluster-autoscaler']));
  expect(releases).not.toContain('fluentd');
  const irsa = resourcesOfType(json, 'aws_iam_role').filter((r) => r.assume_role_policy.includes('Federated'));
  expect(irsa.length).toBeGreaterThan(0);
  for (const r of irsa) expect(parsePolicy(r.assume_role_policy).Statement[0].Principal.Federated).toBe('${var.oidc_provider_arn}');
});

test('log groups exist before any agent writes, with a retention and a key', () => {
  const groups = resourcesOfType(json, 'aws_cloudwatch_log_group');
  expect(groups.map((g) => g.name)).toContain('/aws/containerinsights/legacy/application');
  expect(groups.every((g) => g.retention_in_days > 0 && g.kms_key_id)).toBe(true);
});
