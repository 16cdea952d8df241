/**
 * `npm run cost`: the estimate of a small plan equals the hand computation from the price table,
 * a node type change moves the dev total by exactly the price difference, what has no price says so,
 * every resource type the environments create is priced or listed free, and the report, the
 * pull-request comparison and the plan files `npm run plan` leaves for it. No Terraform runs here:
 * the plan is a committed excerpt of a real offline plan, the environments are synthesized.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import type { EnvironmentConfig } from '../environments';
import { createEnvironment } from '../stacks';
import { SynthesizedStack, StackPlanText, TerraformPlanJson, planAllOfflineText, synthesize } from '../modules/testing';
import { DEFAULT_ASSUMPTIONS as a } from '../scripts/cost/assumptions';
import { EnvironmentEstimate, environmentEstimate, estimateStack } from '../scripts/cost/estimate';
import { Prices, loadPriceTables } from '../scripts/cost/prices';
import { PlannedResource, resourcesOfPlan, resourcesOfSynthesized } from '../scripts/cost/resource';
import { RULES, freeReason } from '../scripts/cost/rules';
import { buildReport, formatComparison, formatReport } from '../scripts/cost/report';
import { costReport, parseCostArgs } from '../scripts/cost';
import { planAndReport } from '../scripts/plan';
import { configWith } from './config-fixtures';

const prices = new Prices(loadPriceTables());
const p = (key: string, region = 'ap-northeast-2') => prices.get(region, key).usd;
const H = a.hoursPerMonth;
const fixture = path.join(__dirname, 'fixtures', 'cost', 'small.plan.json');
/** The plan excerpt, as loose JSON the tests edit. */
const smallPlan = (): any => JSON.parse(fs.readFileSync(fixture, 'utf8'));
const estimatePlan = (plan: TerraformPlanJson) => estimateStack('dev-small', 'dev', resourcesOfPlan(plan), prices, { source: 'plan' });

/** Every stack of an environment, synthesized in offline mode (once per config: synthesis is the slow part). */
const synthesizedCache = new Map<EnvironmentConfig, Array<{ id: string; json: Record<string, any> }>>();
function synthesizedStacks(config: EnvironmentConfig) {
  if (!synthesizedCache.has(config)) synthesizedCache.set(config, createEnvironment(Testing.app(), config, { offline: true }).all.map((s) => ({ id: s.node.id, json: synthesize(s) as Record<string, any> })));
  return synthesizedCache.get(config)!;
}

/** Every stack of an environment estimated from its synthesized JSON. */
function estimateSynthesized(config: EnvironmentConfig): EnvironmentEstimate {
  return environmentEstimate(
    config.name,
    synthesizedStacks(config).map((s) => estimateStack(s.id, config.name, resourcesOfSynthesized(s.json), prices, { source: 'synthesized' })),
  );
}

const estimateOf = (e: EnvironmentEstimate, stack: string) => e.stacks.find((s) => s.stack === stack)!.monthlyUsd;

const devLarger = configWith(dev, 'cluster.nodeGroups.0.instanceTypes', ['t3.large']);

