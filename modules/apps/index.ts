export * from './application-manifests';
export * from './pod-security';
