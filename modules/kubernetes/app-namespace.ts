import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { checkProviderBindings } from '../core/bindings';
import { check, checkNamespaceName, show } from '../core/validation';
import { parseQuantity } from './quantity';

export const POD_SECURITY_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/** Requests and limits a container gets when its spec sets none (LimitRange defaults). */
export interface ContainerDefaults {
  /** @default "100m" */
  readonly cpuRequest?: string;
  /** @default "256Mi" */
  readonly memoryRequest?: string;
  /** @default "500m" */
  readonly cpuLimit?: string;
  /** @default "512Mi" */
  readonly memoryLimit?: string;
}

/** Totals the namespace may use (ResourceQuota `hard`). */
export interface NamespaceQuota {
  /** Sum of CPU requests. @default "4" */
  readonly requestsCpu?: string;
  /** Sum of memory requests. @default "8Gi" */
  readonly requestsMemory?: string;
  /** Sum of CPU limits. @default "8" */
  readonly limitsCpu?: string;
  /** Sum of memory limits. @default "16Gi" */
  readonly limitsMemory?: string;
  /** Number of pods. @default 50 */
  readonly pods?: number;
}

export interface AppNamespaceProps {
  readonly name: string;
  /**
   * Pod Security Admission level enforced. `baseline` blocks privileged pods, host namespaces and
   * host paths but admits images that run as root (the course's Java images do); `restricted` also
   * requires non-root, no privilege escalation and dropped capabilities. Violations of `restricted`
   * are always reported as warnings and audit events, the way to move up a level. @default "baseline"
   */
  readonly podSecurity?: PodSecurityLevel;
  /** @default see ContainerDefaults */
  readonly containerDefaults?: ContainerDefaults;
  /** @default see NamespaceQuota */
  readonly quota?: NamespaceQuota;
  /**
   * CIDRs allowed to reach pods from outside the namespace (e.g. the VPC CIDR for load balancers
   * targeting pods). Without it, once network policies are enforced only same-namespace traffic gets
   * in. @default [] (none)
   */
  readonly allowIngressFromCidrs?: string[];
  /** Labels added to the namespace's own (Pod Security and managed-by labels cannot be replaced). @default none */
  readonly labels?: Record<string, string>;
  /**
   * What the namespace is created after and destroyed before, e.g. the load balancer controller's
   * release (`AddonReleases.installedFirst`): deleting a namespace deletes its Ingresses and
   * LoadBalancer Services, and only a running controller deletes their load balancers. @default none
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * How long a destroy waits for the namespace to be gone, finalizers included (a load balancer
   * controller deleting an Ingress's load balancer, target groups and security groups).
   * @default "5m" (the Kubernetes provider's)
   */
  readonly deleteTimeout?: string;
}

const CIDR = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

/**
 * An application namespace with the course's guard rails: Pod Security Admission labels, a LimitRange
 * so every container gets requests and limits, a ResourceQuota, and network policies that deny all
 * ingress except from pods of the same namespace (and the CIDRs given). Network policies take effect
 * when the cluster enforces them (VPC CNI with network policy enabled).
 */
export class AppNamespace extends Construct {
  readonly namespace: NamespaceV1;
  readonly name: string;
  readonly limitRange: LimitRangeV1;
  readonly resourceQuota: ResourceQuotaV1;
  readonly networkPolicies: NetworkPolicyV1[];

