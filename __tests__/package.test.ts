/**
 * The published package, not the source tree: `npm run build`, `npm pack`, install the tarball into a
 * copy of examples/vpc-eks (a consumer that imports from `cdktf-eks-platform` only), then type-check,
 * synthesize and run the example's own jest tests (synth assertions and an offline terraform plan)
 * there, with this repository's typescript, tsx and jest. To keep it fast, the consumer's
 * devDependencies are not installed (nor resolved) and its cdktf, constructs and AWS binding are linked
 * from this repository (same versions), as are the AWS SDK packages the catalogue reads (dependencies
 * of the package, which a test checks it declares); the package itself is always the installed
 * tarball. The consumer has no Helm or Kubernetes binding (optional peers): the AWS constructs must
 * not need them.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { planSynthesizedOffline, plannedResources } from '../modules/testing';

const root = path.resolve(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'package-test-'));
const consumer = path.join(tmp, 'consumer');
const bin = (p: string) => path.join(root, 'node_modules', p);
const HEAVY = ['cdktf', 'constructs', '@cdktf/provider-aws'];
const OPTIONAL_PEERS = ['@cdktf/provider-helm', '@cdktf/provider-kubernetes'];
// Dependencies of the package linked like the peers: npm would extract @aws-sdk/client-ec2 and its 20
// dependencies (50 MB) into the consumer on every run.
const LINKED_DEPENDENCIES = ['@aws-sdk/client-ec2', '@aws-sdk/core'];
let tarball = '';
let packedFiles: string[] = [];

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}) in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

beforeAll(() => {
  run('npm', ['run', '-s', 'build'], root);
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], root)) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = path.join(tmp, packed[0].filename);
  packedFiles = packed[0].files.map((f) => f.path);
  fs.cpSync(path.join(root, 'examples', 'vpc-eks'), consumer, { recursive: true, filter: (src) => !/(node_modules|cdktf\.out|\.terraform)$/.test(src) });
  // The README's consumer program beside it: type-checked with the example, synthesized and planned below.
  fs.writeFileSync(path.join(consumer, 'readme.ts'), readmeProgram());
  // The big runtime dependencies (700 MB unpacked) are linked from this repo at the versions the example
  // and the package ask for; npm keeps links that satisfy the ranges and installs the tarball and the rest. The
  // example's devDependencies (typescript, jest...) are not installed: this repo's are used. They are
  // left out of the copy's package.json too, or npm would still resolve their whole tree (5x the time).
  const manifest = path.join(consumer, 'package.json');
  const { devDependencies: _dev, ...runtime } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(manifest, `${JSON.stringify(runtime, null, 2)}\n`);
  for (const dep of [...HEAVY, ...LINKED_DEPENDENCIES]) {
    fs.mkdirSync(path.dirname(path.join(consumer, 'node_modules', dep)), { recursive: true });
    fs.symlinkSync(bin(dep), path.join(consumer, 'node_modules', dep), 'dir');
  }
  run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev'], consumer);
}, 600000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The code block the README marks `<!-- consumer-example: main.ts -->`: a complete program for a new project. */
function readmeProgram(): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const m = readme.match(/<!-- consumer-example: main\.ts -->\s*```ts\n([\s\S]*?)```/);
  if (!m) throw new Error('README.md has no <!-- consumer-example: main.ts --> ts block');
  return m[1];
}

