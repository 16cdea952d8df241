// Types only (erased at run time): object literals checked field by field against the Kubernetes API
// types at compile time; kubernetes-models is a devDependency and no exported signature names it.
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { check, checkNamespaceName, show } from '../core/validation';

/** A Kubernetes object as plain data (what `kubectl apply` and Kustomize read). */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  readonly [key: string]: unknown;
}

/** Requests and limits of the application container (Kubernetes quantities). */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** A Secrets Manager secret mounted through the Secrets Store CSI driver (AWS provider) and synced to env vars. */
export interface ApplicationSecret {
  /** Secret name (or ARN) in Secrets Manager. */
  readonly secretName: string;
  /** JSON keys of the secret, each exposed as an environment variable: `{ DB_USERNAME: "username" }`. */
  readonly env: Readonly<Record<string, string>>;
}

export interface ApplicationManifestsProps {
  /** Name of the Deployment, Service, ServiceAccount, Ingress, HPA (the course's `backend-app`). */
  readonly name: string;
  /** Namespace the objects go to. */
  readonly namespace: string;
  /** Image (`repository:tag`). */
  readonly image: string;
  /** Container port. @default 8080 (the course's Spring Boot app) */
  readonly containerPort?: number;
  /** HTTP path of the readiness and liveness probes. @default "/health" */
  readonly healthPath?: string;
  /** @default the course's: requests 100m / 512Mi, limits 250m / 768Mi */
  readonly resources?: ContainerResources;
  /** HorizontalPodAutoscaler bounds and CPU target. @default 2, 5, 50 (the course's) */
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
  readonly cpuUtilization?: number;
  /** IAM role of the ServiceAccount through IRSA (annotation). @default none (Pod Identity binds by service account) */
  readonly roleArn?: string;
  /** Database (or other) credentials from Secrets Manager; never in a manifest or in Terraform state. @default none */
  readonly secret?: ApplicationSecret;
  /** Further environment variables (may use `$(VAR)` of the secret's). @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** Region of the secret, for the CSI provider. @default none (required with `secret`) */
  readonly region?: string;
  /**
   * Public host name. With it, the Ingress listens on 80 and 443, redirects HTTP to HTTPS and the load
   * balancer controller picks the ACM certificate of that host; without it, HTTP on 80 only.
   * @default none
   */
  readonly host?: string;
  /** `internet-facing` or `internal` load balancer. @default "internet-facing" */
  readonly scheme?: 'internet-facing' | 'internal';
  /** IngressClass (the platform's load balancer controller makes `alb`, with the WAF ACL in prod). @default "alb" */
  readonly ingressClassName?: string;
}

export const COURSE_RESOURCES: ContainerResources = { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '250m', memory: '768Mi' } };

/** Name of the Secrets Store CSI SecretProviderClass (and the Kubernetes Secret it syncs) of an application. */
export const secretProviderClassName = (app: string) => `${app}-secrets`;

/**
 * The objects that run one HTTP application on the platform, as the applications' template: a
 * ServiceAccount (its IAM role), a Deployment (probes, requests and limits, a securityContext meeting
 * Pod Security `restricted`: non-root, no privilege escalation, all capabilities dropped, read-only
 * root filesystem with a writable /tmp, RuntimeDefault seccomp), a ClusterIP Service, an Ingress to an
 * ALB (target type `ip`), a HorizontalPodAutoscaler on CPU, a PodDisruptionBudget, and the
 * SecretProviderClass that mounts its Secrets Manager secret and syncs it to env vars.
 */
