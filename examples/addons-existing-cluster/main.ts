import { App } from 'cdktf';
import { AddonsOnExistingClusterStack, config } from './stack';

const app = new App();
new AddonsOnExistingClusterStack(app, 'addons-existing-cluster', config);
app.synth();
