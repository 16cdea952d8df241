import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { checkProviderBindings } from '../core/bindings';
import type { AddonClusterFacts, AddonValuesContext } from './addon';
import { mergeValues } from './addon';
import type { SelectedAddon } from './registry';
import { check, show, within } from '../core/validation';

export interface AddonReleasesProps {
  /** The add-ons to install (from `selectAddons`), in install order. */
  readonly addons: readonly SelectedAddon[];
  /** Cluster facts the values are built from. */
  readonly facts: AddonClusterFacts;
  /**
   * IAM role ARN per add-on name (from `AddonIdentities`, usually another stack's outputs). Required
   * for every add-on whose role is bound through IRSA. @default {}
   */
  readonly roleArns?: Readonly<Record<string, string>>;
  /** Resources the releases wait for (e.g. node groups). @default none */
  readonly dependsOn?: ITerraformDependable[];
  /** Seconds Helm waits for each release to become ready. @default 600 */
  readonly timeoutSeconds?: number;
}

/** Namespaces the charts use that Kubernetes already has. */
const BUILT_IN_NAMESPACES = new Set(['kube-system', 'default']);
/** Pod Security levels, loosest first. */
const POD_SECURITY_ORDER = ['privileged', 'baseline', 'restricted'] as const;

/**
 * The Helm releases of the selected add-ons, one per add-on: chart, repository and version pinned,
 * values built from the cluster's facts (with config overrides merged in) passed as one JSON values
 * document. Also creates what the charts expect to exist: their namespaces (Pod Security Admission
 * `privileged` unless the add-on asks for less, because node agents mount host paths) and the IRSA-annotated service accounts of
 * charts that cannot annotate their own. Releases are atomic: a failed install rolls back.
 */
export class AddonReleases extends Construct {
  /** By add-on name. */
  readonly releases: Readonly<Record<string, Release>>;
  /** Namespaces created for the add-ons, by name. */
  readonly namespaces: Readonly<Record<string, NamespaceV1>>;
  /** The final values of each release, by add-on name (for tests and docs). */
  readonly values: Readonly<Record<string, Record<string, unknown>>>;
  /**
   * Releases of `installFirst` add-ons (the load balancer controller): every other release depends
   * on them. Make whatever creates Services, Ingresses or pods depend on them too, so it is created
   * after their webhooks answer and destroyed while their controllers still run (an Ingress deleted
   * without its controller leaves its load balancer behind).
   */
  readonly installedFirst: Release[];

  constructor(scope: Construct, id: string, props: AddonReleasesProps) {
    super(scope, id);
    checkProviderBindings(this, 'helm', 'kubernetes');
    const roleArns = props.roleArns ?? {};
    const timeout = props.timeoutSeconds ?? 600;
    check(Number.isInteger(timeout) && timeout > 0, 'timeoutSeconds', `${show(timeout)} is not a number of seconds; allowed: a positive integer`);
    for (const a of props.addons) {
      const iam = a.definition.iam;
      if (iam && iam.binding !== 'pod-identity') {
        check(typeof roleArns[a.definition.name] === 'string', `roleArns.${a.definition.name}`, `add-on ${show(a.definition.name)} binds an IAM role through IRSA but no role ARN was given; allowed: the ARN from AddonIdentities`);
      }
    }

    // Final values of every release, checked before any resource exists.
    const allValues: Record<string, Record<string, unknown>> = {};
    for (const a of props.addons) {
      const d = a.definition;
      const ctx: AddonValuesContext = { ...props.facts, namespace: d.namespace, roleArn: roleArns[d.name] };
      const values = mergeValues(d.values(ctx), a.valuesOverride);
      within(`charts.${d.name}`, () => d.check?.(values, ctx));
      allValues[d.name] = values;
    }

    const namespaces: Record<string, NamespaceV1> = {};
    for (const ns of new Set(props.addons.map((a) => a.definition.namespace))) {
      if (BUILT_IN_NAMESPACES.has(ns)) continue;
      // Node agents mount host paths (/var/log, /, container runtime sockets): privileged is the only
      // level that admits them, and the default. A namespace shared by add-ons gets the loosest level any needs.
      const levels = props.addons.filter((a) => a.definition.namespace === ns).map((a) => a.definition.podSecurity ?? 'privileged');
      const level = POD_SECURITY_ORDER.find((l) => levels.includes(l))!;
      namespaces[ns] = new NamespaceV1(this, `namespace-${ns}`, {
        metadata: {
          name: ns,
          labels: {
            'pod-security.kubernetes.io/enforce': level,
            ...(level === 'restricted' || level === 'privileged' ? {} : { 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' }),
            'app.kubernetes.io/managed-by': 'terraform',
          },
        },
      });
    }

    const releases: Record<string, Release> = {};
    const installedFirst: Release[] = [];
    // installFirst add-ons before the others, whatever order they were given in.
    const ordered = [...props.addons.filter((a) => a.definition.installFirst), ...props.addons.filter((a) => !a.definition.installFirst)];
    for (const a of ordered) {
      const d = a.definition;
      const values = allValues[d.name];

      const deps: ITerraformDependable[] = [...(props.dependsOn ?? [])];
      if (namespaces[d.namespace]) deps.push(namespaces[d.namespace]);
      if (d.iam?.binding === 'irsa-external-service-account') {
        deps.push(
          new ServiceAccountV1(this, `${d.name}-service-account`, {
            metadata: {
              name: d.iam.serviceAccount,
              namespace: namespaces[d.namespace]?.metadata.name ?? d.namespace,
              annotations: { 'eks.amazonaws.com/role-arn': roleArns[d.name] },
              labels: { 'app.kubernetes.io/name': d.name, 'app.kubernetes.io/managed-by': 'terraform' },
            },
          }),
        );
      }
      for (const dep of d.dependsOn ?? []) if (releases[dep]) deps.push(releases[dep]);
      if (!d.installFirst) deps.push(...installedFirst);

      releases[d.name] = new Release(this, d.name, {
        name: d.name,
        description: d.description,
        chart: d.chart,
        repository: d.repository,
        version: a.version,
        namespace: namespaces[d.namespace]?.metadata.name ?? d.namespace,
        createNamespace: false,
        values: [JSON.stringify(values)],
        atomic: true,
        cleanupOnFail: true,
        timeout,
        maxHistory: 10,
        dependsOn: deps,
      });
      if (d.installFirst) installedFirst.push(releases[d.name]);
    }
    this.releases = releases;
    this.namespaces = namespaces;
    this.values = allValues;
    this.installedFirst = installedFirst;
  }
}
