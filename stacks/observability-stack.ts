import { Construct } from 'constructs';
import {
  AddonClusterFacts,
  AddonIdentities,
  AlarmTopic,
  ClusterAlarms,
  ClusterDashboard,
  ContainerInsightsLogGroups,
  CONTAINER_INSIGHTS_LOG_KINDS,
  DEFAULT_KUBERNETES_VERSION,
  EncryptionKey,
  FargatePodLogs,
  LogsInsightsQueries,
  SelectedAddon,
  containerInsightsLogGroupName,
  fargateLogGroupName,
  partitionOf,
  selectAddons,
} from '../modules';
import type { ResolvedEnvironment } from '../environments/defaults';
import { forEnvironment } from '../environments/validate';
import { PlatformStack, StackSettings } from './platform-stack';
import type { ClusterStack } from './cluster-stack';

/** Output name under which the observability stack publishes an add-on's role ARN. */
export function addonRoleOutput(addon: string): string {
  return `${addon.replace(/-/g, '_')}_role_arn`;
}

/** Output name of a Container Insights log group. */
export function logGroupOutput(kind: string): string {
  return `${kind}_log_group_name`;
}

/**
 * `<env>-observability`: everything AWS-side of cluster monitoring, planned offline with real
 * Terraform: the IAM roles of the Helm add-ons (IRSA or Pod Identity, one per service account), the
 * Container Insights log groups (retention, KMS), with Fargate on the Fargate pods' log group and the
 * pod execution role's write access to it, the alarm topic, metric filters and alarms, saved Logs
 * Insights queries and a dashboard. The `<env>-addons` stack installs the charts that use them.
 */
export class ObservabilityStack extends PlatformStack {
  readonly addons: SelectedAddon[];
  readonly key: EncryptionKey;
  readonly logGroups: ContainerInsightsLogGroups;
  /** With Fargate on: the Fargate pods' log group and the pod execution role's write access to it. */
  readonly fargateLogs?: FargatePodLogs;
  readonly identities: AddonIdentities;
  readonly topic: AlarmTopic;
  readonly alarms: ClusterAlarms;
  readonly queries: LogsInsightsQueries;
  readonly dashboard: ClusterDashboard;

  constructor(scope: Construct, env: ResolvedEnvironment, cluster: ClusterStack, settings: StackSettings = {}) {
    super(scope, env, 'observability', settings);
    const eks = this.consume(cluster);
    const o = env.observability ?? {};
    const clusterName = eks.getString('cluster_name');
    const partition = partitionOf(env.region);
    // Check the add-on selection first: a conflict should fail before any resource exists.
    this.addons = forEnvironment(env.name, 'addons', () => selectAddons(env.addons));

    this.key = new EncryptionKey(this, 'key', {
      description: `${env.prefix} Container Insights logs and alarm topic`,
      alias: `${env.prefix}-observability`,
      accountId: env.accountId,
      region: env.region,
      allowCloudWatchLogs: true,
      extraStatements: [
        {
          // CloudWatch alarms publish to the encrypted topic; SNS needs the publisher to use the key.
          Sid: 'CloudWatchAlarmsPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        },
      ],
    });
    this.logGroups = forEnvironment(env.name, 'observability', () =>
      new ContainerInsightsLogGroups(this, 'container-insights', { clusterName, logRetentionDays: o.logRetentionDays, kmsKeyArn: this.key.keyArn }),
    );

    if (env.cluster.fargate?.enabled) {
      // DaemonSets do not run on Fargate: its log router writes these pods' logs, with the pod execution role.
      this.fargateLogs = forEnvironment(env.name, 'observability', () =>
        new FargatePodLogs(this, 'fargate-logs', {
          clusterName,
          podExecutionRoleName: eks.getString('fargate_pod_execution_role_name'),
          logRetentionDays: o.logRetentionDays,
          kmsKeyArn: this.key.keyArn,
        }),
      );
    }

    const facts: AddonClusterFacts = {
      clusterName,
      region: env.region,
      accountId: env.accountId,
      partition,
      kubernetesVersion: env.cluster.version ?? DEFAULT_KUBERNETES_VERSION,
      logGroups: this.logGroups.names,
    };
    this.identities = forEnvironment(env.name, 'addons', () =>
      new AddonIdentities(this, 'addon-identities', {
        permissionsBoundaryArn: this.permissionsBoundaryArn,
        namePrefix: env.prefix,
        addons: this.addons,
        facts,
        oidcProviderArn: eks.getString('oidc_provider_arn'),
        oidcIssuerUrl: eks.getString('cluster_oidc_issuer_url'),
      }),
    );

    this.topic = forEnvironment(env.name, 'observability', () =>
      new AlarmTopic(this, 'alarm-topic', { topicName: `${env.prefix}-alarms`, kmsKeyArn: this.key.keyArn, alarmEmails: o.alarmEmails }),
    );
    const metricNamespace = `${env.prefix}/ApplicationLogs`;
    this.alarms = forEnvironment(env.name, 'observability', () =>
      new ClusterAlarms(this, 'alarms', {
        namePrefix: env.prefix,
        clusterName,
        applicationLogGroupName: this.logGroups.names.application,
        metricNamespace,
        alarmTopicArn: this.topic.topicArn,
        alarms: o.alarms,
      }),
    );
    this.queries = forEnvironment(env.name, 'observability', () =>
      new LogsInsightsQueries(this, 'queries', { folder: env.prefix, applicationLogGroupName: this.logGroups.names.application, backendContainer: o.backendContainer }),
    );
    this.dashboard = forEnvironment(env.name, 'observability', () =>
      new ClusterDashboard(this, 'dashboard', {
        dashboardName: `${env.prefix}-cluster`,
        clusterName,
        region: env.region,
        metricNamespace,
        applicationLogGroupName: this.logGroups.names.application,
        backendContainer: o.backendContainer,
        // Built from the names (known at plan) rather than `arn` (known after apply), so plans show the body.
        alarmArns: Object.values(this.alarms.alarms).map((a) => `arn:${partition}:cloudwatch:${env.region}:${env.accountId}:alarm:${a.alarmName}`),
      }),
    );

    // Stand-ins for offline plans of the addons stack.
    for (const kind of CONTAINER_INSIGHTS_LOG_KINDS) {
      this.publish(logGroupOutput(kind), this.logGroups.names[kind], containerInsightsLogGroupName(env.cluster.name, kind), `Container Insights ${kind} log group`);
    }
    if (this.fargateLogs) {
      this.publish('fargate_log_group_name', this.fargateLogs.logGroupName, fargateLogGroupName(env.cluster.name), 'Log group of the Fargate pods (Fargate log router)');
    }
    for (const id of Object.values(this.identities.identities)) {
      this.publish(addonRoleOutput(id.addon), id.roleArn, `arn:${partition}:iam::${env.accountId}:role/${id.roleName}`, `IAM role of ${id.addon} (${id.binding}: ${id.namespace}/${id.serviceAccount})`);
    }
    this.publish('alarm_topic_arn', this.topic.topicArn, `arn:${partition}:sns:${env.region}:${env.accountId}:${env.prefix}-alarms`, 'SNS topic the alarms notify');
    this.publish('observability_kms_key_arn', this.key.keyArn, `arn:${partition}:kms:${env.region}:${env.accountId}:key/00000000-0000-4000-8000-000000000001`, 'KMS key of the log groups and alarm topic');
    this.publish('dashboard_name', this.dashboard.dashboard.dashboardName, `${env.prefix}-cluster`, 'CloudWatch dashboard of the cluster');
  }
}
