import type { AddonDefinition } from './addon';
import { check, show } from '../core/validation';
import { cloudwatchMetricsAddon } from './cloudwatch-metrics';
import { cloudwatchObservabilityAddon } from './cloudwatch-observability';
import { fluentdAddon } from './fluentd';
import { fluentBitAddon } from './fluent-bit';
import { clusterAutoscalerAddon } from './cluster-autoscaler';
import { metricsServerAddon } from './metrics-server';
import { loadBalancerControllerAddon } from './load-balancer-controller';
import { argoCdAddon, argoCdAppsAddon } from './argo-cd';

/** Every add-on the library knows, in install order (the load balancer controller's webhooks first). */
export const ADDON_CATALOG: readonly AddonDefinition[] = [
  loadBalancerControllerAddon,
  metricsServerAddon,
  clusterAutoscalerAddon,
  cloudwatchMetricsAddon,
  cloudwatchObservabilityAddon,
  fluentdAddon,
  fluentBitAddon,
  argoCdAddon,
  argoCdAppsAddon,
];

/** Which CloudWatch agent collects Container Insights metrics. */
export const CLOUDWATCH_CHOICES = ['cloudwatch-metrics', 'cloudwatch-observability', 'none'] as const;
export type CloudWatchChoice = (typeof CLOUDWATCH_CHOICES)[number];

/** Which log shipper sends container logs to CloudWatch Logs. */
export const LOG_SHIPPER_CHOICES = ['fluentd', 'fluent-bit', 'none'] as const;
export type LogShipperChoice = (typeof LOG_SHIPPER_CHOICES)[number];

const CLOUDWATCH_ADDON: Record<CloudWatchChoice, string | undefined> = {
  'cloudwatch-metrics': cloudwatchMetricsAddon.name,
  'cloudwatch-observability': cloudwatchObservabilityAddon.name,
  none: undefined,
};
const LOG_SHIPPER_ADDON: Record<LogShipperChoice, string | undefined> = {
  fluentd: fluentdAddon.name,
  'fluent-bit': fluentBitAddon.name,
  none: undefined,
};

/** Add-ons on unless switched off. */
const ON_BY_DEFAULT = [loadBalancerControllerAddon.name, metricsServerAddon.name, clusterAutoscalerAddon.name];

/** Per-add-on switch and overrides. */
export interface AddonRequest {
  /** Install it. @default on for aws-load-balancer-controller, metrics-server, cluster-autoscaler and the chosen agent and log shipper */
  readonly enabled?: boolean;
  /** Chart version instead of the pinned one; re-check every values key against that version. @default the versions table */
  readonly version?: string;
  /** Helm values merged over the add-on's own (objects merge, arrays replace). @default none */
  readonly values?: Record<string, unknown>;
}

export interface AddonSelectionProps {
  /** Container Insights agent. @default "cloudwatch-metrics" (the course's agent) */
  readonly cloudwatch?: CloudWatchChoice;
  /**
   * Container log shipper. @default "fluentd" (the course's shipper), or "none" with
   * `cloudwatch: "cloudwatch-observability"`, which ships logs itself
   */
  readonly logShipper?: LogShipperChoice;
  /** Switches and overrides keyed by add-on name. @default {} */
  readonly charts?: Record<string, AddonRequest>;
}

/** An add-on chosen for installation, with its resolved version and overrides. */
export interface SelectedAddon {
  readonly definition: AddonDefinition;
  readonly version: string;
  readonly valuesOverride: Record<string, unknown>;
  /** The config field that turned it on, for error messages. */
  readonly enabledBy: string;
}

const VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/**
 * Turns the config into the add-ons to install, in catalog order. Checks, before any resource
 * exists: unknown add-on names, a version that is not semver, a dependency that is not enabled and
 * two enabled add-ons that conflict (the message names both, and why).
 */
export function selectAddons(props: AddonSelectionProps = {}, catalog: readonly AddonDefinition[] = ADDON_CATALOG): SelectedAddon[] {
  const known = new Map(catalog.map((d) => [d.name, d]));
  const charts = props.charts ?? {};
  for (const name of Object.keys(charts)) {
    check(known.has(name), `charts.${name}`, `unknown add-on ${show(name)}; allowed: ${[...known.keys()].join(', ')}`);
  }
  const cloudwatch = props.cloudwatch ?? 'cloudwatch-metrics';
  check(cloudwatch in CLOUDWATCH_ADDON, 'cloudwatch', `${show(cloudwatch)} is not a CloudWatch agent choice; allowed: ${CLOUDWATCH_CHOICES.join(', ')}`);
  const logShipper = props.logShipper ?? (cloudwatch === 'cloudwatch-observability' ? 'none' : 'fluentd');
  check(logShipper in LOG_SHIPPER_ADDON, 'logShipper', `${show(logShipper)} is not a log shipper choice; allowed: ${LOG_SHIPPER_CHOICES.join(', ')}`);

  // Who turned each add-on on: a default, a choice, or an explicit switch (the last one wins).
  const enabledBy = new Map<string, string>();
  ON_BY_DEFAULT.filter((n) => known.has(n)).forEach((n) => enabledBy.set(n, 'default'));
  const byChoice: Array<[string | undefined, string]> = [
    [CLOUDWATCH_ADDON[cloudwatch], 'cloudwatch'],
    [LOG_SHIPPER_ADDON[logShipper], 'logShipper'],
  ];
  for (const [name, field] of byChoice) if (name && known.has(name)) enabledBy.set(name, field);
  for (const [name, req] of Object.entries(charts)) {
    if (req.enabled === true) enabledBy.set(name, `charts.${name}`);
    if (req.enabled === false) enabledBy.delete(name);
  }

  const selected = catalog.filter((d) => enabledBy.has(d.name));
  const on = new Set(selected.map((d) => d.name));
  const field = (name: string) => {
    const by = enabledBy.get(name)!;
    return by === 'default' ? `charts.${name}` : by;
  };
  const switchOff = (name: string) => {
    const by = enabledBy.get(name);
    return by === 'cloudwatch' || by === 'logShipper' ? `${by}: "none"` : `charts.${name}.enabled: false`;
  };
  for (const d of selected) {
    for (const dep of d.dependsOn ?? []) {
      check(on.has(dep), field(d.name), `add-on ${show(d.name)} depends on ${show(dep)}, which is not enabled; allowed: enable ${show(dep)} (charts.${dep}.enabled: true) or disable ${show(d.name)}`);
    }
  }
  for (const d of selected) {
    for (const other of selected) {
      const conflict = d.conflictsWith?.find((c) => c.name === other.name) ?? other.conflictsWith?.find((c) => c.name === d.name);
      if (other === d || !conflict) continue;
      // Report at the field that enabled the later of the two in catalog order.
      check(false, field(other.name), `add-on ${show(other.name)} conflicts with ${show(d.name)}: ${conflict.reason}; allowed: one of them (switch one off: ${switchOff(other.name)} or ${switchOff(d.name)})`);
    }
  }
  return selected.map((d) => {
    const req = charts[d.name] ?? {};
    if (req.version !== undefined) {
      check(VERSION.test(req.version), `charts.${d.name}.version`, `${show(req.version)} is not a chart version; allowed: semantic version such as ${show(d.version)}`);
    }
    return { definition: d, version: req.version ?? d.version, valuesOverride: req.values ?? {}, enabledBy: field(d.name) };
  });
}
