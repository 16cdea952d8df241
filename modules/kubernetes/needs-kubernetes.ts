// Imported first by `cdktf-eks-platform/kubernetes`: the Kubernetes binding is an optional peer.
import { assertBindingsInstalled } from '../core/bindings';

assertBindingsInstalled('cdktf-eks-platform/kubernetes', 'aws', 'kubernetes');
