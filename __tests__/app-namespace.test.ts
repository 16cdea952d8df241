import { AppNamespace, AppNamespaceProps } from '../modules/kubernetes';
import { onlyResource, resourcesOfType, synthesize } from '../modules/testing';
import { kubernetesTestStack } from './addons-fixtures';

function synth(props: Partial<AppNamespaceProps> = {}) {
  const stack = kubernetesTestStack();
  new AppNamespace(stack, 'ns', { name: 'eks-work', ...props });
  return synthesize(stack);
}

describe('AppNamespace', () => {
  const json = synth();

  test('enforces baseline Pod Security and warns and audits restricted', () => {
    expect(onlyResource(json, 'kubernetes_namespace_v1').metadata).toMatchObject({
      name: 'eks-work',
      labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' },
    });
    expect(onlyResource(synth({ podSecurity: 'restricted' }), 'kubernetes_namespace_v1').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('gives every container default requests and limits', () => {
    const lr = onlyResource(json, 'kubernetes_limit_range_v1');
    expect(lr.spec.limit).toEqual([{ type: 'Container', default_request: { cpu: '100m', memory: '256Mi' }, default: { cpu: '500m', memory: '512Mi' } }]);
    expect(lr.metadata.namespace).toMatch(/kubernetes_namespace_v1\..*\.metadata\[0\]\.name/);
  });

  test('caps the namespace with a ResourceQuota', () => {
    expect(onlyResource(json, 'kubernetes_resource_quota_v1').spec.hard).toEqual({ 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.cpu': '8', 'limits.memory': '16Gi', pods: '50' });
    const custom = onlyResource(synth({ quota: { pods: 10, requestsCpu: '1' } }), 'kubernetes_resource_quota_v1').spec.hard;
    expect(custom).toMatchObject({ pods: '10', 'requests.cpu': '1', 'limits.cpu': '8' });
  });

  test('denies ingress by default and allows the same namespace', () => {
    const policies = resourcesOfType(json, 'kubernetes_network_policy_v1');
    const byName = Object.fromEntries(policies.map((p) => [p.metadata.name, p.spec]));
    expect(Object.keys(byName).sort()).toEqual(['allow-same-namespace', 'default-deny-ingress']);
    expect(byName['default-deny-ingress']).toEqual({ pod_selector: {}, policy_types: ['Ingress'] });
    expect(byName['allow-same-namespace']).toEqual({ pod_selector: {}, policy_types: ['Ingress'], ingress: [{ from: [{ pod_selector: {} }] }] });
  });

  test('optionally lets CIDRs in (e.g. load balancers from the VPC)', () => {
    const policies = resourcesOfType(synth({ allowIngressFromCidrs: ['10.0.0.0/16'] }), 'kubernetes_network_policy_v1');
    const allow = policies.find((p) => p.metadata.name === 'allow-from-cidrs')!;
    expect(allow.spec.ingress).toEqual([{ from: [{ ip_block: { cidr: '10.0.0.0/16' } }] }]);
  });

  test('extra labels, a dependency and a delete timeout (destroyed before an ingress controller, waiting for its finalizers)', () => {
    const stack = kubernetesTestStack();
    const dep = new AppNamespace(stack, 'first', { name: 'first' });
    new AppNamespace(stack, 'ns', { name: 'eks-work', labels: { team: 'shop', 'pod-security.kubernetes.io/enforce': 'privileged' }, dependsOn: [dep.namespace], deleteTimeout: '20m' });
    const ns = resourcesOfType(synthesize(stack), 'kubernetes_namespace_v1').find((n) => n.metadata.name === 'eks-work')!;
    expect(ns.metadata.labels).toMatchObject({ team: 'shop', 'pod-security.kubernetes.io/enforce': 'baseline' });
    expect(ns.depends_on).toEqual([expect.stringMatching(/^kubernetes_namespace_v1\.first_namespace_\w+$/)]);
    expect(ns.timeouts).toEqual({ delete: '20m' });
    const plain = onlyResource(json, 'kubernetes_namespace_v1');
    expect([plain.depends_on, plain.timeouts]).toEqual([undefined, undefined]);
  });

  test('bad input is refused', () => {
    expect(() => synth({ deleteTimeout: '20 minutes' })).toThrow('deleteTimeout: "20 minutes" is not a duration; allowed: a number with s, m or h, e.g. "15m"');
    expect(() => synth({ name: 'EKS_Work' })).toThrow('name: "EKS_Work" is not a Kubernetes namespace name');
    expect(() => synth({ containerDefaults: { cpuRequest: '2', cpuLimit: '500m' } })).toThrow('containerDefaults.cpuRequest: "2" exceeds cpuLimit "500m"');
    expect(() => synth({ quota: { limitsMemory: '16 GB' } })).toThrow('quota.limitsMemory: "16 GB" is not a Kubernetes quantity');
    expect(() => synth({ allowIngressFromCidrs: ['10.0.0.0'] })).toThrow('allowIngressFromCidrs[0]: "10.0.0.0" is not an IPv4 CIDR');
    expect(() => synth({ podSecurity: 'strict' as never })).toThrow('podSecurity: "strict" is not a Pod Security level; allowed: privileged, baseline, restricted');
  });
});
