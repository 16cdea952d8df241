/**
 * The backend-app's Kustomize layout (apps/backend-app/): in step with the config, each overlay
 * builds to exactly the objects the config asks for, every object passes the Kubernetes OpenAPI
 * schema (kubernetes-models) and the namespace's Pod Security level, and fits its quota.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { environments, resolveEnvironment, EnvironmentConfig } from '../environments';
import { applicationManifests, podSecurityViolations, podSpecOf, KubernetesObject } from '../modules';
import { parseQuantity } from '../modules/kubernetes/quantity';
import { backendAppManifests, backendAppProps } from '../stacks/application';
import { APP_DIR, differences, renderBackendApp } from '../scripts/apps-render';
import { buildOverlay } from '../scripts/lib/kustomize';
import { validateKubernetesObjects } from '../scripts/lib/kubernetes-schema';

const files = renderBackendApp();
const envs = Object.values(environments).map(resolveEnvironment);
const built = Object.fromEntries(envs.map((e) => [e.name, buildOverlay(files, e.name)]));
const find = (objects: KubernetesObject[], kind: string) => objects.find((o) => o.kind === kind) as any;

test('apps/backend-app is what the config renders (npm run apps:render)', () => {
  expect(differences(APP_DIR, files)).toEqual([]);
});

test.each(envs.map((e) => [e.name]))('overlays/%s builds to exactly the objects the config asks for', (name) => {
  const env = envs.find((e) => e.name === name)!;
  expect(built[name]).toEqual(backendAppManifests(env));
});

test.each(envs.map((e) => [e.name]))('%s: every built-in object passes the Kubernetes OpenAPI schema; the CSI class is the one custom resource', (name) => {
  const results = validateKubernetesObjects(built[name]);
  expect(results.filter((r) => r.status !== 'valid').map((r) => [r.kind, r.status, r.errors])).toEqual([['SecretProviderClass', 'no-schema', []]]);
  const spc = find(built[name], 'SecretProviderClass');
  expect(spc.spec.provider).toBe('aws');
  expect(JSON.parse(spc.spec.parameters.objects)[0].objectName).toBe(`${envs.find((e) => e.name === name)!.prefix}/backend-app/db`);
});

test('the schema check catches a wrong type (it is not a test that cannot fail)', () => {
  const [, deployment] = applicationManifests({ name: 'x', namespace: 'y', image: 'i' });
  const broken = JSON.parse(JSON.stringify(deployment));
  broken.spec.template.spec.containers[0].ports[0].containerPort = '8080';
  expect(validateKubernetesObjects([broken])[0]).toMatchObject({ status: 'invalid', errors: [expect.stringContaining('containerPort must be integer')] });
});

describe.each(envs.map((e) => [e.name]))('%s', (name) => {
  const env = envs.find((e) => e.name === name)!;
  const objects = built[name];
  const deployment = find(objects, 'Deployment');
  const ns = env.kubernetes?.namespaces?.find((n) => n.name === deployment.metadata.namespace);

  test('the pods meet Pod Security restricted, above the namespace level', () => {
    expect(ns).toBeDefined();
    expect(podSecurityViolations(podSpecOf(deployment)!, 'restricted')).toEqual([]);
    expect(podSecurityViolations(podSpecOf(deployment)!, ns!.podSecurity ?? 'baseline')).toEqual([]);
  });

  test('the course autoscaling: 2 to 5 replicas at 50 % CPU, on the Deployment', () => {
    expect(find(objects, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { kind: 'Deployment', name: 'backend-app' }, metrics: [{ resource: { name: 'cpu', target: { averageUtilization: 50 } } }] });
  });

  test('the most replicas (plus one surging during a rollout) fit the namespace quota', () => {
    const quota = { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', ...ns!.quota };
    const pods = find(objects, 'HorizontalPodAutoscaler').spec.maxReplicas + deployment.spec.strategy.rollingUpdate.maxSurge;
    const r = deployment.spec.template.spec.containers[0].resources;
    expect(pods * parseQuantity(r.limits.cpu, 'cpu')).toBeLessThanOrEqual(parseQuantity(quota.limitsCpu, 'q'));
    expect(pods * parseQuantity(r.limits.memory, 'memory')).toBeLessThanOrEqual(parseQuantity(quota.limitsMemory, 'q'));
    expect(pods * parseQuantity(r.requests.memory, 'memory')).toBeLessThanOrEqual(parseQuantity(quota.requestsMemory, 'q'));
  });

  test('image from the environment\'s ECR; database credentials only through the CSI-synced secret', () => {
    const c = deployment.spec.template.spec.containers[0];
    expect(c.image).toBe(`${env.accountId}.dkr.ecr.${env.region}.amazonaws.com/k8sbook/backend-app:1.0.0`);
    const password = c.env.find((e: any) => e.name === 'DB_PASSWORD');
    expect(password).toEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'backend-app-secrets', key: 'password' } } });
    expect(JSON.stringify(objects)).not.toMatch(/password"\s*:\s*"[^$]/i);
  });

  test('an Ingress to an internet-facing ALB, pod IP targets, behind the alb class', () => {
    const ingress = find(objects, 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.metadata.annotations).toMatchObject({ 'alb.ingress.kubernetes.io/scheme': 'internet-facing', 'alb.ingress.kubernetes.io/target-type': 'ip' });
  });
});

test('with a host: HTTPS on 443, HTTP redirected, the host\'s certificate', () => {
  const ingress = applicationManifests({ name: 'api', namespace: 'shop', image: 'i', host: 'api.example.com' }).find((o) => o.kind === 'Ingress') as any;
  expect(ingress.metadata.annotations).toMatchObject({ 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]', 'alb.ingress.kubernetes.io/ssl-redirect': '443' });
  expect(ingress.spec.tls).toEqual([{ hosts: ['api.example.com'] }]);
  expect(validateKubernetesObjects([ingress])[0].status).toBe('valid');
});

test('Pod Security: what baseline and restricted refuse', () => {
  const spec = { hostNetwork: true, containers: [{ name: 'c', securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } } }], volumes: [{ name: 'h', hostPath: { path: '/' } }] };
  expect(podSecurityViolations(spec, 'baseline')).toEqual(['hostNetwork must be false', 'privileged must be false (container c)', 'capabilities.add beyond the baseline set (container c)', 'hostPath volume h']);
  expect(podSecurityViolations({ containers: [{ name: 'c' }] }, 'baseline')).toEqual([]);
  expect(podSecurityViolations({ containers: [{ name: 'c' }] }, 'restricted')).toEqual([
    'allowPrivilegeEscalation must be false (container c)',
    'runAsNonRoot must be true (container c)',
    'seccompProfile must be RuntimeDefault or Localhost (container c)',
    'capabilities must drop ALL (container c)',
  ]);
});

test('image CI changing only newTag in an overlay passes the render check; the config\'s imageTag, when set, wins', () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'apps-'));
  fs.cpSync(APP_DIR, copy, { recursive: true });
  const file = path.join(copy, 'overlays', 'dev', 'kustomization.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/newTag: .*/, 'newTag: 3f2c1a9e0b7d4c5a6f8e9d0c1b2a3f4e5d6c7b8a'));
  expect(differences(copy, renderBackendApp(environments, copy))).toEqual([]);
  const dev = resolveEnvironment(environments.dev);
  const image = (d: string, env = dev) => (find(backendAppManifests(env, backendAppProps(env, d)), 'Deployment').spec.template.spec.containers[0].image as string).split(':').pop();
  expect(image(copy)).toBe('3f2c1a9e0b7d4c5a6f8e9d0c1b2a3f4e5d6c7b8a');
  expect(image(copy, resolveEnvironment({ ...environments.dev, application: { imageTag: '2.0.0' } }))).toBe('2.0.0');
  fs.rmSync(copy, { recursive: true, force: true });
});

test('an application namespace the platform does not create is a one-line config error', () => {
  const bad: EnvironmentConfig = { ...environments.dev, application: { namespace: 'nowhere' } };
  expect(() => renderBackendApp({ dev: bad })).toThrow('environment "dev": application.namespace: "nowhere" is not one of kubernetes.namespaces (eks-work, eks-work-batch)');
});
