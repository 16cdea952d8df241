import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import { resolveEnvironment } from '../environments/defaults';
import { backendAppManifests } from '../stacks/application';
import { DEFAULT_APP_NAMESPACE, DEFAULT_DB_ADMIN_SERVICE_ACCOUNT } from '../stacks';
import { onlyResource } from '../modules/testing';
import { validateKubernetesObjects } from '../scripts/lib/kubernetes-schema';
import { builtEnvironment, synthesizedOnce as synthesize } from './built-environments';

// examples/database-user-job: the manifests are checked against the Kubernetes API schemas, the
// restricted Pod Security level, and the data stack they depend on (names, secrets, JSON keys).

const dir = path.resolve(__dirname, '..', 'examples', 'database-user-job');
const files = ['service-account.yaml', 'secret-provider-class.yaml', 'job.yaml'];
const objects = files.flatMap((f) =>
  parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Record<string, any>;
  }),
);
const byKind = (kind: string) => objects.find((o) => o.kind === kind)!;
const job = byKind('Job');
const pod = job.spec.template.spec;
const [container] = pod.containers;
const spc = byKind('SecretProviderClass');
const script: string = container.args[0];

// secrets-store.csi.x-k8s.io/v1 is a CRD that kubernetes-models does not model: its shape as the
// driver's API types (SecretProviderClassSpec) and AWS's provider (the `objects` parameter) read it.
const objectSchema = z
  .object({
    objectName: z.string().min(1),
    objectType: z.enum(['secretsmanager', 'ssmparameter']).optional(),
    objectAlias: z.string().regex(/^[^/]+$/).optional(),
    objectVersion: z.string().optional(),
    objectVersionLabel: z.string().optional(),
    jmesPath: z.array(z.object({ path: z.string().min(1), objectAlias: z.string().regex(/^[^/]+$/) }).strict()).optional(),
  })
  .strict();
const secretProviderClassSchema = z
  .object({
    apiVersion: z.literal('secrets-store.csi.x-k8s.io/v1'),
    kind: z.literal('SecretProviderClass'),
    metadata: z
      .object({ name: z.string(), namespace: z.string().optional(), labels: z.record(z.string()).optional(), annotations: z.record(z.string()).optional() })
      .strict(),
    spec: z
      .object({
        provider: z.literal('aws'),
        // The driver passes parameters as a map of strings.
        parameters: z
          .object({ region: z.string(), usePodIdentity: z.literal('true'), objects: z.string() })
          .strict(),
        // Kubernetes Secrets the driver keeps in step with the mount (cluster.secretsStore.syncKubernetesSecrets).
        secretObjects: z
          .array(
            z
              .object({
                secretName: z.string(),
                type: z.string(),
                data: z.array(z.object({ objectName: z.string(), key: z.string() }).strict()),
              })
              .strict(),
          )
          .optional(),
      })
      .strict(),
  })
  .strict();

