/**
 * The Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/,
 * Kubernetes 1.35) as a check of a pod spec, for manifests tested before they reach a cluster, where
 * Pod Security Admission would refuse them. Each rule is one line of the standard's tables.
 */
type Obj = Record<string, any>;

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** The pod spec inside a workload object (Pod, Deployment, Job, CronJob...), or undefined. */
export function podSpecOf(object: Obj): Obj | undefined {
  if (object.kind === 'Pod') return object.spec;
  if (object.kind === 'CronJob') return object.spec?.jobTemplate?.spec?.template?.spec;
  return object.spec?.template?.spec;
}

/** What a pod spec breaks of the given level (empty when it meets it). */
export function podSecurityViolations(spec: Obj, level: PodSecurityLevel): string[] {
  if (level === 'privileged') return [];
  const out: string[] = [];
  const containers: Obj[] = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  const pod = spec.securityContext ?? {};
  const each = (rule: string, bad: (c: Obj) => boolean) => containers.filter(bad).forEach((c) => out.push(`${rule} (container ${c.name})`));

  // Baseline.
  for (const host of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[host]) out.push(`${host} must be false`);
  each('privileged must be false', (c) => c.securityContext?.privileged === true);
  each('capabilities.add beyond the baseline set', (c) => (c.securityContext?.capabilities?.add ?? []).some((a: string) => !BASELINE_CAPABILITIES.has(a)));
  (spec.volumes ?? []).filter((v: Obj) => v.hostPath).forEach((v: Obj) => out.push(`hostPath volume ${v.name}`));
  each('hostPort must be 0', (c) => (c.ports ?? []).some((p: Obj) => (p.hostPort ?? 0) !== 0));
  const apparmor = (sc: Obj | undefined) => sc?.appArmorProfile?.type === 'Unconfined';
  if (apparmor(pod)) out.push('appArmorProfile Unconfined');
  each('appArmorProfile Unconfined', (c) => apparmor(c.securityContext));
  const selinux = (sc: Obj | undefined) => !!sc?.seLinuxOptions && (!SELINUX_TYPES.has(sc.seLinuxOptions.type ?? '') || !!sc.seLinuxOptions.user || !!sc.seLinuxOptions.role);
  if (selinux(pod)) out.push('seLinuxOptions beyond the allowed types');
  each('seLinuxOptions beyond the allowed types', (c) => selinux(c.securityContext));
  each('procMount must be Default', (c) => (c.securityContext?.procMount ?? 'Default') !== 'Default');
  const unconfined = (sc: Obj | undefined) => sc?.seccompProfile?.type === 'Unconfined';
  if (unconfined(pod)) out.push('seccompProfile Unconfined');
  each('seccompProfile Unconfined', (c) => unconfined(c.securityContext));
  (pod.sysctls ?? []).filter((s: Obj) => !SAFE_SYSCTLS.has(s.name)).forEach((s: Obj) => out.push(`unsafe sysctl ${s.name}`));
  if (level === 'baseline') return out;

  // Restricted.
  (spec.volumes ?? []).filter((v: Obj) => !Object.keys(v).some((k) => RESTRICTED_VOLUMES.has(k))).forEach((v: Obj) => out.push(`volume ${v.name} of a type restricted does not allow`));
  each('allowPrivilegeEscalation must be false', (c) => c.securityContext?.allowPrivilegeEscalation !== false);
  each('runAsNonRoot must be true', (c) => (c.securityContext?.runAsNonRoot ?? pod.runAsNonRoot) !== true);
  if (pod.runAsUser === 0) out.push('runAsUser must not be 0');
  each('runAsUser must not be 0', (c) => c.securityContext?.runAsUser === 0);
  const seccomp = (sc: Obj | undefined) => sc?.seccompProfile?.type;
  each('seccompProfile must be RuntimeDefault or Localhost', (c) => !['RuntimeDefault', 'Localhost'].includes(seccomp(c.securityContext) ?? seccomp(pod)));
  each('capabilities must drop ALL', (c) => !(c.securityContext?.capabilities?.drop ?? []).includes('ALL'));
  each('capabilities.add may hold only NET_BIND_SERVICE', (c) => (c.securityContext?.capabilities?.add ?? []).some((a: string) => a !== 'NET_BIND_SERVICE'));
  return out;
}
