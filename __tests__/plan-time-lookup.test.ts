import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { DataAwsEksAddonVersion } from '@cdktf/provider-aws/lib/data-aws-eks-addon-version';
import { EphemeralResource, OFFLINE_LOOKUPS_CONTEXT, PlanTimeLookup } from '../modules';
import { ephemeralResourcesOfType, localExpression, offlineCopy, synthesize } from '../modules/testing';

function stack(offline = false): TerraformStack {
  const s = new TerraformStack(Testing.app(), 'lookups');
  if (offline) s.node.setContext(OFFLINE_LOOKUPS_CONTEXT, true);
  new AwsProvider(s, 'aws', { region: 'ap-northeast-2' });
  return s;
}

describe('PlanTimeLookup', () => {
  test('reads the data source only when offline_lookups is false, and answers with the stub otherwise', () => {
    const s = stack();
    const ami = new PlanTimeLookup(new DataAwsSsmParameter(s, 'ami', { name: '/aws/service/x' }));
    new TerraformOutput(s, 'ami_id', { value: ami.string('insecure_value', 'ami-0stub') });
    new TerraformOutput(s, 'many', { value: ami.list('insecure_value', ['a', 'b']) });
    new TerraformOutput(s, 'n', { value: ami.number('insecure_value', 3) });
    const json = synthesize(s) as any;
    expect(json.data.aws_ssm_parameter.ami.count).toBe('${var.offline_lookups ? 0 : 1}');
    expect(localExpression(json, json.output.ami_id.value)).toBe('${var.offline_lookups ? "ami-0stub" : one(data.aws_ssm_parameter.ami[*].insecure_value)}');
    expect(localExpression(json, json.output.many.value)).toBe('${var.offline_lookups ? ["a", "b"] : one(data.aws_ssm_parameter.ami[*].insecure_value)}');
    expect(localExpression(json, json.output.n.value)).toBe('${var.offline_lookups ? 3 : one(data.aws_ssm_parameter.ami[*].insecure_value)}');
  });

  test('an ephemeral resource (opened at plan and apply) is a lookup too: an `ephemeral` block guarded by offline_lookups, read as ephemeral.<type>.<name>', () => {
    const s = stack();
    const generator = new EphemeralResource(s, 'pw', 'aws_secretsmanager_random_password', { password_length: 32, exclude_punctuation: true });
    const password = new PlanTimeLookup(generator).string('random_password', 'stub');
    new TerraformOutput(s, 'p', { value: password, sensitive: true });
    const json = synthesize(s) as any;
    expect(ephemeralResourcesOfType(json, 'aws_secretsmanager_random_password')).toEqual([{ password_length: 32, exclude_punctuation: true, count: '${var.offline_lookups ? 0 : 1}' }]);
    expect(Object.keys(json.ephemeral.aws_secretsmanager_random_password)).toEqual([generator.friendlyUniqueId]);
    expect(generator.address).toBe(`ephemeral.aws_secretsmanager_random_password.${generator.friendlyUniqueId}`);
    expect(localExpression(json, json.output.p.value)).toBe(`\${var.offline_lookups ? "stub" : one(${generator.address}[*].random_password)}`);
    // Nothing of it lands among data sources or resources (those are stored in plan and state).
    expect(json.data).toBeUndefined();
    expect(json.resource).toBeUndefined();
  });

  test('the value is a local, so a stub never puts quotes inside a JSON document built around it', () => {
    const s = stack();
    const arn = new PlanTimeLookup(new DataAwsSsmParameter(s, 'arn', { name: '/p' })).string('insecure_value', 'arn:aws:iam::111111111111:role/x');
    new TerraformOutput(s, 'doc', { value: JSON.stringify({ Resource: arn }) });
    expect(JSON.parse((synthesize(s) as any).output.doc.value)).toEqual({ Resource: '${local.arn-insecure_value}' });
  });

  test('one offline_lookups variable per stack, false unless the stack is built for offline plans', () => {
    for (const offline of [false, true]) {
      const s = stack(offline);
      new PlanTimeLookup(new DataAwsSsmParameter(s, 'a', { name: '/a' }));
      new PlanTimeLookup(new DataAwsEksAddonVersion(s, 'b', { addonName: 'coredns', kubernetesVersion: '1.35' }));
      const json = synthesize(s) as any;
      expect(Object.keys(json.variable)).toEqual(['offline_lookups']);
      expect(json.variable.offline_lookups).toMatchObject({ type: 'bool', nullable: false, default: offline });
    }
  });

  test("offlineCopy (consumers' offline plans) turns every lookup to its stub", () => {
    const s = stack();
    new PlanTimeLookup(new DataAwsSsmParameter(s, 'a', { name: '/a' }));
    const json = synthesize(s) as any;
    expect(json.variable.offline_lookups.default).toBe(false);
    expect((offlineCopy(json) as any).variable.offline_lookups.default).toBe(true);
    expect(json.variable.offline_lookups.default).toBe(false);
  });
});