export function applicationManifests(props: ApplicationManifestsProps): KubernetesObject[] {
  const port = props.containerPort ?? 8080;
  const min = props.minReplicas ?? 2;
  const max = props.maxReplicas ?? 5;
  const cpu = props.cpuUtilization ?? 50;
  checkNamespaceName(props.name, 'name');
  checkNamespaceName(props.namespace, 'namespace');
  check(Number.isInteger(min) && min >= 1 && Number.isInteger(max) && max >= min, 'maxReplicas', `${show(min)}..${show(max)} is not a replica range; allowed: 1 <= minReplicas <= maxReplicas`);
  check(Number.isInteger(cpu) && cpu > 0 && cpu <= 100, 'cpuUtilization', `${show(cpu)} is not a percentage; allowed: 1-100`);
  check(!props.secret || !!props.region, 'region', 'is required with secret (the CSI provider reads the secret in that region)');
  const labels = { 'app.kubernetes.io/name': props.name };
  const meta = (extra: Record<string, unknown> = {}) => ({ name: props.name, namespace: props.namespace, labels, ...extra });
  const secretName = secretProviderClassName(props.name);
  const secretEnv = Object.entries(props.secret?.env ?? {}).map(([name, key]) => ({ name, valueFrom: { secretKeyRef: { name: secretName, key } } }));
  const plainEnv = Object.entries(props.env ?? {}).map(([name, value]) => ({ name, value }));
  const probe = (initialDelaySeconds: number) => ({ httpGet: { path: props.healthPath ?? '/health', port: 'http' }, initialDelaySeconds, periodSeconds: 30 });

  const serviceAccount: IServiceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(props.roleArn ? { annotations: { 'eks.amazonaws.com/role-arn': props.roleArn } } : {}),
    automountServiceAccountToken: false,
  };
  const deployment: IDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(),
    spec: {
      // The HPA owns the replica count from here on.
      replicas: min,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: props.name,
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } }],
          containers: [
            {
              name: props.name,
              image: props.image,
              ports: [{ name: 'http', containerPort: port }],
              env: [...secretEnv, ...plainEnv],
              resources: props.resources ?? COURSE_RESOURCES,
              readinessProbe: probe(15),
              livenessProbe: probe(30),
              // The course's: let the load balancer stop sending before the process exits.
              lifecycle: { preStop: { sleep: { seconds: 2 } } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, ...(props.secret ? [{ name: 'secrets', mountPath: '/mnt/secrets', readOnly: true }] : [])],
            },
          ],
          volumes: [
            { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
            ...(props.secret ? [{ name: 'secrets', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: secretName } } }] : []),
          ],
        },
      },
    },
  };
  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(),
    spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'http', port, targetPort: 'http' }] },
  };
  const ingress: IIngress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta({
      annotations: {
        'alb.ingress.kubernetes.io/scheme': props.scheme ?? 'internet-facing',
        // Straight to pod IPs (the pods' readiness gates keep rollouts lossless).
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/healthcheck-path': props.healthPath ?? '/health',
        ...(props.host
          ? { 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]', 'alb.ingress.kubernetes.io/ssl-redirect': '443', 'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06' }
          : { 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}]' }),
      },
    }),
    spec: {
      ingressClassName: props.ingressClassName ?? 'alb',
      ...(props.host ? { tls: [{ hosts: [props.host] }] } : {}),
      rules: [{ ...(props.host ? { host: props.host } : {}), http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: props.name, port: { name: 'http' } } } }] } }],
    },
  };
  const autoscaler: IHorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name },
      minReplicas: min,
      maxReplicas: max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }],
    },
  };
  const budget: IPodDisruptionBudget = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(),
    spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
  };
  const objects = [serviceAccount, deployment, service, ingress, autoscaler, budget] as KubernetesObject[];
  if (props.secret) {
    const keys = [...new Set(Object.values(props.secret.env))];
    objects.push({
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: secretName, namespace: props.namespace, labels },
      spec: {
        provider: 'aws',
        parameters: {
          region: props.region!,
          // Pod Identity when the app's role is bound that way; IRSA otherwise.
          usePodIdentity: props.roleArn ? 'false' : 'true',
          objects: JSON.stringify([{ objectName: props.secret.secretName, objectType: 'secretsmanager', jmesPath: keys.map((k) => ({ path: k, objectAlias: k })) }]),
        },
        // Synced into a Kubernetes Secret (etcd, KMS-encrypted) while a pod mounts it, for the env vars.
        secretObjects: [{ secretName, type: 'Opaque', data: keys.map((k) => ({ objectName: k, key: k })) }],
      },
    });
  }
  return objects;
}
