import { DatabaseUserSecret, DatabaseUserSecretProps, OFFLINE_PASSWORD_STUB } from '../modules';
import { awsTestStack, ephemeralResourcesOfType, localExpression, onlyResource, resourcesOfType, synthesize } from '../modules/testing';

const KEY = 'arn:aws:kms:ap-northeast-2:111111111111:key/00000000-0000-4000-8000-000000000001';
const base: DatabaseUserSecretProps = {
  secretName: 'eks-work-dev/backend-app/db',
  region: 'ap-northeast-2',
  kmsKeyArn: KEY,
  host: 'eks-work-dev-db.abc.ap-northeast-2.rds.amazonaws.com',
};

function synth(props: Partial<DatabaseUserSecretProps> = {}) {
  const stack = awsTestStack();
  const secret = new DatabaseUserSecret(stack, 'app-database-user', { ...base, ...props });
  return { json: synthesize(stack), secret };
}

describe('DatabaseUserSecret', () => {
  const { json, secret } = synth();
  const writer = onlyResource(json, 'terraform_data');
  const exec = writer.provisioner[0]['local-exec'];

  test('a KMS-encrypted secret under the given name, at an address without hash (import it after a lost state: it cannot be created twice)', () => {
    expect(json.resource!.aws_secretsmanager_secret).toEqual({
      'app-database-user_secret': expect.objectContaining({ name: 'eks-work-dev/backend-app/db', kms_key_id: KEY, recovery_window_in_days: 30 }),
    });
    expect(json.moved).toEqual([expect.objectContaining({ to: 'aws_secretsmanager_secret.app-database-user_secret' })]);
    expect(secret.username).toBe('mywork');
    expect(secret.databaseName).toBe('myworkdb');
  });

  test('no value in any resource: no secret version resource, no secret_string of any kind', () => {
    expect(resourcesOfType(json, 'aws_secretsmanager_secret_version')).toEqual([]);
    // No attribute of any resource (what plan and state hold; provisioner blocks are neither) is a
    // secret value or a password, and the password's local is used in the provisioner only.
    const keys = (o: unknown): string[] => (o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => (k === 'provisioner' ? [] : [k, ...keys(v)])) : []);
    expect(keys(json.resource).filter((k) => /secret_string|secret_binary|password/i.test(k) && k !== 'passwordVersion')).toEqual([]);
    const local = /local\.[\w-]+/.exec(exec.environment.SECRET_STRING)![0];
    expect(JSON.stringify({ ...json.resource, terraform_data: { ...json.resource!.terraform_data, [Object.keys(json.resource!.terraform_data)[0]]: { ...writer, provisioner: [] } } })).not.toContain(local);
    expect(JSON.stringify(json.output ?? {})).not.toContain(local);
    // The password is no triggers_replace key either: only what the value is made of besides it.
    expect(Object.keys(writer.triggers_replace).sort()).toEqual(['dbname', 'engine', 'host', 'passwordVersion', 'port', 'secret', 'username']);
  });

  test('the password comes from the ephemeral aws_secretsmanager_random_password (letters and digits), offline from a stand-in', () => {
    expect(ephemeralResourcesOfType(json, 'aws_secretsmanager_random_password')).toEqual([
      { password_length: 32, exclude_punctuation: true, include_space: false, require_each_included_type: true, count: '${var.offline_lookups ? 0 : 1}' },
    ]);
    const [name] = Object.keys(json.ephemeral!.aws_secretsmanager_random_password);
    const reference = /local\.[\w-]+/.exec(exec.environment.SECRET_STRING)![0];
    expect(localExpression(json, `\${${reference}}`)).toBe(`\${var.offline_lookups ? "${OFFLINE_PASSWORD_STUB}" : one(ephemeral.aws_secretsmanager_random_password.${name}[*].random_password)}`);
  });

  test('the value (JSON of strings, as the CSI driver\'s jmesPath needs) is written once by a create-time local-exec, through stdin', () => {
    expect(exec.interpreter).toEqual(['/bin/sh', '-c']);
    expect(exec.command).toBe(
      'printf \'%s\' "$SECRET_STRING" | aws secretsmanager put-secret-value --region "$SECRET_REGION" --secret-id "$SECRET_ARN" --secret-string file:///dev/stdin --query VersionId --output text',
    );
    // The command line names no value: the secret's content only ever is in an environment variable.
    expect(exec.command).not.toMatch(/\$\{/);
    expect(exec.environment.SECRET_ARN).toBe('${aws_secretsmanager_secret.app-database-user_secret.arn}');
    expect(exec.environment.SECRET_REGION).toBe('ap-northeast-2');
    expect(exec.environment.SECRET_STRING).toMatch(
      /^\$\{jsonencode\(\{"engine" = "postgres", "host" = "eks-work-dev-db\.abc\.ap-northeast-2\.rds\.amazonaws\.com", "port" = tostring\(5432\), "username" = "mywork", "dbname" = "myworkdb", "password" = local\.[\w-]+\}\)\}$/,
    );
    expect(writer.provisioner[0]['local-exec'].when).toBeUndefined();
  });

  test('a new password version, or another host, replaces the writer (a new current version); the secret stays', () => {
    const { json: next } = synth({ passwordVersion: 2 });
    expect(onlyResource(next, 'terraform_data').triggers_replace.passwordVersion).toBe(2);
    expect(writer.triggers_replace).toMatchObject({ passwordVersion: 1, host: base.host, secret: '${aws_secretsmanager_secret.app-database-user_secret.arn}' });
    expect(onlyResource(next, 'aws_secretsmanager_secret')).toEqual(onlyResource(json, 'aws_secretsmanager_secret'));
  });

  test('other user, database, length and recovery window', () => {
    const { json: j } = synth({ username: 'shop', databaseName: 'shopdb', passwordLength: 48, recoveryWindowDays: 0 });
    expect(onlyResource(j, 'aws_secretsmanager_secret').recovery_window_in_days).toBe(0);
    expect(ephemeralResourcesOfType(j, 'aws_secretsmanager_random_password')[0].password_length).toBe(48);
    expect(onlyResource(j, 'terraform_data').triggers_replace).toMatchObject({ username: 'shop', dbname: 'shopdb' });
  });
});

describe('DatabaseUserSecret bad input', () => {
  test.each<[Partial<DatabaseUserSecretProps>, string]>([
    [{ username: 'pg_admin' }, 'username: "pg_admin" is not a usable PostgreSQL user name'],
    [{ username: 'my-work' }, 'username: "my-work" is not a usable PostgreSQL user name'],
    [{ databaseName: '1db' }, 'databaseName: "1db" is not a database name'],
    [{ passwordLength: 8 }, 'passwordLength: 8 is not a password length; allowed: whole numbers from 16 to 128'],
    [{ passwordVersion: 0 }, 'passwordVersion: 0 is not a password version'],
    [{ recoveryWindowDays: 3 }, 'recoveryWindowDays: 3 is not a recovery window Secrets Manager accepts; allowed: 0 (delete at once) or 7 to 30 days'],
    [{ secretName: 'eks work/db' }, 'secretName: "eks work/db" is not a usable secret name'],
    [{ secretName: 'db/app-abc123' }, 'secretName: "db/app-abc123" is not a usable secret name'],
    [{ port: 70000 }, 'port: 70000 is not a TCP port'],
  ])('%j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
