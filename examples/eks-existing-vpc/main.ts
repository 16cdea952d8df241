import { App } from 'cdktf';
import { EksInExistingVpcStack, config } from './stack';

const app = new App();
new EksInExistingVpcStack(app, 'eks-existing-vpc', config);
app.synth();
