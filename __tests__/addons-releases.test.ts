import { AddonReleases, AddonReleasesProps, selectAddons } from '../modules/addons';
import { onlyResource, resourcesOfType, synthesize } from '../modules/testing';
import { FACTS, kubernetesTestStack } from './addons-fixtures';

const ROLES = {
  'aws-load-balancer-controller': 'arn:aws:iam::111111111111:role/eks-work-dev-load-balancer-controller',
  'cluster-autoscaler': 'arn:aws:iam::111111111111:role/eks-work-dev-cluster-autoscaler',
  'aws-cloudwatch-metrics': 'arn:aws:iam::111111111111:role/eks-work-dev-cloudwatch-agent',
  fluentd: 'arn:aws:iam::111111111111:role/eks-work-dev-fluentd',
  'aws-for-fluent-bit': 'arn:aws:iam::111111111111:role/eks-work-dev-fluent-bit',
  'amazon-cloudwatch-observability': 'arn:aws:iam::111111111111:role/eks-work-dev-cw-observability',
};

const WITH_VPC = { ...FACTS, vpcId: 'vpc-0123456789abcdef0' };

function synth(selection: Parameters<typeof selectAddons>[0] = {}, props: Partial<AddonReleasesProps> = {}) {
  const stack = kubernetesTestStack();
  const releases = new AddonReleases(stack, 'addons', { addons: selectAddons(selection), facts: WITH_VPC, roleArns: ROLES, ...props });
  const json = synthesize(stack);
  const release = (name: string) => resourcesOfType(json, 'helm_release').find((r) => r.name === name)!;
  const values = (name: string) => JSON.parse(release(name).values[0]);
  return { releases, json, release, values };
}

/** The `<name ...>...</name>` blocks of a Fluentd config, outermost first. */
function blocks(conf: string, name: string): string[] {
  return [...conf.matchAll(new RegExp(`^\\s*<${name}[ >][\\s\\S]*?^\\s*</${name}>`, 'gm'))].map((m) => m[0].trim());
}

/** The value of the first `key value` line of a Fluentd block. */
function directive(block: string, key: string): string | undefined {
  return new RegExp(`^\\s*${key} (.+)$`, 'm').exec(block)?.[1];
}

/** `[match pattern, log group]` of every cloudwatch_logs match of a Fluentd config. */
function outputs(conf: string): string[][] {
  return blocks(conf, 'match')
    .filter((b) => directive(b, '@type') === 'cloudwatch_logs')
    .map((b) => [/^<match (.+)>/.exec(b)![1], directive(b, 'log_group_name')!]);
}

