// Imported first by `cdktf-eks-platform/addons`: Helm and Kubernetes bindings are optional peers.
import { assertBindingsInstalled } from '../core/bindings';

assertBindingsInstalled('cdktf-eks-platform/addons', 'aws', 'helm', 'kubernetes');