describe('examples/database-user-job', () => {
  // The dev data stack the manifests depend on, built once.
  const stacks = builtEnvironment(dev, { offline: true });
  const data = synthesize(stacks.data);

  test('ServiceAccount and Job are valid against the Kubernetes API schemas (kubernetes-models)', () => {
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual(['v1 ServiceAccount', 'secrets-store.csi.x-k8s.io/v1 SecretProviderClass', 'batch/v1 Job']);
    const results = validateKubernetesObjects(objects as any);
    expect(results.map((r) => `${r.kind} ${r.status} ${r.errors.join('; ')}`.trim())).toEqual(['ServiceAccount valid', 'SecretProviderClass no-schema', 'Job valid']);
  });

  test('the validation does fail on a wrong object (it is not vacuous)', () => {
    const broken = JSON.parse(JSON.stringify(job));
    broken.spec.template.spec.securityContext.runAsNonRoot = 'yes';
    delete broken.spec.template.spec.containers[0].name;
    const [result] = validateKubernetesObjects([broken]);
    expect(result.status).toBe('invalid');
    expect(result.errors.join('\n')).toMatch(/runAsNonRoot must be boolean/);
  });

  test('the SecretProviderClass has the shape the driver and AWS provider read, with Pod Identity', () => {
    expect(() => secretProviderClassSchema.parse(spc)).not.toThrow();
    const list = parseAllDocuments(spc.spec.parameters.objects)[0].toJS();
    expect(() => z.array(objectSchema).parse(list)).not.toThrow();
  });

  test('it runs as the service account the data stack associates with the admin role, in the same namespace, and mounts that SecretProviderClass', () => {
    const association = Object.values(data.resource!.aws_eks_pod_identity_association).find((a: any) => a.service_account === DEFAULT_DB_ADMIN_SERVICE_ACCOUNT) as any;
    expect(association.namespace).toBe(DEFAULT_APP_NAMESPACE);
    for (const o of objects) expect([o.kind, o.metadata.namespace]).toEqual([o.kind, association.namespace]);
    expect(byKind('ServiceAccount').metadata.name).toBe(association.service_account);
    expect(pod.serviceAccountName).toBe(association.service_account);
    const csi = pod.volumes.find((v: any) => v.csi);
    expect(csi.csi).toEqual({ driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: spc.metadata.name } });
    expect(container.volumeMounts).toContainEqual({ name: csi.name, mountPath: '/mnt/secrets', readOnly: true });
    // The README's envsubst fills exactly the SecretProviderClass's variables, from outputs the data stack publishes.
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    const variables = [...new Set(fs.readFileSync(path.join(dir, 'secret-provider-class.yaml'), 'utf8').split('\n').filter((l) => !l.trim().startsWith('#')).join('\n').match(/\$\{(\w+)\}/g))].sort();
    expect(variables).toEqual(['${APP_SECRET_ARN}', '${AWS_REGION}', '${MASTER_SECRET_ARN}']);
    expect(readme).toContain(`envsubst '$AWS_REGION $MASTER_SECRET_ARN $APP_SECRET_ARN'`);
    for (const output of readme.match(/out dev-data (\w+)/g)!.map((m) => m.split(' ')[2])) expect(Object.keys(stacks.data.stubOutputs)).toContain(output);
    expect(readme).toContain('export MASTER_SECRET_ARN=$(out dev-data db_instance_master_user_secret_arn)');
    expect(readme).toContain('export APP_SECRET_ARN=$(out dev-data app_db_user_secret_arn)');
  });

  test('every file the script reads is one the SecretProviderClass mounts, from a key the secret holds', () => {
    const [master, app] = parseAllDocuments(spc.spec.parameters.objects)[0].toJS() as Array<z.infer<typeof objectSchema>>;
    expect(master.objectName).toBe('${MASTER_SECRET_ARN}');
    expect(app.objectName).toBe('${APP_SECRET_ARN}');
    // RDS's master secret holds username and password; the data stack writes these keys (DatabaseUserSecret).
    const written = onlyResource(data, 'terraform_data').provisioner[0]['local-exec'].environment.SECRET_STRING as string;
    const appKeys = [...written.matchAll(/"(\w+)" = /g)].map((m) => m[1]);
    expect(master.jmesPath!.every((j) => ['username', 'password'].includes(j.path))).toBe(true);
    expect(app.jmesPath!.every((j) => appKeys.includes(j.path))).toBe(true);
    const mounted = [master, app].flatMap((o) => [o.objectAlias, ...o.jmesPath!.map((j) => j.objectAlias)]);
    const read = [...new Set([...script.matchAll(/(?:\$S|\/mnt\/secrets)\/([\w.-]+)/g)].map((m) => m[1]))].sort();
    expect(read).toEqual(['app-dbname', 'app-password', 'app-username', 'host', 'master-password', 'master-username', 'port']);
    expect(read.filter((f) => !mounted.includes(f))).toEqual([]);
  });

  test.each([dev, prod])('the backend-app\'s manifests ($name) mount the secret the data stack creates, by its name, with the keys it writes, as the service account its role is associated with', (config) => {
    const env = resolveEnvironment(config);
    const objects = backendAppManifests(env) as Array<Record<string, any>>;
    const app = objects.find((o) => o.kind === 'SecretProviderClass')!;
    expect(() => secretProviderClassSchema.parse(app)).not.toThrow();
    const [object] = z.array(objectSchema).parse(JSON.parse(app.spec.parameters.objects));
    const stacks = builtEnvironment(config, { offline: true });
    expect(object.objectName).toBe(stacks.data.stubOutputs.app_db_user_secret_name);
    const written = onlyResource(synthesize(stacks.data), 'terraform_data').provisioner[0]['local-exec'].environment.SECRET_STRING as string;
    const keys = [...written.matchAll(/"(\w+)" = /g)].map((m) => m[1]);
    expect(object.jmesPath!.map((j) => j.path).filter((k) => !keys.includes(k))).toEqual([]);
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    expect(deployment.metadata.namespace ?? app.metadata.namespace).toBe(stacks.data.stubOutputs.app_service_account_namespace);
    expect(deployment.spec.template.spec.serviceAccountName).toBe(stacks.data.stubOutputs.app_service_account_name);
    // The backend reads environment variables from the Secret the driver syncs: the cluster must allow it.
    expect(app.spec.secretObjects).toBeDefined();
    expect(config.cluster.secretsStore?.syncKubernetesSecrets).toBe(true);
  });

  test('restricted Pod Security: non-root, no privilege escalation, no capabilities, RuntimeDefault seccomp, allowed volume types only', () => {
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 70, runAsGroup: 70, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(byKind('ServiceAccount').automountServiceAccountToken).toBe(false);
    for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.resources.limits).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
    }
    const restrictedVolumeTypes = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
    for (const v of pod.volumes) expect(Object.keys(v).filter((k) => k !== 'name').every((k) => restrictedVolumeTypes.includes(k))).toBe(true);
    expect(job.spec).toMatchObject({ backoffLimit: expect.any(Number), activeDeadlineSeconds: expect.any(Number), ttlSecondsAfterFinished: expect.any(Number) });
    expect(pod.restartPolicy).toBe('Never');
  });

  test('no secret value on a command line or in the manifests: passwords go from files into psql variables', () => {
    expect(script).not.toMatch(/-v\s+\w*password/i);
    expect(script).not.toMatch(/PGPASSWORD=[^"$]/);
    expect(script).toContain("\\set app_password `cat /mnt/secrets/app-password`");
    expect(script).toContain("ALTER ROLE :\"app_user\" WITH LOGIN CREATEDB PASSWORD :'app_password';");
    expect(container.env.map((e: { name: string }) => e.name)).not.toContain('PGPASSWORD');
    expect(JSON.stringify(objects)).not.toMatch(/kind":"Secret"/);
  });
});