  constructor(scope: Construct, id: string, props: AppNamespaceProps) {
    super(scope, id);
    checkProviderBindings(this, 'kubernetes');
    checkNamespaceName(props.name, 'name');
    const level = props.podSecurity ?? 'baseline';
    check((POD_SECURITY_LEVELS as readonly string[]).includes(level), 'podSecurity', `${show(level)} is not a Pod Security level; allowed: ${POD_SECURITY_LEVELS.join(', ')}`);
    const d = { cpuRequest: '100m', memoryRequest: '256Mi', cpuLimit: '500m', memoryLimit: '512Mi', ...props.containerDefaults };
    const cpuReq = parseQuantity(d.cpuRequest, 'containerDefaults.cpuRequest');
    const cpuLim = parseQuantity(d.cpuLimit, 'containerDefaults.cpuLimit');
    const memReq = parseQuantity(d.memoryRequest, 'containerDefaults.memoryRequest');
    const memLim = parseQuantity(d.memoryLimit, 'containerDefaults.memoryLimit');
    check(cpuReq <= cpuLim, 'containerDefaults.cpuRequest', `${show(d.cpuRequest)} exceeds cpuLimit ${show(d.cpuLimit)}; allowed: a request no larger than the limit`);
    check(memReq <= memLim, 'containerDefaults.memoryRequest', `${show(d.memoryRequest)} exceeds memoryLimit ${show(d.memoryLimit)}; allowed: a request no larger than the limit`);
    const q = { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', pods: 50, ...props.quota };
    parseQuantity(q.requestsCpu, 'quota.requestsCpu');
    parseQuantity(q.requestsMemory, 'quota.requestsMemory');
    parseQuantity(q.limitsCpu, 'quota.limitsCpu');
    parseQuantity(q.limitsMemory, 'quota.limitsMemory');
    check(Number.isInteger(q.pods) && q.pods >= 1, 'quota.pods', `${show(q.pods)} is not a pod count; allowed: a whole number of at least 1`);
    const cidrs = props.allowIngressFromCidrs ?? [];
    cidrs.forEach((c, i) => check(CIDR.test(c), `allowIngressFromCidrs[${i}]`, `${show(c)} is not an IPv4 CIDR; allowed: e.g. "10.0.0.0/16"`));

    if (props.deleteTimeout !== undefined) check(/^\d+[smh]$/.test(props.deleteTimeout), 'deleteTimeout', `${show(props.deleteTimeout)} is not a duration; allowed: a number with s, m or h, e.g. "15m"`);

    this.name = props.name;
    this.namespace = new NamespaceV1(this, 'namespace', {
      ...(props.dependsOn?.length ? { dependsOn: props.dependsOn } : {}),
      ...(props.deleteTimeout ? { timeouts: { delete: props.deleteTimeout } } : {}),
      metadata: {
        name: props.name,
        labels: {
          ...props.labels,
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
          'app.kubernetes.io/managed-by': 'terraform',
        },
      },
    });
    const ns = this.namespace.metadata.name;
    this.limitRange = new LimitRangeV1(this, 'limit-range', {
      metadata: { name: 'container-defaults', namespace: ns },
      spec: {
        limit: [
          {
            type: 'Container',
            defaultRequest: { cpu: d.cpuRequest, memory: d.memoryRequest },
            default: { cpu: d.cpuLimit, memory: d.memoryLimit },
          },
        ],
      },
    });
    this.resourceQuota = new ResourceQuotaV1(this, 'resource-quota', {
      metadata: { name: 'namespace-quota', namespace: ns },
      spec: {
        hard: {
          'requests.cpu': q.requestsCpu,
          'requests.memory': q.requestsMemory,
          'limits.cpu': q.limitsCpu,
          'limits.memory': q.limitsMemory,
          pods: String(q.pods),
        },
      },
    });
    this.networkPolicies = [
      // The course's default-deny: selects every pod, allows no ingress (egress unaffected).
      new NetworkPolicyV1(this, 'default-deny-ingress', {
        metadata: { name: 'default-deny-ingress', namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Ingress'] },
      }),
      new NetworkPolicyV1(this, 'allow-same-namespace', {
        metadata: { name: 'allow-same-namespace', namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
      }),
    ];
    if (cidrs.length > 0) {
      this.networkPolicies.push(
        new NetworkPolicyV1(this, 'allow-from-cidrs', {
          metadata: { name: 'allow-from-cidrs', namespace: ns },
          spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: cidrs.map((cidr) => ({ ipBlock: { cidr } })) }] },
        }),
      );
    }
  }
}
