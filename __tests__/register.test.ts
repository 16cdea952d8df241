/**
 * scripts/register.js, the TypeScript loader of the app command (cdktf.json), the npm scripts and the
 * processes tests start: an edited file runs as edited (its cache is keyed by content), and stack
 * traces name the .ts file's own lines without source maps.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'register-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(file: string) {
  const r = spawnSync(process.execPath, ['--require', './scripts/register.js', file], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the cdktf app command and the npm scripts load TypeScript with it', () => {
  expect(JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8')).app).toBe('node --require ./scripts/register.js main.ts');
  const scripts = Object.values(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>).filter((s) => /\.ts\b/.test(s));
  expect(scripts.length).toBeGreaterThan(5);
  expect(scripts.filter((s) => !/^node (-r|--require) \.\/scripts\/register\.js /.test(s))).toEqual([]);
});

test('an edited file runs as edited, also when the edit keeps its size and modification time', () => {
  const file = path.join(tmp, 'edited.ts');
  // A unique value, so no earlier run's cache entry can answer for it.
  const marker = `${process.pid}-${Date.now()}`;
  fs.writeFileSync(file, `const value: string = 'A-${marker}';\nconsole.log(value);\n`);
  const before = fs.statSync(file);
  expect(run(file)).toMatchObject({ code: 0, stdout: `A-${marker}\n` });
  fs.writeFileSync(file, `const value: string = 'B-${marker}';\nconsole.log(value);\n`);
  fs.utimesSync(file, before.atime, before.mtime);
  expect(run(file)).toMatchObject({ code: 0, stdout: `B-${marker}\n` });
});

test('types, interfaces, enums and imports work; an error names the .ts line it was thrown on', () => {
  const lib = path.join(tmp, 'lib.ts');
  fs.writeFileSync(lib, ['export enum Tier {', '  Public = 1,', '  Private,', '}', 'export const twice = (n: number): number => n * 2;', ''].join('\n'));
  const main = path.join(tmp, 'main.ts');
  fs.writeFileSync(
    main,
    [
      "import { Tier, twice } from './lib';",
      'interface Shape {',
      '  readonly tier: Tier;',
      '}',
      '',
      'class Box implements Shape {',
      '  readonly tier = Tier.Private;',
      '}',
      'console.log(twice(new Box().tier));',
      "throw new Error('here');",
      '',
    ].join('\n'),
  );
  const r = run(main);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('4\n');
  expect(r.stderr).toContain(`at Object.<anonymous> (${main}:10:7)`);
});
