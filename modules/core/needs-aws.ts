// Imported first by the package's root entry point: a missing peer gets one clear line, not Node's
// "Cannot find module '@cdktf/provider-aws/lib/...'" from deep inside the constructs.
import { assertBindingsInstalled } from './bindings';

assertBindingsInstalled('cdktf-eks-platform', 'aws');
