import { ConfigError, EnvironmentConfig } from '../environments';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import { onlyResource, parsePolicy, resourcesOfType } from '../modules/testing';
import { builtEnvironment, synthesizedOnce as synthesize } from './built-environments';
import { configWith as withValue } from './config-fixtures';
import { resolveEnvironment } from '../environments/defaults';
import { backendAppProps, backendAppRoleName } from '../stacks/application';

// Built once per config in this file (see built-environments.ts): read, never change.
const build = (config: EnvironmentConfig = dev) => builtEnvironment(config, { offline: true });

describe('data, registry, frontend and batch stacks', () => {
  const envStacks = build();

  test('stack ids and deploy order: data and batch after the cluster, registry and frontend after state', () => {
    const ids = envStacks.all.map((s) => s.node.id);
    for (const id of ['dev-data', 'dev-registry', 'dev-frontend', 'dev-batch']) expect(ids).toContain(id);
    expect(ids.indexOf('dev-data')).toBeGreaterThan(ids.indexOf('dev-cluster'));
    expect(ids.indexOf('dev-batch')).toBeGreaterThan(ids.indexOf('dev-cluster'));
    const deps = (s: { dependencies: { node: { id: string } }[] }) => s.dependencies.map((d) => d.node.id);
    expect(deps(envStacks.data as any)).toEqual(expect.arrayContaining(['dev-network', 'dev-cluster']));
    expect(deps(envStacks.batch as any)).toEqual(['dev-cluster']);
    expect(deps(envStacks.registry as any)).toEqual(['dev-state']);
    expect(deps(envStacks.frontend as any)).toEqual(['dev-state']);
  });

  test('published outputs, with stubs for offline plans downstream', () => {
    const outputs = (s: { stubOutputs: Record<string, unknown> }) => Object.keys(s.stubOutputs).sort();
    expect(outputs(envStacks.data)).toEqual([
      'app_db_user_secret_arn', 'app_db_user_secret_name', 'app_secrets_role_arn', 'app_service_account_name', 'app_service_account_namespace',
      'bastion_instance_id', 'bastion_security_group_id', 'db_admin_role_arn', 'db_admin_service_account_name',
      'db_instance_address', 'db_instance_endpoint', 'db_instance_master_user_secret_arn', 'db_instance_port', 'db_kms_key_arn', 'db_security_group_id',
    ]);
    expect(envStacks.data.stubOutputs).toMatchObject({
      app_db_user_secret_arn: 'arn:aws:secretsmanager:ap-northeast-2:111111111111:secret:eks-work-dev/backend-app/db-OFFLNE',
      app_db_user_secret_name: 'eks-work-dev/backend-app/db',
      app_secrets_role_arn: 'arn:aws:iam::111111111111:role/eks-work-dev-backend-app',
      db_admin_role_arn: 'arn:aws:iam::111111111111:role/eks-work-dev-database-admin',
      app_service_account_namespace: 'eks-work',
      app_service_account_name: 'backend-app',
      db_admin_service_account_name: 'database-admin',
    });
    expect(outputs(envStacks.registry)).toEqual(['image_ci_role_arn', 'registry_url', 'repository_arn', 'repository_url']);
    expect(outputs(envStacks.frontend)).toEqual(['cloudfront_distribution_arn', 'cloudfront_distribution_domain_name', 'cloudfront_distribution_id', 'cloudfront_url', 'log_bucket_id', 's3_bucket_id']);
    expect(outputs(build(prod).frontend)).toContain('web_acl_arn');
    expect(outputs(envStacks.batch)).toEqual(['batch_bucket_arn', 'batch_bucket_id', 'batch_role_arn', 'batch_service_account_name', 'batch_service_account_namespace']);
    expect(envStacks.batch.stubOutputs.batch_role_arn).toBe('arn:aws:iam::111111111111:role/eks-work-dev-batch-app');
    expect(envStacks.registry.stubOutputs.repository_url).toEqual({
      'k8sbook/backend-app': '111111111111.dkr.ecr.ap-northeast-2.amazonaws.com/k8sbook/backend-app',
      'k8sbook/batch-app': '111111111111.dkr.ecr.ap-northeast-2.amazonaws.com/k8sbook/batch-app',
    });
  });

  test('the database admits the node security group read from the cluster stack', () => {
    const json = synthesize(envStacks.data);
    const rules = resourcesOfType(json, 'aws_vpc_security_group_ingress_rule').map((r) => r.referenced_security_group_id);
    expect(rules).toEqual([expect.stringContaining('node_security_group_id'), expect.stringMatching(/aws_security_group\..*bastion/)]);
  });

  test('with Fargate on (prod), the database also admits the cluster primary group Fargate pods carry', () => {
    const rules = resourcesOfType(synthesize(build(prod).data), 'aws_vpc_security_group_ingress_rule').map((r) => r.referenced_security_group_id);
    expect(rules).toEqual([
      expect.stringContaining('node_security_group_id'),
      expect.stringContaining('cluster_primary_security_group_id'),
      expect.stringMatching(/aws_security_group\..*bastion/),
    ]);
  });

  test('the frontend stack has a us-east-1 provider with the same guard and tags', () => {
    const online = synthesize(builtEnvironment(prod).frontend);
    const providers = online.provider!.aws;
    const east = providers.find((p) => p.alias === 'us-east-1')!;
    expect(east).toMatchObject({ region: 'us-east-1', allowed_account_ids: ['222222222222'] });
    expect(east.default_tags).toEqual(providers.find((p) => !p.alias)!.default_tags);
    expect(onlyResource(online, 'aws_wafv2_web_acl').provider).toBe('aws.us-east-1');
  });

  test('names derive from the environment prefix and account', () => {
    expect(envStacks.frontend.stubOutputs.s3_bucket_id).toBe('eks-work-dev-frontend-111111111111');
    expect(envStacks.batch.stubOutputs.batch_bucket_id).toBe('eks-work-dev-batch-111111111111');
    expect(onlyResource(synthesize(envStacks.data), 'aws_db_instance').identifier).toBe('eks-work-dev-db');
  });

  test('the application user: its secret under the prefix, with the database\'s key; the backend\'s role reads it only, the admin job\'s also the master secret', () => {
    const json = synthesize(envStacks.data);
    const key = '${aws_kms_key.database_key_CA7EEF20.arn}';
    expect(onlyResource(json, 'aws_secretsmanager_secret')).toMatchObject({ name: 'eks-work-dev/backend-app/db', kms_key_id: key });
    const secret = '${aws_secretsmanager_secret.app-database-user_secret.arn}';
    const master = '${aws_db_instance.database_instance.master_user_secret[0].secret_arn}';
    const roles = json.resource!.aws_iam_role as Record<string, any>;
    const readable = Object.fromEntries(resourcesOfType(json, 'aws_eks_pod_identity_association').map((a) => {
      const id = Object.keys(roles).find((r) => a.role_arn === `\${aws_iam_role.${r}.arn}`)!;
      const policy = resourcesOfType(json, 'aws_iam_role_policy').find((p) => p.role === `\${aws_iam_role.${id}.id}`)!;
      const [read, decrypt] = parsePolicy(policy.policy).Statement;
      expect(decrypt.Resource).toEqual([key]);
      expect(a.cluster_name).toMatch(/^\$\{local\.cluster-outputs-outputs-cluster_name/);
      return [`${a.namespace}/${a.service_account} ${roles[id].name}`, read.Resource];
    }));
    expect(readable).toEqual({
      'eks-work/backend-app eks-work-dev-backend-app': [secret],
      'eks-work/database-admin eks-work-dev-database-admin': [master, secret],
    });
  });

  test('the secret and the backend-app\'s role carry the names its manifests use (stacks/application.ts); the namespace follows application.namespace; enabled: false leaves them out', () => {
    const custom = build(withValue(withValue(dev, 'database.appUser', { username: 'shop', databaseName: 'shopdb', adminServiceAccount: 'dba' }), 'application.namespace', 'eks-work-batch'));
    const json = synthesize(custom.data);
    const app = backendAppProps(resolveEnvironment(dev));
    expect(onlyResource(synthesize(envStacks.data), 'aws_secretsmanager_secret').name).toBe(app.secret!.secretName);
    expect(onlyResource(json, 'aws_secretsmanager_secret').name).toBe('eks-work-dev/backend-app/db');
    expect(onlyResource(json, 'terraform_data').triggers_replace).toMatchObject({ username: 'shop', dbname: 'shopdb' });
    expect(resourcesOfType(json, 'aws_eks_pod_identity_association').map((a) => `${a.namespace}/${a.service_account}`).sort()).toEqual([`eks-work-batch/${app.name}`, 'eks-work-batch/dba']);
    expect(resourcesOfType(json, 'aws_iam_role').map((r) => r.name).filter((n) => /backend-app|dba/.test(n)).sort()).toEqual([backendAppRoleName(resolveEnvironment(dev)), 'eks-work-dev-dba']);
    const off = build(withValue(dev, 'database.appUser', { enabled: false }));
    const offJson = synthesize(off.data);
    expect(resourcesOfType(offJson, 'aws_secretsmanager_secret')).toEqual([]);
    expect(resourcesOfType(offJson, 'aws_eks_pod_identity_association')).toEqual([]);
    expect(offJson.ephemeral).toBeUndefined();
    expect(Object.keys(off.data.stubOutputs).filter((o) => /^app_|db_admin/.test(o))).toEqual([]);
  });

  test('the bastion can be turned off; then only the nodes reach the database', () => {
    const json = synthesize(build(withValue(dev, 'bastion.enabled', false)).data);
    expect(resourcesOfType(json, 'aws_instance')).toHaveLength(0);
    expect(resourcesOfType(json, 'aws_vpc_security_group_ingress_rule')).toHaveLength(1);
  });
});

describe('bad input stops synth with one clear message', () => {
  test.each<[string, unknown, string]>([
    ['database.engineVersion', 'postgres17', 'environment "dev": database.engineVersion: "postgres17" is not an RDS for PostgreSQL version'],
    ['database.engineVersion', '11', 'environment "dev": database.engineVersion: "11" is not a supported PostgreSQL major'],
    ['database.instanceClass', 'db.t4g', 'environment "dev": database.instanceClass: "db.t4g" is not an RDS instance class'],
    ['database.backupRetentionDays', 0, 'environment "dev": database.backupRetentionDays: 0 is outside what RDS keeps; allowed: whole days from 1 to 35'],
    ['database.backupRetentionDays', 40, 'environment "dev": database.backupRetentionDays: 40 is outside what RDS keeps'],
    ['database.allocatedStorage', 100, 'environment "dev": database.allocatedStorage: 100 GiB is above maxAllocatedStorage (50 GiB)'],
    ['database.multiAZ', true, 'environment "dev": database: unknown field "multiAZ"'],
    ['bastion.instanceType', 'nano', 'environment "dev": bastion.instanceType: "nano" is not an EC2 instance type'],
    ['registry.repositories', ['k8sbook/Backend-App'], 'environment "dev": registry.repositories[0]: "k8sbook/Backend-App" is not a name ECR accepts'],
    ['registry.imageTagMutability', 'immutable', 'environment "dev": registry.imageTagMutability: "immutable" is not allowed; allowed: "IMMUTABLE" | "MUTABLE"'],
    ['frontend.bucketName', 'Frontend.Bucket', 'environment "dev": frontend.bucketName: "Frontend.Bucket" is not a valid S3 bucket name'],
    ['frontend.domainNames', ['www.example.com'], 'environment "dev": frontend.domainNames: ["www.example.com"] has no certificate; allowed: also set certificateArn (ACM, us-east-1) or hostedZoneId'],
    ['frontend.webAcl', 'arn:aws:wafv2:ap-northeast-2:111111111111:regional/webacl/api/11111111-2222-4333-8444-555555555555', 'environment "dev": frontend.webAcl: "arn:aws:wafv2:ap-northeast-2:111111111111:regional/webacl/api/11111111-2222-4333-8444-555555555555" is not a CLOUDFRONT-scope web ACL'],
    ['frontend.priceClass', 'cheap', 'environment "dev": frontend.priceClass: "cheap" is not allowed; allowed: "PriceClass_100" | "PriceClass_200" | "PriceClass_All"'],
    ['batch.bucketName', 'eks_work_batch', 'environment "dev": batch.bucketName: "eks_work_batch" is not a valid S3 bucket name'],
    ['batch.namespace', 'Batch', 'environment "dev": batch.namespace: "Batch" is not a Kubernetes namespace name'],
    ['database.appUser.username', 'my-work', 'environment "dev": database.appUser.username: "my-work" is not a usable PostgreSQL user name'],
    ['database.appUser.recoveryWindowDays', 1, 'environment "dev": database.appUser.recoveryWindowDays: 1 is not a recovery window Secrets Manager accepts'],
    ['database.appUser.adminServiceAccount', 'backend-app', 'environment "dev": database.appUser.adminServiceAccount: "backend-app" is also the application\'s service account'],
    ['database.appUser.password', 'x', 'environment "dev": database.appUser: unknown field "password"'],
  ])('%s = %j', (path, value, message) => {
    const attempt = () => build(withValue(dev, path, value));
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });
});