/** The `[NAME]` sections of a Fluent Bit config, each as key -> values (keys repeat). */
function fbSections(conf: string, name: string): Array<Record<string, string[]>> {
  return conf
    .split(/^\[/m)
    .filter((part) => part.startsWith(`${name}]`))
    .map((part) => {
      const out: Record<string, string[]> = {};
      for (const line of part.split('\n').slice(1)) {
        const m = /^\s+(\S+)\s+(.+)$/.exec(line);
        if (m) (out[m[1]] ??= []).push(m[2].trim());
      }
      return out;
    });
}

describe('AddonReleases', () => {
  const { json, release, values } = synth();

  test.each([
    ['aws-load-balancer-controller', 'aws-load-balancer-controller', 'https://aws.github.io/eks-charts', '3.5.0', 'kube-system'],
    ['metrics-server', 'metrics-server', 'https://kubernetes-sigs.github.io/metrics-server/', '3.13.1', 'kube-system'],
    ['cluster-autoscaler', 'cluster-autoscaler', 'https://kubernetes.github.io/autoscaler', '9.59.0', 'kube-system'],
    ['aws-cloudwatch-metrics', 'aws-cloudwatch-metrics', 'https://aws.github.io/eks-charts', '0.0.11', 'amazon-cloudwatch'],
    ['fluentd', 'fluentd', 'https://fluent.github.io/helm-charts', '0.6.0', 'amazon-cloudwatch'],
  ])('%s: chart %s from %s at %s in %s, atomic, one JSON values document', (name, chart, repository, version, namespace) => {
    expect(release(name)).toMatchObject({ chart, repository, version, namespace: namespace === 'kube-system' ? namespace : expect.stringMatching(new RegExp(`^\\$\\{kubernetes_namespace_v1\\.addons_namespace-${namespace}_\\w+\\.metadata\\[0\\]\\.name\\}$`)), atomic: true, cleanup_on_fail: true, create_namespace: false });
    expect(release(name).values).toHaveLength(1);
    expect(release(name).set).toBeUndefined();
  });

  test('cluster-autoscaler: auto-discovery by cluster name, region, named service account with its IRSA role, 1.35 image, the args', () => {
    const v = values('cluster-autoscaler');
    expect(v.autoDiscovery).toEqual({ clusterName: 'eks-work-dev' });
    expect(v.awsRegion).toBe('ap-northeast-2');
    expect(v.cloudProvider).toBe('aws');
    expect(v.rbac.serviceAccount).toEqual({ create: true, name: 'cluster-autoscaler', annotations: { 'eks.amazonaws.com/role-arn': ROLES['cluster-autoscaler'] } });
    expect(v.image).toEqual({ tag: 'v1.35.0' });
    expect(v.extraArgs).toEqual({ 'balance-similar-node-groups': true, expander: 'least-waste', 'skip-nodes-with-local-storage': false });
  });

  test('the image tag follows the cluster minor version', () => {
    const { values: v } = synth({}, { facts: { ...WITH_VPC, kubernetesVersion: '1.33' } });
    expect(v('cluster-autoscaler').image.tag).toBe('v1.33.0');
  });

  test('a cluster version outside the table needs an explicit image tag', () => {
    expect(() => synth({}, { facts: { ...WITH_VPC, kubernetesVersion: '1.29' } })).toThrow(
      'charts.cluster-autoscaler.values.image.tag: no cluster-autoscaler image for Kubernetes "1.29"; allowed: a version in the table (1.30, 1.31, 1.32, 1.33, 1.34, 1.35) or an explicit image.tag such as "v1.35.0"',
    );
    const { values: v } = synth({ charts: { 'cluster-autoscaler': { values: { image: { tag: 'v1.29.4' } } } } }, { facts: { ...WITH_VPC, kubernetesVersion: '1.29' } });
    expect(v('cluster-autoscaler').image.tag).toBe('v1.29.4');
  });

  test('CloudWatch agent: cluster name, host network (IMDS at hop limit 1), and the Terraform-made service account annotated with its role', () => {
    expect(values('aws-cloudwatch-metrics')).toMatchObject({ clusterName: 'eks-work-dev', serviceAccount: { create: false, name: 'cloudwatch-agent' }, hostNetwork: true });
    // Host networking and no host ports: statsd and X-Ray (the chart's only hostPort users) stay off.
    expect(values('aws-cloudwatch-metrics').statsd).toBeUndefined();
    expect(values('aws-cloudwatch-metrics').xray).toBeUndefined();
    const sa = onlyResource(json, 'kubernetes_service_account_v1');
    expect(sa.metadata).toMatchObject({ name: 'cloudwatch-agent', namespace: expect.stringContaining('kubernetes_namespace_v1'), annotations: { 'eks.amazonaws.com/role-arn': ROLES['aws-cloudwatch-metrics'] } });
    expect(release('aws-cloudwatch-metrics').depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^kubernetes_service_account_v1\./)]));
  });

  test('Fluentd: cloudwatch variant, IRSA annotation, region and node name, output to the application group with streams only', () => {
    const v = values('fluentd');
    expect(v.variant).toBe('cloudwatch');
    expect(v.serviceAccount).toEqual({ create: true, name: 'fluentd', annotations: { 'eks.amazonaws.com/role-arn': ROLES.fluentd } });
    expect(v.env).toEqual([
      { name: 'AWS_REGION', value: 'ap-northeast-2' },
      { name: 'K8S_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    ]);
    expect(Object.keys(v.fileConfigs)).toEqual(['04_outputs.conf', '05_dataplane.conf', '06_host.conf']);
    const out: string = v.fileConfigs['04_outputs.conf'];
    expect(out).toContain('@type cloudwatch_logs');
    expect(out).toContain('log_group_name /aws/containerinsights/eks-work-dev/application');
    expect(out).toContain('region ap-northeast-2');
    expect(out).toContain('auto_create_stream true');
    for (const conf of Object.values<string>(v.fileConfigs)) expect(conf).not.toMatch(/retention_in_days|\$\{|%\{/);
  });

  test('Fluentd: kubelet and containerd journal plus the aws-node and kube-proxy containers go to the dataplane group', () => {
    const { '04_outputs.conf': out, '05_dataplane.conf': dataplane } = values('fluentd').fileConfigs;
    expect(blocks(dataplane, 'source').map((b) => [directive(b, '@type'), directive(b, 'matches'), directive(b, 'path'), directive(b, '@label')])).toEqual([
      ['systemd', '[{"_SYSTEMD_UNIT":"kubelet.service"}]', '/var/log/journal', '@DATAPLANE'],
      ['systemd', '[{"_SYSTEMD_UNIT":"containerd.service"}]', '/var/log/journal', '@DATAPLANE'],
    ]);
    // One stream per unit and node; cursors kept on the node; new entries only on first start.
    expect(blocks(dataplane, 'source').map((b) => directive(b, 'tag'))).toEqual([`"kubelet.service.#{ENV.fetch('K8S_NODE_NAME')}"`, `"containerd.service.#{ENV.fetch('K8S_NODE_NAME')}"`]);
    expect(blocks(dataplane, 'source').every((b) => directive(b, 'read_from_head') === 'false' && /path \/var\/log\/fluentd-journald-/.test(b))).toBe(true);
    expect(outputs(dataplane)).toEqual([['**', '/aws/containerinsights/eks-work-dev/dataplane']]);
    // Relabelled before the application match, so they are not in the application group too.
    const relabel = blocks(out, 'match')[0];
    expect(relabel.split('\n')[0]).toBe('<match kubernetes.var.log.containers.aws-node-*_kube-system_*.log kubernetes.var.log.containers.kube-proxy-*_kube-system_*.log>');
    expect([directive(relabel, '@type'), directive(relabel, '@label')]).toEqual(['relabel', '@DATAPLANE']);
  });

  test('Fluentd: kernel, system and authpriv messages from the journal (AL2023 has no /var/log/messages) go to the host group', () => {
    const host: string = values('fluentd').fileConfigs['06_host.conf'];
    expect(blocks(host, 'source').map((b) => [directive(b, 'tag'), directive(b, 'matches')])).toEqual([
      [`"host.dmesg.#{ENV.fetch('K8S_NODE_NAME')}"`, '[{"_TRANSPORT":"kernel"}]'],
      [`"host.messages.#{ENV.fetch('K8S_NODE_NAME')}"`, '[{"PRIORITY":["0","1","2","3","4","5","6"]}]'],
      [`"host.secure.#{ENV.fetch('K8S_NODE_NAME')}"`, '[{"SYSLOG_FACILITY":"10"}]'],
    ]);
    expect(host).not.toMatch(/\/var\/log\/(messages|secure|dmesg)\b/);
    // mail, cron and authpriv stay out of messages, as rsyslog's default did.
    expect(host).toMatch(/<filter host\.messages\.\*\*>\s+@type grep\s+<exclude>\s+key facility\s+pattern \/\^\(2\|9\|10\)\$\/\s+<\/exclude>/);
    expect(outputs(host)).toEqual([['**', '/aws/containerinsights/eks-work-dev/host']]);
  });

  test('Fluentd: every file is well nested and every label sent to exists', () => {
    const files = Object.values<string>(values('fluentd').fileConfigs);
    for (const conf of files) {
      const stack: string[] = [];
      for (const line of conf.split('\n')) {
        const m = /^\s*<(\/?)([a-z_]+)[^>]*>\s*$/.exec(line);
        if (!m) continue;
        if (m[1]) expect(stack.pop()).toBe(m[2]);
        else stack.push(m[2]);
      }
      expect(stack).toEqual([]);
    }
    const all = files.join('\n');
    const defined = new Set([...all.matchAll(/<label (@\w+)>/g)].map((m) => m[1]));
    const sentTo = new Set([...all.matchAll(/@label (@\w+)/g)].map((m) => m[1]));
    expect([...sentTo].filter((l) => !defined.has(l))).toEqual([]);
    expect([...defined].sort()).toEqual(['@DATAPLANE', '@HOST', '@OUTPUT']);
  });

  test('amazon-cloudwatch is created with the privileged Pod Security level the node agents need', () => {
    const [ns] = resourcesOfType(json, 'kubernetes_namespace_v1');
    expect(ns.metadata.name).toBe('amazon-cloudwatch');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(release('fluentd').depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^kubernetes_namespace_v1\./)]));
  });

  test('aws-for-fluent-bit: region, container logs (kube.*) to the application group, no group creation, IRSA annotation', () => {
    const { values: v, release: r } = synth({ logShipper: 'fluent-bit' });
    expect(r('aws-for-fluent-bit')).toMatchObject({ chart: 'aws-for-fluent-bit', version: '0.2.0', namespace: expect.stringContaining('namespace-amazon-cloudwatch') });
    expect(v('aws-for-fluent-bit').cloudWatchLogs).toEqual({
      enabled: true,
      match: 'kube.*',
      region: 'ap-northeast-2',
      logGroupName: '/aws/containerinsights/eks-work-dev/application',
      logGroupTemplate: null,
      logStreamPrefix: 'fluentbit-',
      autoCreateGroup: false,
    });
    expect(v('aws-for-fluent-bit').serviceAccount.annotations).toEqual({ 'eks.amazonaws.com/role-arn': ROLES['aws-for-fluent-bit'] });
  });

  test('aws-for-fluent-bit: journal inputs for kubelet/containerd and the host, each record routed to exactly one group', () => {
    const v = synth({ logShipper: 'fluent-bit' }).values('aws-for-fluent-bit');
    const inputs = fbSections(v.additionalInputs, 'INPUT');
    expect(inputs.map((i) => [i.Tag[0], i.Name[0], i.Systemd_Filter, i.Path[0], i.Read_From_Tail[0]])).toEqual([
      ['dataplane.systemd.*', 'systemd', ['_SYSTEMD_UNIT=kubelet.service', '_SYSTEMD_UNIT=containerd.service'], '/var/log/journal', 'On'],
      ['host.dmesg', 'systemd', ['_TRANSPORT=kernel'], '/var/log/journal', 'On'],
      ['host.messages', 'systemd', ['0', '1', '2', '3', '4', '5', '6'].map((p) => `PRIORITY=${p}`), '/var/log/journal', 'On'],
      ['host.secure', 'systemd', ['SYSLOG_FACILITY=10'], '/var/log/journal', 'On'],
    ]);
    const [retag] = fbSections(v.additionalFilters, 'FILTER');
    expect(retag).toMatchObject({ Name: ['rewrite_tag'], Match: ['kube.*'], Rule: ["$kubernetes['pod_name'] ^(aws-node|kube-proxy)-[a-z0-9]{5}$ dataplane.pod.$TAG false"] });
    // Where a record of each kind ends up: the chart's own output (application) plus ours.
    const routes: Array<{ match: string; group: string; autoCreate?: string }> = [
      { match: v.cloudWatchLogs.match, group: v.cloudWatchLogs.logGroupName, autoCreate: String(v.cloudWatchLogs.autoCreateGroup) },
      ...fbSections(v.additionalOutputs, 'OUTPUT').map((o) => ({ match: o.Match[0], group: o.log_group_name[0], autoCreate: o.auto_create_group[0] })),
    ];
    const groupsOf = (tag: string) => routes.filter((r) => new RegExp(`^${r.match.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`).test(tag)).map((r) => r.group.split('/').pop());
    expect(
      Object.fromEntries(
        ['kube.var.log.containers.backend-app-7d4b9_eks-work_backend-app-0a1b.log', 'dataplane.systemd.kubelet.service', 'dataplane.pod.kube.var.log.containers.aws-node-x2k9f_kube-system_aws-node-0a1b.log', 'host.dmesg', 'host.messages', 'host.secure'].map((t) => [t, groupsOf(t)]),
      ),
    ).toEqual({
      'kube.var.log.containers.backend-app-7d4b9_eks-work_backend-app-0a1b.log': ['application'],
      'dataplane.systemd.kubelet.service': ['dataplane'],
      'dataplane.pod.kube.var.log.containers.aws-node-x2k9f_kube-system_aws-node-0a1b.log': ['dataplane'],
      'host.dmesg': ['host'],
      'host.messages': ['host'],
      'host.secure': ['host'],
    });
    expect(routes.every((r) => r.autoCreate === 'false')).toBe(true);
    for (const text of [v.additionalInputs, v.additionalFilters, v.additionalOutputs]) expect(text).not.toMatch(/\$\{|%\{/);
  });

  test('amazon-cloudwatch-observability: cluster name and region, no annotation (Pod Identity)', () => {
    const { values: v, json: j } = synth({ cloudwatch: 'cloudwatch-observability' });
    expect(v('amazon-cloudwatch-observability')).toEqual({ clusterName: 'eks-work-dev', region: 'ap-northeast-2', agent: { serviceAccount: { name: 'cloudwatch-agent' } } });
    expect(resourcesOfType(j, 'kubernetes_service_account_v1')).toHaveLength(0);
  });

  test('config values merge over the add-on values, and a version override reaches the release', () => {
    const { values: v, release: r } = synth({ charts: { 'cluster-autoscaler': { version: '9.58.0', values: { replicaCount: 2, extraArgs: { 'scale-down-unneeded-time': '5m' } } } } });
    expect(r('cluster-autoscaler').version).toBe('9.58.0');
    expect(v('cluster-autoscaler').replicaCount).toBe(2);
    expect(v('cluster-autoscaler').extraArgs).toEqual({ 'balance-similar-node-groups': true, expander: 'least-waste', 'skip-nodes-with-local-storage': false, 'scale-down-unneeded-time': '5m' });
  });

  test('an IRSA add-on without its role ARN is refused', () => {
    const { 'cluster-autoscaler': _, ...others } = ROLES;
    expect(() => synth({}, { roleArns: others })).toThrow('roleArns.cluster-autoscaler: add-on "cluster-autoscaler" binds an IAM role through IRSA but no role ARN was given');
  });
});
