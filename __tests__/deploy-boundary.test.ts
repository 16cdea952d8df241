import { DEPLOY_POLICY_TYPES, deployBoundaryArn, deployBoundaryName } from '../modules';
import { parsePolicy, resourcesOfType } from '../modules/testing';
import { environments, EnvironmentConfig } from '../environments';
import { builtEnvironment, synthesizedOnce } from './built-environments';

// The bounded apply role can create an IAM role only if it carries the deploy boundary: every role of
// every stack must, or the first deploy through CI fails on that role.

// Built and synthesized once per config in this file (see built-environments.ts): read, never change.
const build = (config: EnvironmentConfig) => builtEnvironment(config).all.map((stack) => ({ id: stack.node.id, json: synthesizedOnce(stack) }));

describe.each(Object.values(environments).map((e) => [e.name, e] as const))('environment %s', (_name, config) => {
  test('with a cicd section, every IAM role of every stack carries the boundary the state stack creates', () => {
    expect(config.cicd).toBeDefined();
    const prefix = `${config.project ?? 'eks-work'}-${config.name}`;
    const arn = deployBoundaryArn(config.region ?? 'ap-northeast-2', config.accountId, prefix);
    const stacks = build(config);
    const state = stacks.find((s) => s.id === `${config.name}-state`)!.json;
    // The state stack's roles name its boundary policy by reference; read the ARN that reference stands for.
    const boundaryKey = Object.entries(state.resource?.aws_iam_policy ?? {}).find(([, p]: [string, any]) => p.name === deployBoundaryName(prefix))?.[0];
    const resolve = (v: unknown) => (v === `\${aws_iam_policy.${boundaryKey}.arn}` ? arn : v);
    const roles = stacks.flatMap(({ id, json }) => resourcesOfType(json, 'aws_iam_role').map((r) => ({ id, name: r.name, boundary: resolve(r.permissions_boundary) })));
    // Roles of the network, cluster, data, batch, observability and state stacks at least.
    expect(new Set(roles.map((r) => r.id)).size).toBeGreaterThanOrEqual(6);
    expect(roles.filter((r) => r.boundary !== arn)).toEqual([]);

    // The state stack creates the policy under that name, and the apply role's IAM conditions name the same ARN.
    const policies = resourcesOfType(state, 'aws_iam_policy');
    expect(policies.filter((p) => p.name === deployBoundaryName(prefix))).toHaveLength(1);
    expect(`arn:aws:iam::${config.accountId}:policy/${deployBoundaryName(prefix)}`).toBe(arn);
    const conditions = policies.flatMap((p) => parsePolicy(p.policy).Statement).flatMap((s) => Object.values(s.Condition ?? {})).flatMap((c: any) => (c['iam:PermissionsBoundary'] ? [c['iam:PermissionsBoundary']] : []));
    expect(conditions.length).toBeGreaterThanOrEqual(2);
    expect(new Set(conditions.map(resolve))).toEqual(new Set([arn]));
  });

  test('every AWS resource and data source type the stacks synthesize is one the deploy policies were written for', () => {
    // The state stack is applied by hand with admin credentials, never by the deploy roles.
    const types = build(config).filter(({ id }) => id !== `${config.name}-state`).flatMap(({ json }) => [
      ...Object.keys(json.resource ?? {}),
      ...Object.keys(json.data ?? {}).map((t) => `data.${t}`),
      ...Object.keys(json.ephemeral ?? {}).map((t) => `ephemeral.${t}`),
    ]);
    expect([...new Set(types)].filter((t) => /^((data|ephemeral)\.)?aws_/.test(t) && !DEPLOY_POLICY_TYPES.includes(t)).sort()).toEqual([]);
  });

  test('without a cicd section, no role carries a boundary and none is created', () => {
    const stacks = build({ ...config, cicd: undefined, gitops: config.gitops && { ...config.gitops, imageRepositories: [] } });
    expect(stacks.flatMap(({ json }) => resourcesOfType(json, 'aws_iam_role')).filter((r) => r.permissions_boundary !== undefined)).toEqual([]);
    expect(stacks.flatMap(({ json }) => resourcesOfType(json, 'aws_iam_policy'))).toEqual([]);
  });
});
