import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { checkProviderBindings } from '../core/bindings';
import { check, show } from '../core/validation';

/** Namespace and ConfigMap names Fargate looks for (fixed by EKS). */
export const FARGATE_LOGGING_NAMESPACE = 'aws-observability';
export const FARGATE_LOGGING_CONFIG_MAP = 'aws-logging';
/** Fargate refuses a larger `aws-logging` ConfigMap; with the longest group name and prefix allowed here this one stays well under. */
export const FARGATE_LOGGING_MAX_CHARACTERS = 5300;

const LOG_GROUP_NAME = /^[A-Za-z0-9._\/#-]{1,512}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export interface FargateLogRouterProps {
  /** Region of the log group. */
  readonly region: string;
  /**
   * CloudWatch Logs group the Fargate pods' stdout/stderr go to. It must exist (the router is told
   * not to create groups) and the pod execution role must be allowed to write it (`FargatePodLogs`).
   */
  readonly logGroupName: string;
  /** Prefix of the log streams; the tag (`kube.var.log.containers.<pod>_<namespace>_<container>-<id>.log`) follows. @default "fargate-" */
  readonly logStreamPrefix?: string;
}

/** A Fluent Bit section, keys indented more than the directive, as Fargate's validation requires. */
function section(name: string, entries: Array<[string, string]>): string {
  return [`[${name}]`, ...entries.map(([k, v]) => `    ${k} ${v}`)].join('\n') + '\n';
}

/**
 * Fargate's built-in log router (Fluent Bit run by AWS next to every Fargate pod; DaemonSets do not
 * run there), configured the one way EKS reads it: ConfigMap `aws-logging` in namespace
 * `aws-observability` labelled `aws-observability: enabled`. Container lines are parsed from the
 * CRI format, get Kubernetes metadata (as the node-side application group's records do) and go to
 * one existing log group, one stream per container, with Fluent Bit's own process logs off
 * (`flb_log_cw: "false"`: they would need a group of their own). Fargate reads the ConfigMap when a
 * pod starts, so changes reach new pods only.
 */
export class FargateLogRouter extends Construct {
  readonly namespace: NamespaceV1;
  readonly configMap: ConfigMapV1;
  /** The ConfigMap's data, by key. */
  readonly data: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: FargateLogRouterProps) {
    super(scope, id);
    checkProviderBindings(this, 'kubernetes');
    const prefix = props.logStreamPrefix ?? 'fargate-';
    check(REGION.test(props.region), 'region', `${show(props.region)} is not an AWS region; allowed: e.g. "ap-northeast-2"`);
    check(Token.isUnresolved(props.logGroupName) || LOG_GROUP_NAME.test(props.logGroupName), 'logGroupName', `${show(props.logGroupName)} is not a CloudWatch Logs group name; allowed: 1-512 letters, digits and . _ / # -`);
    check(/^[A-Za-z0-9._\/#-]{1,64}$/.test(prefix), 'logStreamPrefix', `${show(prefix)} is not a log stream prefix; allowed: 1-64 letters, digits and . _ / # - (no ":" or "*")`);

    this.data = {
      flb_log_cw: 'false',
      'parsers.conf': section('PARSER', [
        ['Name', 'crio'],
        ['Format', 'Regex'],
        ['Regex', '^(?<time>[^ ]+) (?<stream>stdout|stderr) (?<logtag>P|F) (?<log>.*)$'],
        ['Time_Key', 'time'],
        ['Time_Format', '%Y-%m-%dT%H:%M:%S.%L%z'],
      ]),
      'filters.conf':
        section('FILTER', [['Name', 'parser'], ['Match', '*'], ['Key_name', 'log'], ['Parser', 'crio']]) +
        // Kube_URL and the token are Fargate's to set; the cache TTL keeps API-server calls down.
        section('FILTER', [['Name', 'kubernetes'], ['Match', 'kube.*'], ['Merge_Log', 'On'], ['Keep_Log', 'Off'], ['Buffer_Size', '0'], ['Kube_Meta_Cache_TTL', '300s']]),
      'output.conf': section('OUTPUT', [
        ['Name', 'cloudwatch_logs'],
        ['Match', 'kube.*'],
        ['region', props.region],
        ['log_group_name', props.logGroupName],
        ['log_stream_prefix', prefix],
        ['auto_create_group', 'false'],
      ]),
    };

    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: {
        name: FARGATE_LOGGING_NAMESPACE,
        labels: {
          // Required: Fargate only reads a namespace carrying it.
          'aws-observability': 'enabled',
          // Configuration only: no pod belongs here.
          'pod-security.kubernetes.io/enforce': 'restricted',
          'app.kubernetes.io/managed-by': 'terraform',
        },
      },
    });
    this.configMap = new ConfigMapV1(this, 'config-map', {
      metadata: { name: FARGATE_LOGGING_CONFIG_MAP, namespace: this.namespace.metadata.name, labels: { 'app.kubernetes.io/managed-by': 'terraform' } },
      data: this.data,
    });
  }
}
