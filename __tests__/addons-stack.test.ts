import { EnvironmentConfig } from '../environments';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import { AddonsStack, DEPLOY_PLAN_GROUP } from '../stacks';
import { onlyResource, resourcesOfType } from '../modules/testing';
import { builtEnvironment, synthesizedOnce as synthesize } from './built-environments';

// Built once per config in this file (see built-environments.ts): read, never change.
const build = (config: EnvironmentConfig) => builtEnvironment(config, { offline: true });

const cluster = (o: string) => `\${local.cluster-outputs-outputs-${o}}`;
const obs = (o: string) => `\${local.observability-outputs-outputs-${o}}`;

describe('AddonsStack', () => {
  const stacks = build(dev);
  const stack = stacks.addons;
  const json = synthesize(stack);
  const release = (name: string) => resourcesOfType(json, 'helm_release').find((r) => r.name === name)!;
  const values = (name: string) => JSON.parse(release(name).values[0]);

  test('createEnvironment adds <env>-addons last, after the cluster, observability and batch stacks', () => {
    expect(stack).toBeInstanceOf(AddonsStack);
    expect(stacks.all.map((s) => s.node.id).at(-1)).toBe('dev-addons');
    expect(stack.dependencies).toEqual(expect.arrayContaining([stacks.cluster, stacks.observability, stacks.batch]));
    expect(Object.keys((json.terraform as any).required_providers).sort()).toEqual(['aws', 'helm', 'kubernetes']);
  });

  test('helm and kubernetes providers use the cluster endpoint, CA and an exec token', () => {
    const exec = { api_version: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', cluster('cluster_name'), '--region', 'ap-northeast-2'] };
    const ca = `\${base64decode(local.cluster-outputs-outputs-cluster_certificate_authority_data)}`;
    const helm = (json.provider as any).helm[0].kubernetes;
    expect(helm).toEqual({ host: cluster('cluster_endpoint'), cluster_ca_certificate: ca, exec });
    const k8s = (json.provider as any).kubernetes[0];
    expect(k8s).toEqual({ host: cluster('cluster_endpoint'), cluster_ca_certificate: ca, exec: [exec] });
  });

  test('installs the default add-ons with the observability stack roles and the consumed cluster name', () => {
    expect(resourcesOfType(json, 'helm_release').map((r) => r.name).sort()).toEqual(['argo-cd', 'argocd-apps', 'aws-cloudwatch-metrics', 'aws-load-balancer-controller', 'cluster-autoscaler', 'fluentd', 'metrics-server']);
    expect(values('cluster-autoscaler').autoDiscovery.clusterName).toBe(cluster('cluster_name'));
    expect(values('cluster-autoscaler').rbac.serviceAccount.annotations['eks.amazonaws.com/role-arn']).toBe(obs('cluster_autoscaler_role_arn'));
    expect(values('cluster-autoscaler').image.tag).toBe('v1.35.0');
    expect(values('fluentd').serviceAccount.annotations['eks.amazonaws.com/role-arn']).toBe(obs('fluentd_role_arn'));
    expect(values('fluentd').fileConfigs['04_outputs.conf']).toContain(`log_group_name ${obs('application_log_group_name')}`);
    expect(values('aws-cloudwatch-metrics').clusterName).toBe(cluster('cluster_name'));
    const agentSa = resourcesOfType(json, 'kubernetes_service_account_v1').find((s) => s.metadata.name === 'cloudwatch-agent')!;
    expect(agentSa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(obs('aws_cloudwatch_metrics_role_arn'));
  });

  test('the load balancer controller: the cluster stack\'s name and VPC, its role from the observability stack; dev one replica, prod two with a budget', () => {
    const lbc = values('aws-load-balancer-controller');
    expect(lbc).toMatchObject({ clusterName: cluster('cluster_name'), region: 'ap-northeast-2', vpcId: cluster('vpc_id'), replicaCount: 1 });
    expect(lbc.serviceAccount.annotations['eks.amazonaws.com/role-arn']).toBe(obs('aws_load_balancer_controller_role_arn'));
    expect(lbc.ingressClassConfig).toEqual({ default: true });
    const p = JSON.parse(resourcesOfType(synthesize(build(prod).addons), 'helm_release').find((r) => r.name === 'aws-load-balancer-controller')!.values[0]);
    expect(p).toMatchObject({ replicaCount: 2, podDisruptionBudget: { maxUnavailable: 1 } });
    expect(p.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    // The cluster stack publishes the VPC EKS reports for the cluster (a reference, not the network stack's value typed again).
    expect(synthesize(stacks.cluster).output?.vpc_id?.value).toMatch(/^\$\{aws_eks_cluster\.\S+\.vpc_config\[0\]\.vpc_id\}$/);
  });

  test.each([['dev', dev], ['prod', prod]] as const)('%s destroy order: application namespaces (their Ingresses and LoadBalancer Services), then every other release, then the controller', (_name, config) => {
    const all = build(config);
    const j = synthesize(all.addons);
    const controllerId = Object.entries(j.resource!.helm_release).find(([, r]: [string, any]) => r.name === 'aws-load-balancer-controller')![0];
    const controller = `helm_release.${controllerId}`;
    // Terraform destroys a resource before whatever it depends on: these all go while the controller still runs.
    const appNamespaces = resourcesOfType(j, 'kubernetes_namespace_v1').filter((n) => n.metadata.labels['pod-security.kubernetes.io/enforce'] !== 'privileged' && !['aws-observability', 'argocd'].includes(n.metadata.name));
    expect(appNamespaces.map((n) => n.metadata.name).sort()).toEqual(['eks-work', 'eks-work-batch']);
    for (const n of appNamespaces) {
      expect({ [n.metadata.name]: n.depends_on }).toEqual({ [n.metadata.name]: [controller] });
      expect(n.timeouts).toEqual({ delete: '20m' });
    }
    const others = resourcesOfType(j, 'helm_release').filter((r) => r.name !== 'aws-load-balancer-controller');
    for (const r of others) expect({ [r.name]: r.depends_on }).toEqual({ [r.name]: expect.arrayContaining([controller]) });
    expect(j.resource!.helm_release[controllerId].depends_on ?? []).toEqual([]);
    // And the whole add-ons stack goes before the cluster stack (cdktf destroys dependants first).
    expect(all.addons.dependencies).toContain(all.cluster);
  });

  test("prod's metrics-server override reaches the release", () => {
    const p = synthesize(build(prod).addons);
    const ms = resourcesOfType(p, 'helm_release').find((r) => r.name === 'metrics-server')!;
    expect(JSON.parse(ms.values[0])).toMatchObject({ replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } });
  });

  test('Fargate on (prod): the Fargate log router to the observability stack\'s Fargate group; off (dev): none', () => {
    const p = synthesize(build(prod).addons);
    const router = resourcesOfType(p, 'kubernetes_namespace_v1').find((n) => n.metadata.name === 'aws-observability')!;
    expect(router.metadata.labels['aws-observability']).toBe('enabled');
    const cm = onlyResource(p, 'kubernetes_config_map_v1');
    expect(cm.metadata.name).toBe('aws-logging');
    expect(cm.data['output.conf']).toContain(`log_group_name ${obs('fargate_log_group_name')}`);
    expect(cm.data['output.conf']).toContain('region ap-northeast-2');
    expect(resourcesOfType(json, 'kubernetes_config_map_v1')).toHaveLength(0);
    expect(resourcesOfType(json, 'kubernetes_namespace_v1').some((n) => n.metadata.name === 'aws-observability')).toBe(false);
  });

  test('baseline: both application namespaces with Pod Security labels, a LimitRange and a ResourceQuota each', () => {
    const ns = resourcesOfType(json, 'kubernetes_namespace_v1').map((n) => [n.metadata.name, n.metadata.labels['pod-security.kubernetes.io/enforce']]);
    expect(ns.sort()).toEqual([['amazon-cloudwatch', 'privileged'], ['argocd', 'baseline'], ['eks-work', 'baseline'], ['eks-work-batch', 'baseline']]);
    expect(resourcesOfType(json, 'kubernetes_limit_range_v1')).toHaveLength(2);
    const quotas = resourcesOfType(json, 'kubernetes_resource_quota_v1').map((q) => q.spec.hard.pods).sort();
    expect(quotas).toEqual(['10', '20']);
  });

  test('baseline: default-deny plus same-namespace in each, and the VPC let into eks-work', () => {
    const names = resourcesOfType(json, 'kubernetes_network_policy_v1').map((p) => p.metadata.name).sort();
    expect(names).toEqual(['allow-from-cidrs', 'allow-same-namespace', 'allow-same-namespace', 'default-deny-ingress', 'default-deny-ingress']);
  });

  test('baseline: the read-only ClusterRole bound to the viewer group in each namespace', () => {
    expect(resourcesOfType(json, 'kubernetes_cluster_role_v1').map((r) => r.metadata.name)).toContain('eks-work-dev-viewer');
    const bindings = resourcesOfType(json, 'kubernetes_role_binding_v1');
    // Each binding references its namespace resource (created first), not the name typed again.
    expect(bindings.map((b) => b.metadata.namespace).sort()).toEqual([
      expect.stringMatching(/^\$\{kubernetes_namespace_v1\.namespace-eks-work-batch_namespace_\w+\.metadata\[0\]\.name\}$/),
      expect.stringMatching(/^\$\{kubernetes_namespace_v1\.namespace-eks-work_namespace_\w+\.metadata\[0\]\.name\}$/),
    ]);
    expect(bindings.every((b) => b.subject[0].name === 'eks-work-viewers')).toBe(true);
  });

  test('with cicd, the GitHub plan role\'s group reads RBAC objects cluster-wide (its plans refresh them); without cicd, nothing', () => {
    const binding = onlyResource(json, 'kubernetes_cluster_role_binding_v1');
    expect(binding.subject).toEqual([{ kind: 'Group', name: DEPLOY_PLAN_GROUP, api_group: 'rbac.authorization.k8s.io' }]);
    const role = resourcesOfType(json, 'kubernetes_cluster_role_v1').find((r) => r.metadata.name === 'eks-work-dev-deploy-plan-rbac-reader')!;
    expect(role.rule).toEqual([{ api_groups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'], verbs: ['get', 'list', 'watch'] }]);
    const j = synthesize(build({ ...dev, cicd: undefined, gitops: { ...dev.gitops!, imageRepositories: [] } }).addons);
    expect(resourcesOfType(j, 'kubernetes_cluster_role_binding_v1')).toHaveLength(0);
    expect(resourcesOfType(j, 'kubernetes_cluster_role_v1').map((r) => r.metadata.name)).toEqual(['eks-work-dev-viewer']);
  });

  test("the batch app's service account carries the batch stack's IRSA role", () => {
    const sa = resourcesOfType(json, 'kubernetes_service_account_v1').find((s) => s.metadata.name === 'batch-app')!;
    expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': '${local.batch-outputs-outputs-batch_role_arn}' });
    expect(sa.metadata.namespace).toMatch(/kubernetes_namespace_v1\..*eks-work-batch.*\.metadata\[0\]\.name/);
  });

  test('namespaces default to eks-work and the batch namespace', () => {
    const j = synthesize(build({ ...dev, kubernetes: undefined }).addons);
    const ns = resourcesOfType(j, 'kubernetes_namespace_v1').map((n) => n.metadata.name).sort();
    expect(ns).toEqual(['amazon-cloudwatch', 'argocd', 'eks-work', 'eks-work-batch']);
  });

  test('a namespace list without the batch namespace is refused', () => {
    expect(() => build({ ...dev, kubernetes: { namespaces: [{ name: 'eks-work' }] } })).toThrow(
      'environment "dev": kubernetes.namespaces: does not include the batch namespace "eks-work-batch" (batch.namespace)',
    );
  });

  test('a bad quota names the namespace entry', () => {
    expect(() => build({ ...dev, gitops: undefined, kubernetes: { namespaces: [{ name: 'eks-work-batch', quota: { limitsCpu: 'lots' } }] } })).toThrow(
      'environment "dev": kubernetes.namespaces[0].quota.limitsCpu: "lots" is not a Kubernetes quantity',
    );
  });
});

test('prod puts the cluster stack\'s ALB web ACL in the alb IngressClassParams; dev (albWebAcl none) sets none', () => {
  const controller = (config: EnvironmentConfig) => JSON.parse(resourcesOfType(synthesize(build(config).addons), 'helm_release').find((r) => r.name === 'aws-load-balancer-controller')!.values[0]);
  expect(controller(prod).ingressClassParams).toEqual({ spec: { wafv2AclArn: cluster('alb_web_acl_arn') } });
  expect(controller(dev).ingressClassParams).toBeUndefined();
});
