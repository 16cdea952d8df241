/** Guards of the library's shape that a reviewer would otherwise have to catch by eye. */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

function sources(dir: string): string[] {
  const full = path.join(ROOT, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
}

const code = ['main.ts', ...sources('modules'), ...sources('stacks'), ...sources('environments'), ...sources('scripts')];

test('provider classes are imported by deep path only (the package roots load 1000+ classes)', () => {
  const offenders = code.filter((f) => /from '@cdktf\/provider-(aws|helm|kubernetes)'/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
  expect(offenders).toEqual([]);
});

test('modules know nothing of environments or stacks', () => {
  const offenders = sources('modules').filter((f) => /from '(\.\.\/)+(environments|stacks)/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
  expect(offenders).toEqual([]);
});

test('every AWS data source goes through PlanTimeLookup (offline plans stub it), in the same file that creates it', () => {
  const offenders = [...sources('modules'), ...sources('stacks')].filter((f) => {
    const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
    const created = (text.match(/new DataAws\w+\(/g) ?? []).length;
    const wrapped = (text.match(/new PlanTimeLookup\(new DataAws\w+\(/g) ?? []).length;
    return created !== wrapped;
  });
  expect(offenders).toEqual([]);
});
