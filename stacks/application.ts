import { ApplicationManifestsProps, DEFAULT_REPOSITORIES, KubernetesObject, applicationManifests, iamRoleName, show } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';
import { check } from '../modules';

/** The application namespace of the course (`eks-work`). */
export const DEFAULT_APP_NAMESPACE = 'eks-work';

/** The course's backend API (also its service account's name). */
export const BACKEND_APP = 'backend-app';

/** Namespace the backend-app runs in (`application.namespace`); its database admin job runs there too. */
export const backendAppNamespace = (env: ResolvedEnvironment) => env.application?.namespace ?? DEFAULT_APP_NAMESPACE;

/** Its image in the environment's ECR repositories (`k8sbook/backend-app` unless renamed). */
export function backendAppRepository(env: ResolvedEnvironment): string {
  const repos = env.registry?.repositories ?? [...DEFAULT_REPOSITORIES];
  return repos.find((r) => r.endsWith(`/${BACKEND_APP}`) || r === BACKEND_APP) ?? `k8sbook/${BACKEND_APP}`;
}

/** Name of the backend-app's IAM role (Secrets Manager read of its database secret; the data stack creates it). */
export const backendAppRoleName = (env: ResolvedEnvironment) => iamRoleName(env.prefix, BACKEND_APP);

/** Name of its database secret in Secrets Manager (user `mywork`; the data stack creates it, `database.appUser`). */
export const backendAppSecretName = (env: ResolvedEnvironment) => `${env.prefix}/${BACKEND_APP}/db`;

/** The backend-app's props for an environment: image from its ECR, role, secret, autoscaling from `application`. */
export function backendAppProps(env: ResolvedEnvironment): ApplicationManifestsProps {
  const a = env.application ?? {};
  const namespaces = env.kubernetes?.namespaces?.map((n) => n.name) ?? [DEFAULT_APP_NAMESPACE];
  const namespace = backendAppNamespace(env);
  forEnvironment(env.name, 'application', () =>
    check(namespaces.includes(namespace), 'namespace', `${show(namespace)} is not one of kubernetes.namespaces (${namespaces.join(', ')}); allowed: a namespace the platform creates`),
  );
  return {
    name: BACKEND_APP,
    namespace,
    image: `${env.accountId}.dkr.ecr.${env.region}.amazonaws.com/${backendAppRepository(env)}:${a.imageTag ?? '1.0.0'}`,
    region: env.region,
    secret: { secretName: backendAppSecretName(env), env: { DB_HOST: 'host', DB_PORT: 'port', DB_NAME: 'dbname', DB_USERNAME: 'username', DB_PASSWORD: 'password' } },
    // The course's Spring Boot app reads DB_URL.
    env: { DB_URL: 'jdbc:postgresql://$(DB_HOST):$(DB_PORT)/$(DB_NAME)?sslmode=require' },
    host: a.host,
    scheme: a.scheme,
    minReplicas: a.minReplicas,
    maxReplicas: a.maxReplicas,
    cpuUtilization: a.cpuUtilization,
  };
}

/** The backend-app's objects in an environment, checked like any config (one-line errors). */
export function backendAppManifests(env: ResolvedEnvironment): KubernetesObject[] {
  const props = backendAppProps(env);
  return forEnvironment(env.name, 'application', () => applicationManifests(props));
}
