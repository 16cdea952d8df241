/**
 * The benchmark's baseline app: one AWS provider and one S3 bucket. `npm run bench` runs it exactly
 * as cdktf.json's app command runs main.ts (same loader, a fresh process), so the ratio of the two
 * is what synthesizing every environment costs over starting cdktf at all.
 */
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';

const app = new App();
const stack = new TerraformStack(app, 'one');
new AwsProvider(stack, 'aws', { region: 'ap-northeast-2' });
new S3Bucket(stack, 'bucket', { bucket: 'bench-one-resource' });
app.synth();
