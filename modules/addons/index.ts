// `cdktf-eks-platform/addons`: the root entry's add-on catalogue and identities, plus the Helm releases
// and ClusterAddons (needs the optional peers @cdktf/provider-helm and @cdktf/provider-kubernetes).
import './needs-helm';
export * from './catalog';
export * from './addon-releases';
export * from './cluster-addons';
