import { z } from 'zod';

// Owner: applications on the platform (issue 13). Interface (documented, with @default) and zod schema side by side.

/**
 * The course's backend API (`backend-app`), deployed from the Kustomize manifests in
 * `apps/backend-app/` (a base and one overlay per environment, written by `npm run apps:render` from
 * this section; Argo CD or `kubectl apply -k apps/backend-app/overlays/<env>` applies them).
 */
export interface ApplicationConfig {
  /** Namespace it runs in; one of `kubernetes.namespaces`. @default "eks-work" (the course's) */
  readonly namespace?: string;
  /**
   * Image tag in the environment's `k8sbook/backend-app` ECR repository (immutable tags: a version or
   * commit SHA). Leave it unset when image CI updates `newTag` in the overlay by pull request: the
   * overlay's tag is then kept by `npm run apps:render`. @default the overlay's current tag, else "1.0.0"
   */
  readonly imageTag?: string;
  /**
   * Public host name. With it the Ingress serves HTTPS (ACM certificate of the host, found by the
   * load balancer controller; HTTP redirects to HTTPS); without it, HTTP on the load balancer's DNS name. @default none
   */
  readonly host?: string;
  /**
   * Route 53 hosted zone of `host`: `<env>-cluster` then requests the host's ACM certificate (DNS
   * validated in the zone; the apply waits for issuance). Without it, request the certificate yourself
   * (the controller finds any issued ACM certificate of the host). @default none
   */
  readonly hostedZoneId?: string;
  /** Fewest replicas (HorizontalPodAutoscaler). @default 2 (the course's) */
  readonly minReplicas?: number;
  /** Most replicas. @default 5 (the course's) */
  readonly maxReplicas?: number;
  /** Average CPU utilisation the autoscaler keeps. @default 50 (the course's) */
  readonly cpuUtilization?: number;
  /** Internet-facing or internal load balancer. @default "internet-facing" */
  readonly scheme?: 'internet-facing' | 'internal';
}

export const applicationSchema = z
  .object({
    namespace: z.string().optional(),
    imageTag: z.string().optional(),
    host: z.string().optional(),
    hostedZoneId: z.string().optional(),
    minReplicas: z.number().optional(),
    maxReplicas: z.number().optional(),
    cpuUtilization: z.number().optional(),
    scheme: z.enum(['internet-facing', 'internal']).optional(),
  })
  .strict();