describe('the estimate of a plan', () => {
  test('equals the hand computation from the price table', () => {
    const e = estimatePlan(smallPlan());
    const flowLogGb = a.logGroupGbByName.find((x) => x.pattern === 'flow-logs')!.gbPerMonth;
    const hand =
      H * p('eks.cluster') +
      // dev's node group: 2 × t3.medium, a 50 GB gp3 root volume each (from its launch template)
      2 * H * p('ec2.instance.t3.medium') +
      2 * 50 * p('ebs.gp3') +
      // the flow-log group, 30 days kept
      flowLogGb * p('logs.vendedIngestion') +
      flowLogGb * (30 / (365 / 12)) * p('logs.storage') +
      // the NAT gateway, its Elastic IP
      H * p('vpc.natGateway') +
      a.natGatewayGbPerMonth * p('vpc.natGatewayData') +
      H * p('vpc.publicIpv4') +
      // db.t4g.micro Single-AZ, 20 GB gp3, its RDS-managed master secret, Enhanced Monitoring
      H * p('rds.postgres.singleAz.db.t4g.micro') +
      20 * p('rds.gp3.singleAz') +
      p('secretsmanager.secret') +
      a.rdsEnhancedMonitoringGbPerMonth * p('logs.ingestion') +
      // prod's ecr.api interface endpoint in 3 AZs; the S3 gateway endpoint is free
      3 * H * p('vpc.interfaceEndpoint') +
      a.interfaceEndpointGbPerMonth * p('vpc.interfaceEndpointData');
    expect(e.monthlyUsd).toBeCloseTo(hand, 9);
    expect(e.unpriced).toEqual([]);
    expect(e.items.find((i) => i.type === 'aws_eks_node_group' && i.priceKey.startsWith('ec2.'))).toMatchObject({ item: '2 × t3.medium on-demand nodes', quantity: 2 * H, unitUsd: p('ec2.instance.t3.medium') });
    expect(e.free.map((f) => [f.type, f.count])).toEqual([
      ['aws_flow_log', 1],
      ['aws_iam_role', 1],
      ['aws_launch_template', 1],
      ['aws_vpc_endpoint', 1],
    ]);
  });

  test('Spot nodes at the documented discount', () => {
    const plan = smallPlan();
    plan.resource_changes.find((r: any) => r.type === 'aws_eks_node_group').change.after.capacity_type = 'SPOT';
    const node = estimatePlan(plan).items.find((i) => i.priceKey === 'ec2.instance.t3.medium')!;
    expect(node.item).toBe('2 × t3.medium Spot nodes');
    expect(node.monthlyUsd).toBeCloseTo(2 * H * p('ec2.instance.t3.medium') * (1 - a.spotDiscount), 9);
  });

  test('what has no price is listed as unpriced, with the reason, and left out of the total', () => {
    const base = estimatePlan(smallPlan()).monthlyUsd;
    const plan = smallPlan();
    plan.resource_changes.push({ address: 'aws_mq_broker.queue', mode: 'managed', type: 'aws_mq_broker', name: 'queue', change: { actions: ['create'], after: { host_instance_type: 'mq.t3.micro' } } });
    plan.resource_changes.find((r: any) => r.type === 'aws_db_instance').change.after.instance_class = 'db.x9.huge';
    plan.configuration.provider_config.aws.expressions.region.constant_value = 'eu-west-9';
    const e = estimatePlan(plan);
    expect(e.monthlyUsd).toBe(0);
    expect(e.unpriced).toContainEqual({ address: 'aws_mq_broker.queue', type: 'aws_mq_broker', reason: 'no price rule for aws_mq_broker' });
    expect(e.unpriced).toContainEqual(expect.objectContaining({ type: 'aws_eks_cluster', reason: expect.stringMatching(/^no price table for region eu-west-9 \(tables: .*ap-northeast-2/) }));

    const seoul = smallPlan();
    seoul.resource_changes.find((r: any) => r.type === 'aws_db_instance').change.after.instance_class = 'db.x9.huge';
    const s = estimatePlan(seoul);
    expect(s.unpriced).toEqual([expect.objectContaining({ address: 'aws_db_instance.database_instance', item: 'db.x9.huge postgres Single-AZ', reason: expect.stringMatching(/^no price for rds\.postgres\.singleAz\.db\.x9\.huge in ap-northeast-2 \(table of \d{4}-\d\d-\d\d\)$/) })]);
    expect(s.monthlyUsd).toBeCloseTo(base - H * p('rds.postgres.singleAz.db.t4g.micro'), 9);
  });
});

describe('the environments', () => {
  let devCost: EnvironmentEstimate;
  let prodCost: EnvironmentEstimate;
  beforeAll(() => {
    devCost = estimateSynthesized(dev);
    prodCost = estimateSynthesized(prod);
  });

  test('dev node group t3.medium -> t3.large raises the total by exactly the price difference × desired nodes × 730 h', () => {
    const larger = estimateSynthesized(devLarger);
    const desired = dev.cluster.nodeGroups![0].desiredSize!;
    expect(desired).toBe(2);
    expect(larger.monthlyUsd - devCost.monthlyUsd).toBeCloseTo((p('ec2.instance.t3.large') - p('ec2.instance.t3.medium')) * desired * 730, 9);
  });

  test('every resource type they create has a price rule or is listed as free', () => {
    const types = new Set<string>();
    for (const config of [dev, prod]) for (const s of synthesizedStacks(config)) for (const r of resourcesOfSynthesized(s.json)) types.add(r.type);
    expect([...types].filter((t) => !RULES[t] && !freeReason(t))).toEqual([]);
    // Free means a reason, not a blank.
    for (const t of types) if (!RULES[t]) expect(freeReason(t)).toMatch(/\w{4}/);
  });

  test('what they leave unpriced is only what the tables lack, named', () => {
    const unpriced = [...devCost.stacks, ...prodCost.stacks].flatMap((s) => s.unpriced.map((u) => `${s.stack} ${u.type}: ${u.reason}`));
    expect(unpriced).toEqual([expect.stringMatching(/^dev-runner aws_codebuild_project: no price for codebuild\.LINUX_CONTAINER\.BUILD_GENERAL1_SMALL in ap-northeast-2/), expect.stringMatching(/^prod-runner aws_codebuild_project: no price/)]);
  });

  test('the report: a table per environment with its total, prod vs dev stack by stack, --json', () => {
    const r = buildReport([devCost, prodCost], prices.dates(['ap-northeast-2', 'us-east-1', 'global']), a, []);
    const text = formatReport(r);
    const total = (e: EnvironmentEstimate) => `| **total** | **${e.monthlyUsd.toFixed(2)}** | |`;
    expect(text).toMatch(/### dev\n\n\| stack \| monthly USD \| top items \|\n\| --- \| ---: \| --- \|\n\| state¹ \| /);
    expect(text).toContain(total(devCost));
    expect(text).toContain(total(prodCost));
    const nodes = (2 * H * p('ec2.instance.t3.medium')).toFixed(2);
    expect(text).toContain(`| cluster¹ | ${estimateOf(devCost, 'dev-cluster').toFixed(2)} | 2 × t3.medium on-demand nodes ${nodes}, EKS control plane (standard support) ${(H * p('eks.cluster')).toFixed(2)},`);
    const delta = prodCost.monthlyUsd - devCost.monthlyUsd;
    expect(text).toContain(`### prod vs dev: +${delta.toFixed(2)} USD a month`);
    expect(r.differences[0].stacks.reduce((x, s) => x + s.deltaUsd, 0)).toBeCloseTo(delta, 1);
    expect(text).toContain('unpriced, not in the total: dev-runner');
    // Machines read the same figures.
    const json = JSON.parse(JSON.stringify(r));
    expect(json.environments.map((e: any) => [e.environment, e.monthlyUsd])).toEqual([
      ['dev', Math.round(devCost.monthlyUsd * 100) / 100],
      ['prod', Math.round(prodCost.monthlyUsd * 100) / 100],
    ]);
    expect(json.priceTables).toEqual([
      { region: 'ap-northeast-2', read: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) },
      { region: 'global', read: expect.any(String) },
      { region: 'us-east-1', read: expect.any(String) },
    ]);
  });

  test('the pull-request comparison names the stack and the charge that changed', () => {
    const head = estimateSynthesized(devLarger);
    const md = formatComparison(buildReport([devCost], [], a, []), buildReport([head], [], a, []));
    const delta = (p('ec2.instance.t3.large') - p('ec2.instance.t3.medium')) * 2 * 730;
    expect(md).toContain(`### dev: ${devCost.monthlyUsd.toFixed(2)} → ${head.monthlyUsd.toFixed(2)} (+${delta.toFixed(2)} a month)`);
    expect(md).toMatch(new RegExp(`\\| cluster \\| [\\d.]+ \\| [\\d.]+ \\| \\+${delta.toFixed(2)} \\|`));
    expect(md).toContain('| network | ');
    const [medium, large] = ['t3.medium', 't3.large'].map((t) => (2 * H * p(`ec2.instance.${t}`)).toFixed(2));
    expect(md).toContain(`- cluster: 2 × t3.medium on-demand nodes → 2 × t3.large on-demand nodes: ${medium} → ${large} (+${delta.toFixed(2)})`);
    expect(md.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(1);
    expect(formatComparison(undefined, buildReport([head], [], a, []))).toContain('No estimate of the base branch');
  });
});

describe('the plan directory', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cost-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** An offline-plan/ as `npm run plan` leaves it: a manifest, each stack's cdk.tf.json, JSON plans. */
  function planDir(withPlans: boolean): string {
    const dir = fs.mkdtempSync(path.join(tmp, 'offline-plan-'));
    const manifest: Record<string, unknown> = {};
    for (const s of synthesizedStacks(dev).filter((x) => ['dev-cluster', 'dev-addons'].includes(x.id))) {
      fs.mkdirSync(path.join(dir, 'stacks', s.id), { recursive: true });
      fs.writeFileSync(path.join(dir, 'stacks', s.id, 'cdk.tf.json'), JSON.stringify(s.json));
      manifest[s.id] = { name: s.id, workingDirectory: `stacks/${s.id}`, synthesizedStackPath: `stacks/${s.id}/cdk.tf.json`, dependencies: [] };
    }
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ stacks: manifest }));
    if (withPlans) {
      fs.mkdirSync(path.join(dir, 'plans'));
      fs.writeFileSync(path.join(dir, 'plans', 'dev-cluster.json'), fs.readFileSync(fixture));
    }
    return dir;
  }

  test('JSON plans for the AWS stacks, synthesized JSON for the others', async () => {
    const r = await costReport(planDir(true), ['dev'], { root: tmp, prices });
    const [cluster, addons] = r.environments[0].stacks;
    expect([cluster.stack, cluster.source, cluster.plannedAt, cluster.monthlyUsd]).toEqual(['dev-cluster', 'plan', smallPlan().timestamp, Math.round(estimatePlan(smallPlan()).monthlyUsd * 100) / 100]);
    expect([addons.stack, addons.source, addons.monthlyUsd, addons.unpriced]).toEqual(['dev-addons', 'synthesized', 0, []]);
    expect(addons.free.map((f) => f.type)).toEqual(expect.arrayContaining(['helm_release', 'kubernetes_namespace_v1']));
    expect(r.warnings).toEqual([{ stack: 'dev-addons', warning: expect.stringContaining('not planned here (providers aws, helm, kubernetes)') }]);
  });

  test('no plans, or no plan of the environment asked: one line saying what to run', async () => {
    await expect(costReport(path.join(tmp, 'nothing'), ['dev'], { root: tmp, prices })).rejects.toThrow(/^no offline plans in .*nothing\/: run `npm run plan -- dev` first$/);
    await expect(costReport(planDir(true), ['prod'], { root: tmp, prices })).rejects.toThrow('no offline plan of environment prod in');
  });

  test('arguments', () => {
    expect(parseCostArgs(['dev', 'prod', '--json', '--plans', 'x'])).toEqual({ environments: ['dev', 'prod'], json: true, plans: 'x', compare: undefined });
    expect(parseCostArgs(['--compare', 'a.json', 'b.json']).compare).toEqual({ base: 'a.json', head: 'b.json' });
    expect(() => parseCostArgs(['--compare', 'a.json'])).toThrow('--compare needs two reports');
    expect(() => parseCostArgs(['--frobnicate'])).toThrow('unknown option --frobnicate');
  });

  test('npm run plan writes each JSON plan beside its text, and removes the JSON of a stack that failed', async () => {
    const plansDir = path.join(tmp, 'plans-written');
    fs.mkdirSync(plansDir, { recursive: true });
    fs.writeFileSync(path.join(plansDir, 'dev-data.json'), '{"stale": true}');
    const stack = (id: string): SynthesizedStack => ({ id, dir: path.join(tmp, id), providers: ['aws'], dependencies: [] });
    const plan = smallPlan();
    const fake: typeof planAllOfflineText = async (stacks, _env, opts = {}) => {
      expect(opts.json).toBe(true);
      const ok: StackPlanText & { plan: TerraformPlanJson } = { stack: 'dev-network', add: 1, change: 0, destroy: 0, text: 'Plan: 1 to add, 0 to change, 0 to destroy.\n', changed: true, planFile: '', plan };
      const results = [ok, new Error('terraform plan failed for dev-data (exit 1):\nError: boom')];
      stacks.forEach((s, i) => opts.onResult?.(s, results[i], 1));
      return results;
    };
    await planAndReport([stack('dev-network'), stack('dev-data')], [], { root: tmp, plansDir, verbose: false, concurrency: 1, planAll: fake, log: () => undefined, logError: () => undefined });
    expect(JSON.parse(fs.readFileSync(path.join(plansDir, 'dev-network.json'), 'utf8'))).toEqual(plan);
    expect(fs.existsSync(path.join(plansDir, 'dev-data.json'))).toBe(false);
  });
});

test('a synthesized node group finds its launch template volume like a planned one', () => {
  const cluster = synthesizedStacks(dev).find((s) => s.id === 'dev-cluster')!;
  const resources: PlannedResource[] = resourcesOfSynthesized(cluster.json);
  const e = estimateStack('dev-cluster', 'dev', resources, prices, { source: 'synthesized' });
  expect(e.items.filter((i) => i.type === 'aws_eks_node_group').map((i) => i.item)).toEqual(['2 × t3.medium on-demand nodes', '2 × 50 GB gp3 root volumes']);
});

test('docs/cost.md states every assumption with its value', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'cost.md'), 'utf8');
  const row = (key: string) => doc.split('\n').find((l) => l.startsWith(`| \`${key}\` |`)) ?? `(no row for ${key})`;
  for (const [key, value] of Object.entries(a)) {
    const cells = row(key);
    const expected = typeof value === 'number' ? [String(value)] : Array.isArray(value) ? value.map((v: { pattern: string; gbPerMonth: number }) => `\`${v.pattern}\` ${v.gbPerMonth}`) : Object.values(value as object).map(String);
    for (const e of expected) expect([key, cells]).toEqual([key, expect.stringContaining(e)]);
  }
});
