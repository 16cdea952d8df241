import { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import * as semver from 'semver';

/**
 * The prebuilt provider bindings (peer dependencies) this package is built and tested against, and
 * the Terraform provider each binds. Another binding generates other resource schemas (21.x binds
 * hashicorp/aws 6.x, which renamed and removed arguments the constructs set) and pins another provider
 * version in `required_providers`. package.json's `peerDependencies` carry the same ranges (a test
 * keeps them in step).
 */
export const SUPPORTED_BINDINGS = {
  aws: { package: '@cdktf/provider-aws', range: '^20.1.0', provider: 'hashicorp/aws 5.100.0' },
  helm: { package: '@cdktf/provider-helm', range: '^12.1.2', provider: 'hashicorp/helm 3.1.x' },
  kubernetes: { package: '@cdktf/provider-kubernetes', range: '^12.1.1', provider: 'hashicorp/kubernetes 2.38.x' },
} as const;

export type ProviderBinding = keyof typeof SUPPORTED_BINDINGS;

/** An installed binding: its version and the Terraform provider version it binds. */
export interface InstalledBinding {
  readonly version: string;
  /** e.g. `hashicorp/aws 6.25.0`, from the binding's package.json (`cdktf.provider`). */
  readonly provider?: string;
}

/**
 * The binding this package's constructs load: the copy `require` finds from here (with the peer
 * dependency, the consumer's own). Undefined when it is not installed.
 */
export function installedBinding(binding: ProviderBinding): InstalledBinding | undefined {
  let manifest: { version: string; cdktf?: { provider?: { name?: string; version?: string } } };
  try {
    manifest = require(`${SUPPORTED_BINDINGS[binding].package}/package.json`);
  } catch {
    return undefined;
  }
  const p = manifest.cdktf?.provider;
  const provider = p?.name && p.version ? `${p.name.replace(/^registry\.terraform\.io\//, '')} ${p.version}` : undefined;
  return { version: manifest.version, provider };
}

/**
 * What is wrong with the installed binding, in one line naming the package, the installed version,
 * the supported range and what to do; undefined when it is supported.
 */
export function bindingProblem(binding: ProviderBinding, installed: InstalledBinding | undefined): string | undefined {
  const s = SUPPORTED_BINDINGS[binding];
  const fix = `npm install ${s.package}@"${s.range}"`;
  if (!installed) return `${s.package} is not installed; cdktf-eks-platform needs ${s.package} ${s.range} (${s.provider}): ${fix}`;
  if (semver.satisfies(installed.version, s.range)) return undefined;
  const binds = installed.provider ? ` (binds ${installed.provider})` : '';
  return `${s.package} ${installed.version}${binds} is not supported by cdktf-eks-platform, which needs ${s.package} ${s.range} (${s.provider}): ${fix}`;
}

/** Bindings whose check a stack already carries. */
const checked = new WeakMap<TerraformStack, Set<ProviderBinding>>();

/**
 * Checks at synth (a validation on the construct's stack, once per stack and binding) that the
 * installed provider bindings are ones this package supports; cdktf then fails the synth with the
 * one-line `bindingProblem`, instead of `terraform init` failing later on a provider version no
 * mirror has, or a plan on arguments another provider version does not know. Every construct of
 * this package calls it first.
 */
export function checkProviderBindings(scope: IConstruct, ...bindings: ProviderBinding[]): void {
  const stack = TerraformStack.of(scope);
  const done = checked.get(stack) ?? new Set<ProviderBinding>();
  checked.set(stack, done);
  for (const binding of bindings) {
    if (done.has(binding)) continue;
    done.add(binding);
    stack.node.addValidation({
      validate: () => {
        const problem = bindingProblem(binding, installedBinding(binding));
        return problem ? [problem] : [];
      },
    });
  }
}

/**
 * Throws a one-line error when a binding an entry point loads is not installed at all (the optional
 * peers helm and kubernetes, say): Node's own error would name a deep file of the binding instead.
 */
export function assertBindingsInstalled(entryPoint: string, ...bindings: ProviderBinding[]): void {
  const missing = bindings.filter((b) => installedBinding(b) === undefined).map((b) => SUPPORTED_BINDINGS[b]);
  if (missing.length === 0) return;
  const names = missing.map((s) => `${s.package} ${s.range}`).join(' and ');
  const install = missing.map((s) => `${s.package}@"${s.range}"`).join(' ');
  throw new Error(`${entryPoint} needs ${names} (peer ${missing.length === 1 ? 'dependency' : 'dependencies'} of cdktf-eks-platform), not installed: npm install ${install}`);
}
