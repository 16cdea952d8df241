import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { terraform } from './terraform';

/**
 * One `terraform init` for every offline working directory that needs the same providers and backend.
 *
 * `terraform init` in each stack re-verifies the (700 MB) AWS provider and runs one at a time (parallel
 * inits race to fill the plugin cache). Offline stacks all declare the same `required_providers` and the
 * same local backend, so they can share one initialised directory: the first user runs `terraform init`
 * there (under a lock, so concurrent test runs and jest workers wait for it instead of racing), and each
 * stack gets that directory's backend settings, a link to its provider directory and its dependency
 * lock file: what the stack's own `init` would have written, made once.
 *
 * The stacks' lock files pin the provider versions without the package hashes: with hashes, every
 * `plan` and `show` re-hashes the whole provider package (a quarter of a plan's CPU time). The shared
 * init checked the package against them once; these working directories are throwaway.
 */

/** The parts of a stack's `terraform` block an init depends on. */
export interface InitInputs {
  readonly required_providers?: Record<string, unknown>;
  readonly backend?: Record<string, unknown>;
  /** The stack calls Terraform modules, which its own `terraform init` must install: no sharing. */
  readonly modules?: boolean;
}

/** How long to wait for another process's init of the same directory. */
const LOCK_WAIT_MS = 10 * 60 * 1000;
const READY = '.ready';

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v;
}

/** The `terraform` block inputs of a synthesized stack directory (`cdk.tf.json`). */
export function initInputs(stackDir: string): InitInputs {
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as { terraform?: InitInputs; module?: Record<string, unknown> };
  return { required_providers: json.terraform?.required_providers ?? {}, backend: json.terraform?.backend, modules: Object.keys(json.module ?? {}).length > 0 };
}

/** Key of the shared directory for these inputs: equal inputs, equal init. */
export function initKey(inputs: InitInputs): string {
  return createHash('sha256').update(JSON.stringify(canonical({ p: inputs.required_providers ?? {}, b: inputs.backend ?? null }))).digest('hex').slice(0, 16);
}

/**
 * Whether an initialised directory's providers are all still there (the plugin cache they link to may
 * have been deleted): every `<host>/<namespace>/<type>/<version>/<os_arch>` entry resolves.
 */
function providersPresent(dir: string, inputs: InitInputs): boolean {
  const base = path.join(dir, '.terraform', 'providers');
  if (!fs.existsSync(base)) return Object.keys(inputs.required_providers ?? {}).length === 0;
  const level = (p: string, depth: number): boolean => {
    let entries: string[];
    try {
      entries = fs.readdirSync(p);
    } catch {
      return false;
    }
    if (depth === 4) return entries.length > 0 && entries.every((e) => fs.existsSync(path.join(p, e)));
    return entries.every((e) => level(path.join(p, e), depth + 1));
  };
  return level(base, 0);
}

function isReady(dir: string, inputs: InitInputs): boolean {
  return fs.existsSync(path.join(dir, READY)) && providersPresent(dir, inputs);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function lockOwnerAlive(lock: string): boolean {
  try {
    const pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `fn` holding `<dir>.lock` (a directory: mkdir is atomic), across processes. */
async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${dir}.lock`;
  const start = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock left by a process that died (killed test run) is taken over. A lock whose pid file is
      // not written yet belongs to a live process that just created it.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 2000 && !lockOwnerAlive(lock)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - start > LOCK_WAIT_MS) throw new Error(`waited ${LOCK_WAIT_MS / 1000} s for ${lock}; remove it if no terraform init is running`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * The shared initialised directory for these inputs under `<root>/.terraform-shared/`, running
 * `terraform init` there first if no process has yet (or its providers have gone).
 */
export async function sharedInit(root: string, inputs: InitInputs, env: NodeJS.ProcessEnv): Promise<string> {
  const dir = path.join(root, '.terraform-shared', initKey(inputs));
  if (isReady(dir, inputs)) return dir;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  return withLock(dir, async () => {
    if (isReady(dir, inputs)) return dir;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const terraformBlock = { required_providers: inputs.required_providers ?? {}, ...(inputs.backend ? { backend: inputs.backend } : {}) };
    fs.writeFileSync(path.join(dir, 'main.tf.json'), `${JSON.stringify({ terraform: terraformBlock }, null, 2)}\n`);
    const r = await terraform(['init', '-input=false', '-no-color'], dir, env);
    if (r.code !== 0) throw new Error(`terraform init failed in ${dir} (exit ${r.code}):\n${r.stderr || r.stdout}`);
    fs.writeFileSync(path.join(dir, READY), '');
    return dir;
  });
}

/** A dependency lock file's text without the `hashes = [...]` lists (versions and constraints stay). */
export function withoutHashes(lockFile: string): string {
  return lockFile.replace(/^[ \t]*hashes[ \t]*=[ \t]*\[[^\]]*\][ \t]*\r?\n/gm, '');
}

/**
 * Makes `stackDir` an initialised working directory from a shared one: its dependency lock file
 * (without hashes, see above), backend settings (`.terraform/terraform.tfstate`) and a link to its
 * provider directory.
 */
export function linkSharedInit(stackDir: string, sharedDir: string): void {
  const lock = path.join(sharedDir, '.terraform.lock.hcl');
  // Terraform writes no lock file for a configuration without providers.
  if (fs.existsSync(lock)) fs.writeFileSync(path.join(stackDir, '.terraform.lock.hcl'), withoutHashes(fs.readFileSync(lock, 'utf8')));
  else fs.rmSync(path.join(stackDir, '.terraform.lock.hcl'), { force: true });
  const data = path.join(stackDir, '.terraform');
  fs.mkdirSync(data, { recursive: true });
  const backendState = path.join(sharedDir, '.terraform', 'terraform.tfstate');
  if (fs.existsSync(backendState)) fs.copyFileSync(backendState, path.join(data, 'terraform.tfstate'));
  else fs.rmSync(path.join(data, 'terraform.tfstate'), { force: true });
  const providers = path.join(data, 'providers');
  fs.rmSync(providers, { recursive: true, force: true });
  fs.symlinkSync(path.join(sharedDir, '.terraform', 'providers'), providers, 'dir');
}
