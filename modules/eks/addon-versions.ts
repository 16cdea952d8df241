/**
 * EKS managed add-ons this library installs, and the versions pinned for each Kubernetes version.
 * One table: bump it when the default Kubernetes version moves, and `__tests__/eks-addons.test.ts`
 * pins it so a change is deliberate. Look up current builds with
 * `aws eks describe-addon-versions --kubernetes-version 1.35 --addon-name <name>
 *   --query 'addons[].addonVersions[].addonVersion'`.
 */
export const EKS_ADDON_NAMES = ['vpc-cni', 'kube-proxy', 'coredns', 'eks-pod-identity-agent', 'aws-ebs-csi-driver'] as const;
export type EksAddonName = (typeof EKS_ADDON_NAMES)[number];

/** Kubernetes version the library defaults to: in EKS standard support (1.33 left it). */
export const DEFAULT_KUBERNETES_VERSION = '1.35';

/**
 * Add-on versions per Kubernetes minor version. The 1.35 row is the set EKS reported as default
 * builds for 1.35 on deployed clusters (public configurations); no account was available to run
 * describe-addon-versions here, so check it before the first apply.
 */
export const EKS_ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<EksAddonName, string>>>> = {
  '1.35': {
    'vpc-cni': 'v1.22.4-eksbuild.3',
    'kube-proxy': 'v1.35.3-eksbuild.29',
    coredns: 'v1.13.2-eksbuild.31',
    'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
    'aws-ebs-csi-driver': 'v1.66.0-eksbuild.1',
  },
};

/** Pinned versions for a Kubernetes version, or undefined when the table has none for it. */
export function addonVersionsFor(kubernetesVersion: string): Readonly<Record<EksAddonName, string>> | undefined {
  return EKS_ADDON_VERSIONS[kubernetesVersion];
}

/** EKS add-on versions look like `v1.22.4-eksbuild.3`. */
export const ADDON_VERSION_PATTERN = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
