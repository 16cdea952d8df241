export * from './container-insights-log-groups';
export * from './alarm-topic';
export * from './cluster-alarms';
export * from './logs-insights-queries';
export * from './cluster-dashboard';
export * from './fargate-pod-logs';