test('the tarball holds the compiled constructs and helpers with types, the docs and examples, and no app, environments or scripts', () => {
  expect(packedFiles).toEqual(expect.arrayContaining(['package.json', 'dist/modules/index.js', 'dist/modules/index.d.ts', 'dist/modules/testing/index.js', 'dist/modules/testing/index.d.ts', 'dist/modules/cicd/index.d.ts', 'docs/usage.md', 'examples/eks-existing-vpc/stack.ts']));
  const outside = packedFiles.filter((f) => !/^(dist\/modules|docs|examples)\//.test(f));
  expect(outside.filter((f) => !['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(f))).toEqual([]);
  expect(packedFiles.filter((f) => /^(environments|stacks|scripts|__tests__)\//.test(f) || /^main\.(js|d\.ts)$/.test(f) || /(node_modules|cdktf\.out)\//.test(f))).toEqual([]);
  expect(packedFiles.some((f) => f.startsWith('dist/') && f.endsWith('.ts') && !f.endsWith('.d.ts'))).toBe(false);
});

test('every relative link of the packed README, docs and example READMEs names a file in the package', () => {
  const markdown = packedFiles.filter((f) => f.endsWith('.md'));
  const broken: string[] = [];
  for (const file of markdown) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
      const rel = path.posix.normalize(path.posix.join(path.posix.dirname(file), target.split('#')[0])).replace(/\/$/, '');
      if (!packedFiles.some((f) => f === rel || f.startsWith(`${rel}/`))) broken.push(`${file}: ${target}`);
    }
  }
  expect(broken).toEqual([]);
});

test('the consumer resolves the installed package through its exports, and nothing deeper', () => {
  const installed = path.join(consumer, 'node_modules', 'cdktf-eks-platform');
  // Node's resolution in the consumer (jest's own maps cdktf-eks-platform to this repository's source).
  const entries = ['', '/testing', '/addons', '/kubernetes'];
  const script = `for (const e of ${JSON.stringify(entries)}) console.log(require.resolve('cdktf-eks-platform' + e))`;
  expect(run(process.execPath, ['-e', script], consumer).trim().split('\n')).toEqual(entries.map((e) => path.join(installed, 'dist', 'modules', e, 'index.js')));
  expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
  // The dependencies linked instead of installed, the package must still declare (else a consumer lacks them).
  const declared = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  expect(LINKED_DEPENDENCIES.filter((d) => !(d in (declared.dependencies ?? {})))).toEqual([]);
  const deep = spawnSync(process.execPath, ['-e', "require('cdktf-eks-platform/dist/modules/network/network')"], { cwd: consumer, encoding: 'utf8' });
  expect(deep.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
});

/** Every installed copy of a package in the consumer's node_modules tree (links are not followed: a link is one copy). */
function copiesOf(name: string): string[] {
  const found: string[] = [];
  const walk = (nm: string) => {
    if (fs.existsSync(path.join(nm, name, 'package.json'))) found.push(path.join(nm, name));
    for (const entry of fs.readdirSync(nm, { withFileTypes: true })) {
      const scope = path.join(nm, entry.name);
      const packages = entry.name.startsWith('@') && entry.isDirectory() ? fs.readdirSync(scope, { withFileTypes: true }).map((e) => [e, path.join(scope, e.name)] as const) : [[entry, scope] as const];
      // Dirent types are lstat's: a linked package is not a directory, so its own tree is not walked.
      for (const [e, p] of packages) if (e.isDirectory() && fs.existsSync(path.join(p, 'node_modules'))) walk(path.join(p, 'node_modules'));
    }
  };
  walk(path.join(consumer, 'node_modules'));
  return found;
}

test('the packed package.json asks for cdktf, constructs and the bindings as peers, helm and kubernetes optional, none as dependencies', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(consumer, 'node_modules', 'cdktf-eks-platform', 'package.json'), 'utf8')) as Record<string, any>;
  expect(Object.keys(manifest.peerDependencies).sort()).toEqual([...HEAVY, ...OPTIONAL_PEERS].sort());
  expect(Object.keys(manifest.peerDependenciesMeta).sort()).toEqual(OPTIONAL_PEERS);
  for (const name of [...HEAVY, ...OPTIONAL_PEERS]) expect([name, manifest.dependencies?.[name]]).toEqual([name, undefined]);
});

test("one copy each of cdktf, constructs and the AWS binding in the consumer's tree (its own), and no optional peer", () => {
  for (const name of HEAVY) expect([name, copiesOf(name)]).toEqual([name, [path.join(consumer, 'node_modules', name)]]);
  for (const name of OPTIONAL_PEERS) expect([name, fs.existsSync(path.join(consumer, 'node_modules', name))]).toEqual([name, false]);
});

test('without the optional peers, the root entry loads and the addons and kubernetes entries say in one line what to install', () => {
  const load = (entry: string) => spawnSync(process.execPath, ['-e', `require(${JSON.stringify(entry)}); console.log('loaded')`], { cwd: consumer, encoding: 'utf8' });
  expect(load('cdktf-eks-platform').stdout).toBe('loaded\n');
  expect(load('cdktf-eks-platform/addons').stderr).toContain(
    'Error: cdktf-eks-platform/addons needs @cdktf/provider-helm ^12.1.2 and @cdktf/provider-kubernetes ^12.1.1 (peer dependencies of cdktf-eks-platform), not installed: npm install @cdktf/provider-helm@"^12.1.2" @cdktf/provider-kubernetes@"^12.1.1"\n',
  );
  expect(load('cdktf-eks-platform/kubernetes').stderr).toContain('Error: cdktf-eks-platform/kubernetes needs @cdktf/provider-kubernetes ^12.1.1 (peer dependency of cdktf-eks-platform), not installed');
});

test('the example type-checks against the published .d.ts files', () => {
  execFileSync(process.execPath, [bin('typescript/bin/tsc'), '--noEmit', '-p', consumer, '--typeRoots', bin('@types')], { cwd: consumer, encoding: 'utf8' });
});

test('the example synthesizes from the installed package: VPC, EKS cluster, node group, add-ons in eu-west-1', () => {
  run(process.execPath, ['--require', require.resolve('tsx/cjs'), 'main.ts'], consumer);
  const json = JSON.parse(fs.readFileSync(path.join(consumer, 'cdktf.out', 'stacks', 'vpc-eks', 'cdk.tf.json'), 'utf8'));
  expect(json.provider.aws[0].region).toBe('eu-west-1');
  const r = json.resource as Record<string, Record<string, Record<string, any>>>;
  expect(Object.values(r.aws_vpc).map((v) => v.cidr_block)).toEqual(['10.20.0.0/16']);
  expect(Object.keys(r.aws_subnet)).toHaveLength(6);
  expect(Object.values(r.aws_eks_cluster).map((c) => c.name)).toEqual(['demo-euw1']);
  expect(Object.keys(r.aws_eks_node_group)).toHaveLength(1);
  expect(Object.values(r.aws_eks_addon).map((a) => a.addon_name)).toEqual(expect.arrayContaining(['vpc-cni', 'coredns', 'kube-proxy']));
  expect(Object.values(r.aws_iam_role).map((x) => x.name)).toContain('demo-euw1-web-app');
  expect(Object.keys(json.terraform.required_providers)).toEqual(['aws']);
});

test("the example's own jest tests pass with the installed helpers, offline plan included", () => {
  const config = {
    rootDir: consumer,
    testEnvironment: 'node',
    roots: ['<rootDir>/__tests__'],
    testMatch: ['**/*.test.ts'],
    transform: { '^.+\\.ts$': [require.resolve('@swc/jest'), { jsc: { parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
    testTimeout: 300000,
  };
  const r = spawnSync(process.execPath, [bin('jest/bin/jest.js'), '--ci', '--config', JSON.stringify(config)], { cwd: consumer, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`example tests failed:\n${r.stdout}\n${r.stderr}`);
  expect(r.stderr).toMatch(/Tests:\s+3 passed, 3 total/);
});

test("the README's consumer program synthesizes from the installed package and plans offline with real terraform", async () => {
  const outdir = path.join(consumer, 'readme.out');
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), 'readme.ts'], { cwd: consumer, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: outdir } });
  if (r.status !== 0) throw new Error(`readme.ts failed:\n${r.stdout}\n${r.stderr}`);
  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'eks', 'cdk.tf.json'), 'utf8'));
  const plan = await planSynthesizedOffline(json, 'eks');
  expect(plan.change + plan.destroy).toBe(0);
  expect(plannedResources(plan, 'aws_eks_cluster').map((c) => c.name)).toEqual(['shop-dev']);
  expect(plannedResources(plan, 'aws_eks_node_group').map((g) => g.node_group_name)).toEqual(['shop-dev-default']);
  expect(plannedResources(plan, 'aws_iam_role').map((x) => x.name)).toContain('shop-dev-app');
});
