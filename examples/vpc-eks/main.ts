import { App } from 'cdktf';
import { config } from './config';
import { VpcEksStack } from './stack';

const app = new App();
new VpcEksStack(app, 'vpc-eks', config);
app.synth();
