import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ApplicationManifestsProps, DEFAULT_REPOSITORIES, KubernetesObject, applicationManifests, check, iamRoleName, show } from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';

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

/** Where the rendered Kustomize layout lives (`npm run apps:render`). */
export const BACKEND_APP_DIR = path.resolve(__dirname, '..', 'apps', BACKEND_APP);

/**
 * The image tag an environment's overlay deploys now (`images[0].newTag` of its kustomization.yaml),
 * which image CI updates by pull request; undefined before the first render.
 */
export function overlayImageTag(envName: string, dir = BACKEND_APP_DIR): string | undefined {
  const file = path.join(dir, 'overlays', envName, 'kustomization.yaml');
  if (!fs.existsSync(file)) return undefined;
  const tag = (parse(fs.readFileSync(file, 'utf8')) as { images?: Array<{ newTag?: unknown }> })?.images?.[0]?.newTag;
  return typeof tag === 'string' ? tag : undefined;
}

/** The backend-app's props for an environment: image from its ECR, role, secret, autoscaling from `application`. */
export function backendAppProps(env: ResolvedEnvironment, dir = BACKEND_APP_DIR): ApplicationManifestsProps {
  const a = env.application ?? {};
  const namespaces = env.kubernetes?.namespaces?.map((n) => n.name) ?? [DEFAULT_APP_NAMESPACE];
  const namespace = backendAppNamespace(env);
  forEnvironment(env.name, 'application', () =>
    check(namespaces.includes(namespace), 'namespace', `${show(namespace)} is not one of kubernetes.namespaces (${namespaces.join(', ')}); allowed: a namespace the platform creates`),
  );
  return {
    name: BACKEND_APP,
    namespace,
    // The config's tag when set; else the one image CI last wrote into the overlay.
    image: `${env.accountId}.dkr.ecr.${env.region}.amazonaws.com/${backendAppRepository(env)}:${a.imageTag ?? overlayImageTag(env.name, dir) ?? '1.0.0'}`,
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

/** The backend-app's objects in an environment (from its props, when already made), checked like any config (one-line errors). */
export function backendAppManifests(env: ResolvedEnvironment, props: ApplicationManifestsProps = backendAppProps(env)): KubernetesObject[] {
  return forEnvironment(env.name, 'application', () => applicationManifests(props));
}
