import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findMirror, mirrorProviders, renderCliConfig, writeCliConfig } from '../modules/testing';

function fakeMirror(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirror-'));
  fs.mkdirSync(path.join(dir, 'registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64'), { recursive: true });
  return dir;
}

test('a mirror is found from TF_PROVIDER_MIRROR and lists its providers', () => {
  const dir = fakeMirror();
  expect(mirrorProviders(dir)).toEqual(['registry.terraform.io/hashicorp/aws']);
  expect(findMirror({ TF_PROVIDER_MIRROR: dir })).toEqual({ dir, providers: ['registry.terraform.io/hashicorp/aws'] });
});

test('an empty TF_PROVIDER_MIRROR is an error, not a silent fallback', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-'));
  expect(() => findMirror({ TF_PROVIDER_MIRROR: empty })).toThrow('holds no providers');
});

test('without a mirror everything comes from the registry', () => {
  expect(findMirror({}, ['/nonexistent-a', '/nonexistent-b'])).toBeUndefined();
  const text = renderCliConfig(undefined, '/cache');
  expect(text).toContain('direct {}');
  expect(text).not.toContain('filesystem_mirror');
});

test('with a mirror, its providers come from it and the rest from the registry, all through the plugin cache', () => {
  const text = renderCliConfig({ dir: '/m', providers: ['registry.terraform.io/hashicorp/aws'] }, '/cache');
  expect(text).toMatch(/filesystem_mirror \{\n\s+path\s+= "\/m"\n\s+include = \["registry.terraform.io\/hashicorp\/aws"\]/);
  expect(text).toMatch(/direct \{\n\s+exclude = \["registry.terraform.io\/hashicorp\/aws"\]/);
  expect(text).toContain('plugin_cache_dir = "/cache"');
});

test('writeCliConfig writes the file into the project and returns its path', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'proj-'));
  const file = writeCliConfig(root, { TF_PROVIDER_MIRROR: fakeMirror() });
  expect(file).toBe(path.join(root, '.terraformrc.generated'));
  expect(fs.readFileSync(file, 'utf8')).toContain('filesystem_mirror');
  expect(fs.existsSync(path.join(root, '.terraform-plugin-cache'))).toBe(true);
});
