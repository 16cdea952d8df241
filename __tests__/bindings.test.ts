/**
 * The library as a dependency: peer dependencies with the ranges the constructs support, entry points
 * that load only the bindings they need, and a one-line error at synth for an unsupported binding.
 * (The packed tarball in a consumer: package.test.ts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';
import * as ts from 'typescript';
import { SUPPORTED_BINDINGS, ProviderBinding, assertBindingsInstalled, bindingProblem, installedBinding } from '../modules';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, any>;
const OPTIONAL: ProviderBinding[] = ['helm', 'kubernetes'];

describe('package.json', () => {
  test('cdktf, constructs and the provider bindings are peers (helm and kubernetes optional), with dev copies for our tests, never dependencies', () => {
    const peers = pkg.peerDependencies as Record<string, string>;
    expect(peers).toEqual({
      cdktf: '^0.21.0',
      constructs: '^10.4.2',
      ...Object.fromEntries(Object.values(SUPPORTED_BINDINGS).map((b) => [b.package, b.range])),
    });
    expect(pkg.peerDependenciesMeta).toEqual(Object.fromEntries(OPTIONAL.map((b) => [SUPPORTED_BINDINGS[b].package, { optional: true }])));
    for (const name of Object.keys(peers)) {
      expect([name, pkg.dependencies[name]]).toEqual([name, undefined]);
      // The copies our tests run against are inside the range a consumer gets.
      const installed = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version as string;
      expect([name, installed, semver.satisfies(installed, peers[name])]).toEqual([name, installed, true]);
      expect(pkg.devDependencies[name]).toBeDefined();
    }
  });

  test('each binding range binds the Terraform provider version it names (and the one the offline mirror holds for aws)', () => {
    for (const b of Object.keys(SUPPORTED_BINDINGS) as ProviderBinding[]) {
      const installed = installedBinding(b)!;
      expect(bindingProblem(b, installed)).toBeUndefined();
      expect(installed.provider).toMatch(new RegExp(`^${SUPPORTED_BINDINGS[b].provider.replace(/\./g, '\\.').replace('x', '\\d+')}$`));
    }
    expect(installedBinding('aws')).toEqual({ version: '20.1.0', provider: 'hashicorp/aws 5.100.0' });
  });

  test('every entry point in exports has its source index, and typesVersions maps the same subpaths', () => {
    const subpaths = Object.keys(pkg.exports).filter((k) => k !== '.' && k !== './package.json');
    expect(subpaths).toEqual(['./addons', './kubernetes', './testing']);
    for (const [sub, target] of Object.entries(pkg.exports as Record<string, { default?: string }>)) {
      if (!target.default) continue;
      expect([sub, fs.existsSync(path.join(root, target.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts')))]).toEqual([sub, true]);
    }
    expect(Object.keys(pkg.typesVersions['*']).map((s) => `./${s}`)).toEqual(subpaths);
  });
});

/** Bare imports reachable from a source file through relative imports, each with the chain that reaches it. */
function reachableImports(entry: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = [...chain, path.relative(root, file)];
    for (const { fileName } of ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) {
        if (!found.has(fileName)) found.set(fileName, here);
        continue;
      }
      const base = path.resolve(path.dirname(file), fileName);
      const next = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (!next) throw new Error(`${file}: cannot resolve ${fileName}`);
      visit(next, here);
    }
  };
  visit(entry, []);
  return found;
}

describe('entry points load only the bindings they need', () => {
  const loads = (entry: string, binding: ProviderBinding) =>
    [...reachableImports(path.join(root, entry))].filter(([spec]) => spec === SUPPORTED_BINDINGS[binding].package || spec.startsWith(`${SUPPORTED_BINDINGS[binding].package}/`)).map(([spec, chain]) => `${chain.join(' -> ')} -> ${spec}`);

  test('cdktf-eks-platform (modules/index.ts) loads neither helm nor kubernetes: export constructs using them from modules/addons or modules/kubernetes', () => {
    expect(loads('modules/index.ts', 'helm')).toEqual([]);
    expect(loads('modules/index.ts', 'kubernetes')).toEqual([]);
    expect(loads('modules/index.ts', 'aws').length).toBeGreaterThan(0);
  });

  test('cdktf-eks-platform/kubernetes loads no helm; cdktf-eks-platform/testing loads neither', () => {
    expect(loads('modules/kubernetes/index.ts', 'helm')).toEqual([]);
    expect(loads('modules/testing/index.ts', 'helm')).toEqual([]);
    expect(loads('modules/testing/index.ts', 'kubernetes')).toEqual([]);
  });

  test('the walk sees through re-exports: the addons entry reaches both optional bindings', () => {
    expect(loads('modules/addons/index.ts', 'helm')).toEqual(expect.arrayContaining([expect.stringMatching(/^modules\/addons\/index\.ts -> modules\/addons\/addon-releases\.ts -> @cdktf\/provider-helm\/lib\/release$/)]));
    expect(loads('modules/addons/index.ts', 'kubernetes').length).toBeGreaterThan(0);
  });

  test('each construct checks at synth the bindings its file imports', () => {
    const dir = path.join(root, 'modules');
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.startsWith('testing'));
    const constructs = files.filter((f) => /class \w+ extends Construct\b/.test(fs.readFileSync(path.join(dir, f), 'utf8')));
    expect(constructs.length).toBeGreaterThan(25);
    for (const f of constructs) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const used = (Object.keys(SUPPORTED_BINDINGS) as ProviderBinding[]).filter((b) => text.includes(`from '${SUPPORTED_BINDINGS[b].package}/`));
      const call = /super\(scope, id\);\n\s*checkProviderBindings\(this, ([^)]*)\);/.exec(text);
      const checked = call ? call[1].split(', ').map((s) => s.replace(/'/g, '')) : [];
      // A construct made only of other constructs checks what they use (aws, usually).
      expect([f, checked.length > 0 ? 'calls checkProviderBindings(this, ...) right after super()' : 'no call', used.filter((b) => !checked.includes(b))]).toEqual([f, 'calls checkProviderBindings(this, ...) right after super()', []]);
    }
  });
});

