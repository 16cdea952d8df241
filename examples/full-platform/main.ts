import { App } from 'cdktf';
import { ClusterAddonsStack, PlatformStack, staging } from './stacks';

const app = new App();
const platform = new PlatformStack(app, `${staging.name}-platform`, staging);
new ClusterAddonsStack(app, `${staging.name}-addons`, staging, platform);
app.synth();
