/**
 * EKS managed add-ons this library installs. Their versions are not typed here: unless config pins
 * one, each is read from EKS at plan time for the cluster's Kubernetes version (`aws_eks_addon_version`).
 * List what a pin may be with `aws eks describe-addon-versions --kubernetes-version 1.35
 * --addon-name <name> --query 'addons[].addonVersions[].addonVersion'`.
 */
export const EKS_ADDON_NAMES = ['vpc-cni', 'kube-proxy', 'coredns', 'eks-pod-identity-agent', 'aws-ebs-csi-driver', 'aws-secrets-store-csi-driver-provider'] as const;
export type EksAddonName = (typeof EKS_ADDON_NAMES)[number];

/** Kubernetes version the library defaults to: in EKS standard support (1.33 left it). */
export const DEFAULT_KUBERNETES_VERSION = '1.35';

/**
 * Stand-in version of offline plans, where `aws_eks_addon_version` is not read (a valid semver, as
 * the provider requires, that no real build has).
 */
export const OFFLINE_ADDON_VERSION = 'v0.0.0-offline';

/** EKS add-on versions look like `v1.22.4-eksbuild.3`. */
export const ADDON_VERSION_PATTERN = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
