import { FARGATE_LOGGING_MAX_CHARACTERS, FargateLogRouter, FargateLogRouterProps } from '../modules/kubernetes';
import { onlyResource, synthesize } from '../modules/testing';
import { kubernetesTestStack } from './addons-fixtures';

const base: FargateLogRouterProps = { region: 'ap-northeast-2', logGroupName: '/aws/containerinsights/eks-work-prod/fargate' };

function synth(props: Partial<FargateLogRouterProps> = {}) {
  const stack = kubernetesTestStack();
  const router = new FargateLogRouter(stack, 'fargate-log-router', { ...base, ...props });
  return { router, json: synthesize(stack) };
}

/** Sections of one Fluent Bit file: `[NAME]` lines at column 0, then `key value` lines (keys lower-cased). */
function sections(text: string) {
  return text
    .trimEnd()
    .split(/^(?=\[)/m)
    .map((block) => {
      const [name, ...lines] = block.trimEnd().split('\n');
      const keys = Object.fromEntries(lines.map((l) => /^\s*(\S+)\s+(.*)$/.exec(l)!).map((m) => [m[1].toLowerCase(), m[2].trim()]));
      return { name, lines, keys };
    });
}

describe('FargateLogRouter', () => {
  const { json } = synth();
  const ns = onlyResource(json, 'kubernetes_namespace_v1');
  const cm = onlyResource(json, 'kubernetes_config_map_v1');

  test('namespace aws-observability with the aws-observability: enabled label Fargate looks for', () => {
    expect(ns.metadata.name).toBe('aws-observability');
    expect(ns.metadata.labels['aws-observability']).toBe('enabled');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('ConfigMap aws-logging in that namespace (a reference, so it waits for it)', () => {
    expect(cm.metadata.name).toBe('aws-logging');
    expect(cm.metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\..*\.metadata\[0\]\.name\}$/);
    expect(Object.keys(cm.data).sort()).toEqual(['filters.conf', 'flb_log_cw', 'output.conf', 'parsers.conf']);
  });

  test('output: cloudwatch_logs to the given group and region, never creating a group; Fluent Bit process logs off', () => {
    const [out] = sections(cm.data['output.conf']);
    expect(out.name).toBe('[OUTPUT]');
    expect(out.keys).toEqual({ name: 'cloudwatch_logs', match: 'kube.*', region: 'ap-northeast-2', log_group_name: '/aws/containerinsights/eks-work-prod/fargate', log_stream_prefix: 'fargate-', auto_create_group: 'false' });
    expect(cm.data.flb_log_cw).toBe('false');
    expect(cm.data['output.conf']).not.toMatch(/log_retention_days/);
  });

  test('CRI lines parsed and Kubernetes metadata added, without the keys Fargate owns', () => {
    const filters = sections(cm.data['filters.conf']);
    expect(filters.map((f) => [f.keys.name, f.keys.match])).toEqual([['parser', '*'], ['kubernetes', 'kube.*']]);
    expect(filters[0].keys.parser).toBe('crio');
    expect(cm.data['filters.conf']).not.toMatch(/Kube_URL|Kube_CA_File|Kube_Token_Command|Kube_Token_File/);
    const [parser] = sections(cm.data['parsers.conf']);
    expect(parser.keys).toMatchObject({ name: 'crio', format: 'Regex', time_key: 'time' });
    const cri = new RegExp(parser.keys.regex);
    expect(cri.exec('2026-05-01T10:00:00.123456789+00:00 stdout F batch done')?.groups).toMatchObject({ stream: 'stdout', logtag: 'F', log: 'batch done' });
  });

  test('passes the checks Fargate applies to aws-logging', () => {
    const allowed: Record<string, { section: string; names: string[]; required: string[] }> = {
      'filters.conf': { section: '[FILTER]', names: ['grep', 'parser', 'record_modifier', 'rewrite_tag', 'throttle', 'nest', 'modify', 'kubernetes'], required: ['name', 'match'] },
      'output.conf': { section: '[OUTPUT]', names: ['es', 'firehose', 'kinesis_firehose', 'cloudwatch', 'cloudwatch_logs', 'kinesis'], required: ['name', 'match'] },
      'parsers.conf': { section: '[PARSER]', names: [], required: ['name', 'format'] },
    };
    for (const [key, rule] of Object.entries(allowed)) {
      for (const s of sections(cm.data[key])) {
        expect([key, s.name]).toEqual([key, rule.section]);
        for (const r of rule.required) expect([key, r, r in s.keys]).toEqual([key, r, true]);
        if (rule.names.length > 0) expect(rule.names).toContain(s.keys.name);
        // Keys indented more than the directive, all alike.
        expect(new Set(s.lines.map((l) => /^ +/.exec(l)?.[0].length ?? 0))).toEqual(new Set([4]));
      }
      // No ${ENV} (Fargate refuses them; Terraform would read them too).
      expect(cm.data[key]).not.toMatch(/\$\{/);
    }
    expect(sections(cm.data['output.conf']).length).toBeGreaterThanOrEqual(1);
  });

  test("stays under Fargate's 5300 characters even with the longest group name (512) and prefix (64) accepted", () => {
    const { router: longest } = synth({ logGroupName: `/${'x'.repeat(511)}`, logStreamPrefix: 'p'.repeat(64) });
    const size = Object.entries(longest.data).reduce((n, [k, v]) => n + k.length + v.length, 0);
    expect(size).toBeGreaterThan(512 + 64);
    expect(size).toBeLessThanOrEqual(FARGATE_LOGGING_MAX_CHARACTERS);
  });

  test('Kubernetes accepts the objects: names, label keys and values, ConfigMap keys', () => {
    const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
    const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
    const labelKey = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
    expect(ns.metadata.name).toMatch(dns1123Label);
    for (const obj of [ns, cm]) {
      for (const [k, v] of Object.entries<string>(obj.metadata.labels)) {
        expect(k).toMatch(labelKey);
        expect(v.length).toBeLessThanOrEqual(63);
        expect(v).toMatch(labelValue);
      }
    }
    for (const k of Object.keys(cm.data)) expect(k).toMatch(/^[-._a-zA-Z0-9]+$/);
  });

});

describe('FargateLogRouter bad input', () => {
  test.each<[Partial<FargateLogRouterProps>, string]>([
    [{ region: 'Seoul' }, 'region: "Seoul" is not an AWS region'],
    [{ logGroupName: 'bad name' }, 'logGroupName: "bad name" is not a CloudWatch Logs group name'],
    [{ logStreamPrefix: 'a:b' }, 'logStreamPrefix: "a:b" is not a log stream prefix'],
  ])('%j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
