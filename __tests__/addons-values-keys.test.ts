/**
 * Helm ignores values keys a chart does not have, silently: a misspelt or invented key is a setting
 * that never happens. Every key of every release's final values (the add-on's own, merged with an
 * environment's overrides) must be one the chart documents at the version installed
 * (fixtures/chart-values-keys.ts, read from each chart's values.yaml).
 */
import { ADDON_CATALOG, ADDON_CHART_VERSIONS, AddonSelectionProps, mergeValues, selectAddons } from '../modules';
import { environments, resolveEnvironment } from '../environments';
import { withGitops } from '../stacks/gitops';
import { CHART_VALUES_KEYS, chartValuesKeys, isDocumentedKey, valueKeyPaths } from './fixtures/chart-values-keys';
import { FACTS } from './addons-fixtures';

/** Final values of every add-on a selection installs. */
function releases(selection: AddonSelectionProps) {
  return selectAddons(selection).map((a) => {
    const d = a.definition;
    const values = mergeValues(d.values({ ...FACTS, namespace: d.namespace, roleArn: `arn:aws:iam::111111111111:role/eks-work-dev-${d.iam?.roleSuffix ?? d.name}` }), a.valuesOverride);
    return { name: d.name, chart: d.chart, version: a.version, values };
  });
}

/** The selections the project ships: each environment's (with its gitops section applied), and every log shipper and agent choice. */
const SELECTIONS: Array<[string, AddonSelectionProps]> = [
  ...Object.entries(environments).map(([name, env]): [string, AddonSelectionProps] => [`environment ${name}`, withGitops(resolveEnvironment(env), (env.kubernetes?.namespaces ?? []).map((n) => n.name)) ?? {}]),
  ['logShipper fluent-bit', { logShipper: 'fluent-bit' }],
  ['cloudwatch-observability', { cloudwatch: 'cloudwatch-observability' }],
];

const CASES = SELECTIONS.flatMap(([label, selection]) => releases(selection).map((r) => [label, r.name, r] as const));

describe('chart values keys', () => {
  test('every add-on chart, at its pinned version, has its documented keys on record', () => {
    for (const d of ADDON_CATALOG) {
      expect([d.chart, chartValuesKeys(d.chart, ADDON_CHART_VERSIONS[d.chart as keyof typeof ADDON_CHART_VERSIONS])?.version]).toEqual([d.chart, d.version]);
    }
    expect(CHART_VALUES_KEYS.map((c) => c.chart).sort()).toEqual(ADDON_CATALOG.map((d) => d.chart).sort());
  });

  test('every selection installs the add-ons it should (so the cases below cover every chart)', () => {
    expect(new Set(CASES.map(([, name]) => name))).toEqual(new Set(ADDON_CATALOG.map((d) => d.name)));
  });

  test.each(CASES)('%s: %s sets only keys its chart documents', (_label, _name, r) => {
    const entry = chartValuesKeys(r.chart, r.version);
    expect(entry).toBeDefined();
    const documented = [...entry!.keys, ...(entry!.documentedInComments ?? [])];
    expect(valueKeyPaths(r.values).filter((p) => !isDocumentedKey(p, documented))).toEqual([]);
  });

  test('the check catches a key the chart lacks, and reads maps and lists as such', () => {
    const cw = chartValuesKeys('aws-cloudwatch-metrics', '0.0.11')!.keys;
    // The template-only key the cloudwatch-metrics add-on deliberately avoids.
    expect(isDocumentedKey('serviceAccount.annotations.eks.amazonaws.com/role-arn', cw)).toBe(false);
    expect(isDocumentedKey('serviceaccount.name', cw)).toBe(false);
    expect(isDocumentedKey('serviceAccount.name', cw)).toBe(true);
    expect(valueKeyPaths({ a: { b: 1, c: [{ d: 1 }], e: {} }, f: null })).toEqual(['a.b', 'a.c[]', 'a.e', 'f']);
    const fluentd = chartValuesKeys('fluentd', '0.6.0')!.keys;
    expect(isDocumentedKey('fileConfigs.05_node_logs.conf', fluentd)).toBe(true);
    expect(isDocumentedKey('fileConfig.04_outputs.conf', fluentd)).toBe(false);
    expect(isDocumentedKey('env[]', fluentd)).toBe(true);
    expect(isDocumentedKey('env.name', fluentd)).toBe(false);
  });

  test('a version nobody has read the values of is refused', () => {
    const [r] = releases({ charts: { 'metrics-server': { version: '3.12.2' } } }).filter((x) => x.name === 'metrics-server');
    expect(chartValuesKeys(r.chart, r.version)).toBeUndefined();
  });
});