describe('the binding check', () => {
  test('one line naming the package, the installed version and what it binds, the supported range and the fix', () => {
    expect(bindingProblem('aws', { version: '21.22.1', provider: 'hashicorp/aws 6.25.0' })).toBe(
      '@cdktf/provider-aws 21.22.1 (binds hashicorp/aws 6.25.0) is not supported by cdktf-eks-platform, which needs @cdktf/provider-aws ^20.1.0 (hashicorp/aws 5.100.0): npm install @cdktf/provider-aws@"^20.1.0"',
    );
    expect(bindingProblem('aws', { version: '20.0.0' })).toMatch(/^@cdktf\/provider-aws 20\.0\.0 is not supported by cdktf-eks-platform, which needs @cdktf\/provider-aws \^20\.1\.0/);
    expect(bindingProblem('helm', { version: '11.0.0', provider: 'hashicorp/helm 2.17.0' })).toContain('@cdktf/provider-helm 11.0.0 (binds hashicorp/helm 2.17.0) is not supported');
    expect(bindingProblem('kubernetes', undefined)).toBe('@cdktf/provider-kubernetes is not installed; cdktf-eks-platform needs @cdktf/provider-kubernetes ^12.1.1 (hashicorp/kubernetes 2.38.x): npm install @cdktf/provider-kubernetes@"^12.1.1"');
    for (const ok of ['20.1.0', '20.1.7']) expect(bindingProblem('aws', { version: ok })).toBeUndefined();
    expect(bindingProblem('aws', { version: '21.0.0-pre.1' })).toBeDefined();
  });

  test('synth fails with that line when the installed binding is unsupported (the version read stubbed); building the stack does not', () => {
    jest.isolateModules(() => {
      jest.doMock('@cdktf/provider-aws/package.json', () => ({ version: '21.22.1', cdktf: { provider: { name: 'registry.terraform.io/hashicorp/aws', version: '6.25.0' } } }));
      const { Testing, TerraformStack } = require('cdktf') as typeof import('cdktf');
      const { AwsProvider } = require('@cdktf/provider-aws/lib/provider') as typeof import('@cdktf/provider-aws/lib/provider');
      const { PrivateBucket } = require('../modules') as typeof import('../modules');
      const stack = new TerraformStack(Testing.app(), 'consumer');
      new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      new PrivateBucket(stack, 'one', { bucketName: 'consumer-bucket-one', accountId: '123456789012', region: 'eu-west-1' });
      new PrivateBucket(stack, 'two', { bucketName: 'consumer-bucket-two', accountId: '123456789012', region: 'eu-west-1' });
      let message = '';
      try {
        Testing.synth(stack, true);
      } catch (e) {
        message = (e as Error).message;
      }
      // Once per stack, however many constructs: the line cdktf prefixes with the stack's path.
      expect(message.split('\n').filter((l) => l.startsWith('  ['))).toEqual([
        '  [consumer] @cdktf/provider-aws 21.22.1 (binds hashicorp/aws 6.25.0) is not supported by cdktf-eks-platform, which needs @cdktf/provider-aws ^20.1.0 (hashicorp/aws 5.100.0): npm install @cdktf/provider-aws@"^20.1.0"',
      ]);
    });
    jest.dontMock('@cdktf/provider-aws/package.json');
  });

  test('the installed bindings pass: synth with validations succeeds', () => {
    const { Testing, TerraformStack } = require('cdktf') as typeof import('cdktf');
    const { AwsProvider } = require('@cdktf/provider-aws/lib/provider') as typeof import('@cdktf/provider-aws/lib/provider');
    const { PrivateBucket } = require('../modules') as typeof import('../modules');
    const stack = new TerraformStack(Testing.app(), 'consumer');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new PrivateBucket(stack, 'one', { bucketName: 'consumer-bucket-one', accountId: '123456789012', region: 'eu-west-1' });
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  test('an entry point whose optional peers are missing says which to install, in one line', () => {
    jest.isolateModules(() => {
      jest.doMock('@cdktf/provider-helm/package.json', () => {
        throw Object.assign(new Error("Cannot find module '@cdktf/provider-helm/package.json'"), { code: 'MODULE_NOT_FOUND' });
      });
      const { assertBindingsInstalled: assertFresh } = require('../modules/core/bindings') as typeof import('../modules/core/bindings');
      expect(() => assertFresh('cdktf-eks-platform/addons', 'aws', 'helm', 'kubernetes')).toThrow(
        'cdktf-eks-platform/addons needs @cdktf/provider-helm ^12.1.2 (peer dependency of cdktf-eks-platform), not installed: npm install @cdktf/provider-helm@"^12.1.2"',
      );
    });
    jest.dontMock('@cdktf/provider-helm/package.json');
    expect(() => assertBindingsInstalled('cdktf-eks-platform/addons', 'aws', 'helm', 'kubernetes')).not.toThrow();
  });
});
