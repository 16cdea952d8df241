/**
 * `npm run bench [-- synth|plan|test|all] [--concurrent]`: the figures of docs/BENCHMARKS.md, as
 * markdown to paste there. Measure on an otherwise idle machine; every case runs whole commands in
 * fresh processes, the way a developer runs them.
 *
 *   synth (default)  cdktf.json's app command, all environments (main.ts), against the same command
 *                    with a one-resource app (scripts/bench-one-resource.ts): wall time (median of
 *                    BENCH_RUNS, default 5, after one warm-up run each), ratio, peak RSS of the app's
 *                    largest Node process.
 *   plan             `npm run plan` (both environments) with a cold plugin cache: it deletes
 *                    .terraform-plugin-cache/, .terraform-shared/ and offline-plan/ first. Wall time,
 *                    time to the first stack's line, stacks planned, exit code.
 *   test             `npm test`: wall time, suites and tests, `terraform plan` runs (a PATH shim counts
 *                    them), the slowest suites, and the test or beforeAll/afterAll hook closest to its
 *                    timeout. `--concurrent` runs a second `npm test` at the same time in a copy of the
 *                    project and reports both.
 *
 * Every case starts with the host's speed: the CPU time of `terraform providers schema -json` (the
 * AWS provider's schema, which every `terraform plan` and `show` of the tests loads once; about 60 %
 * of `npm test` is that load). It is fixed work, so figures of two sessions compare only after
 * scaling by it: the same commit's `npm test` took 146 s and 191 s on two days on this kind of host.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initOffline, listStacks, offlineTerraformEnv, terraform } from '../modules/testing';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------- synth

interface SynthSample { ms: number; cpuMs: number; rssMiB: number; stacks: number }

/** Appended to NODE_OPTIONS: each Node process of the app command records its peak RSS and CPU time on exit. */
function rssReporter(): { preload: string; out: string } {
  const preload = path.join(tmp, 'rss-reporter.js');
  const out = path.join(tmp, 'rss.txt');
  fs.writeFileSync(preload, `process.on('exit', () => { const u = process.resourceUsage(); require('fs').appendFileSync(${JSON.stringify(out)}, [u.maxRSS, u.userCPUTime + u.systemCPUTime].join(' ') + '\\n'); });\n`);
  return { preload, out };
}

function runApp(command: string): SynthSample {
  const outdir = fs.mkdtempSync(path.join(tmp, 'synth-'));
  const rss = rssReporter();
  fs.rmSync(rss.out, { force: true });
  const env = { ...process.env, CDKTF_OUTDIR: outdir, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${rss.preload}`.trim() };
  const t0 = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', command], { cwd: ROOT, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${command} failed (exit ${r.status}):\n${r.stderr}`);
  const procs = fs.readFileSync(rss.out, 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number));
  const stacks = fs.readdirSync(path.join(outdir, 'stacks')).length;
  fs.rmSync(outdir, { recursive: true, force: true });
  return { ms, cpuMs: procs.reduce((n, p) => n + p[1] / 1000, 0), rssMiB: Math.max(...procs.map((p) => p[0])) / 1024, stacks };
}

function benchSynth(): string {
  const app = (JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')) as { app: string }).app;
  if (!/(^|\s)main\.ts(\s|$)/.test(app)) throw new Error(`cdktf.json's app command does not run main.ts: ${app}`);
  const cases: Array<[string, string]> = [
    ['one-resource app (baseline)', app.replace(/(^|\s)main\.ts(\s|$)/, '$1scripts/bench-one-resource.ts$2')],
    ['all environments (main.ts)', app],
  ];
  const rows = cases.map(([name, command]) => {
    runApp(command); // warm-up: loader caches, page cache
    const samples = Array.from({ length: RUNS }, () => runApp(command));
    return { name, command, ms: median(samples.map((s) => s.ms)), min: Math.min(...samples.map((s) => s.ms)), cpu: median(samples.map((s) => s.cpuMs)), rss: Math.max(...samples.map((s) => s.rssMiB)), stacks: samples[0].stacks };
  });
  const [base, full] = rows;
  return [
    `### Synth: cdktf.json's app command (\`${app}\`), ${RUNS} runs each after a warm-up (median wall time of the whole process)`,
    '',
    '| case | stacks | wall (median) | min | CPU of its Node processes (median) | peak RSS |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.name} | ${r.stacks} | ${r.ms.toFixed(0)} ms | ${r.min.toFixed(0)} ms | ${r.cpu.toFixed(0)} ms | ${r.rss.toFixed(0)} MiB |`),
    '',
    `All environments take ${(full.ms / base.ms).toFixed(2)}x the one-resource app's wall time (${(full.cpu / base.cpu).toFixed(2)}x its CPU time); peak RSS ${full.rss.toFixed(0)} MiB.`,
  ].join('\n');
}

// ----------------------------------------------------------------------------------------- plan

function benchPlan(): Promise<string> {
  for (const d of ['.terraform-plugin-cache', '.terraform-shared', 'offline-plan']) fs.rmSync(path.join(ROOT, d), { recursive: true, force: true });
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    let first = 0;
    let out = '';
    const child = spawn('npm', ['run', '-s', 'plan'], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (d: Buffer) => {
      out += d;
      if (!first && /^ {2}\S+\s+[\d.]+ s {2}/m.test(out)) first = Date.now() - t0;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Date.now() - t0;
      const planned = /(\d+) of (\d+) AWS stacks planned/.exec(out);
      resolve([
        '### `npm run plan` (both environments, cold plugin cache)',
        '',
        '| wall | first stack line after | stacks planned | exit code |',
        '| ---: | ---: | ---: | ---: |',
        `| ${secs(ms)} | ${secs(first)} | ${planned ? `${planned[1]} of ${planned[2]}` : '?'} | ${code} |`,
      ].join('\n'));
    });
  });
}

// ----------------------------------------------------------------------------------------- test

interface JestJson {
  numTotalTests: number;
  numPassedTests: number;
  numTotalTestSuites: number;
  testResults: Array<{ name: string; startTime: number; endTime: number; assertionResults: Array<{ fullName: string; duration?: number | null }> }>;
}

interface TestRun { label: string; code: number | null; ms: number; jest?: JestJson; plans: number; hooks: Array<{ file: string; hook: string; ms: number; timeout: number | null }> }

/** A directory with a `terraform` that logs each call, then runs the real one. */
function terraformShim(log: string): string {
  const real = spawnSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).stdout.trim();
  if (!real) throw new Error('terraform is not on PATH');
  const dir = fs.mkdtempSync(path.join(tmp, 'shim-'));
  fs.writeFileSync(path.join(dir, 'terraform'), `#!/bin/sh\necho "$1" >> ${JSON.stringify(log)}\nexec ${JSON.stringify(real)} "$@"\n`, { mode: 0o755 });
  return dir;
}

/** A copy of the project to run a second `npm test` in (node_modules linked, build output not copied). */
function projectCopy(): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'project-'));
  const skip = new Set(['node_modules', '.git', 'dist', 'cdktf.out', 'offline-plan', 'plan-summary', '.terraform-plugin-cache', '.terraform-shared', 'coverage']);
  for (const e of fs.readdirSync(ROOT)) if (!skip.has(e)) fs.cpSync(path.join(ROOT, e), path.join(dir, e), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function runNpmTest(label: string, cwd: string): Promise<TestRun> {
  const files = { jest: path.join(tmp, `${label}-jest.json`), calls: path.join(tmp, `${label}-terraform.log`), hooks: path.join(tmp, `${label}-hooks.jsonl`) };
  const env = { ...process.env, PATH: `${terraformShim(files.calls)}${path.delimiter}${process.env.PATH}`, BENCH_HOOK_TIMINGS: files.hooks, FORCE_COLOR: '0' };
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn('npm', ['test', '--', '--json', `--outputFile=${files.jest}`], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
      if (code !== 0) process.stderr.write(`${label}: npm test exited ${code}\n${stderr.split('\n').slice(-40).join('\n')}\n`);
      resolve({
        label,
        code,
        ms: Date.now() - t0,
        jest: read(files.jest) ? (JSON.parse(read(files.jest)) as JestJson) : undefined,
        plans: read(files.calls).split('\n').filter((l) => l === 'plan').length,
        hooks: read(files.hooks).split('\n').filter(Boolean).map((l) => JSON.parse(l)),
      });
    });
  });
}

function describeRun(r: TestRun, defaultTimeout: number): string[] {
  const rel = (f: string) => path.relative(ROOT, f).replace(/^.*__tests__/, '__tests__');
  const suites = (r.jest?.testResults ?? []).map((t) => ({ file: rel(t.name), ms: t.endTime - t.startTime })).sort((a, b) => b.ms - a.ms);
  const tests = (r.jest?.testResults ?? []).flatMap((t) => t.assertionResults.map((a) => ({ what: `test "${a.fullName}" (${rel(t.name)})`, ms: a.duration ?? 0, timeout: defaultTimeout })));
  const hooks = r.hooks.map((h) => ({ what: `${h.hook} of ${rel(h.file)}`, ms: h.ms, timeout: h.timeout ?? defaultTimeout }));
  const closest = [...tests, ...hooks].sort((a, b) => b.ms / b.timeout - a.ms / a.timeout)[0];
  return [
    `| ${r.label} | ${secs(r.ms)} | ${r.code} | ${r.jest?.numTotalTestSuites ?? '?'} | ${r.jest ? `${r.jest.numPassedTests} / ${r.jest.numTotalTests}` : '?'} | ${r.plans} | ${closest ? `${((100 * closest.ms) / closest.timeout).toFixed(0)}% (${secs(closest.ms)} of ${secs(closest.timeout)}): ${closest.what}` : '?'} |`,
    `|  | slowest suites: ${suites.slice(0, 5).map((s) => `${s.file} ${secs(s.ms)}`).join(', ')} | | | | | |`,
  ];
}

async function benchTest(concurrent: boolean): Promise<string> {
  const defaultTimeout = (require(path.join(ROOT, 'jest.config.js')) as { testTimeout?: number }).testTimeout ?? 5000;
  const runs = await Promise.all([runNpmTest('npm test', ROOT), ...(concurrent ? [runNpmTest('second npm test (concurrent, in a copy)', projectCopy())] : [])]);
  return [
    `### \`npm test\`${concurrent ? ', two at once' : ''} (jest default timeout ${secs(defaultTimeout)})`,
    '',
    '| run | wall | exit | suites | tests passed | terraform plan runs | closest to its timeout |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...runs.flatMap((r) => describeRun(r, defaultTimeout)),
  ].join('\n');
}

// ----------------------------------------------------------------------------------- host speed

/**
 * CPU seconds of this process's finished children and their descendants (Linux: `cutime + cstime` of
 * /proc/self/stat, in clock ticks of 1/100 s); undefined elsewhere.
 */
function childrenCpuSeconds(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // The fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

/** Median wall and CPU time (s) of `terraform providers schema -json` for the AWS provider, 3 runs after a warm-up. */
async function hostSpeed(): Promise<{ wall: number; cpu?: number }> {
  const outdir = fs.mkdtempSync(path.join(tmp, 'host-'));
  const r = spawnSync(process.execPath, ['--require', './scripts/register.js', 'scripts/bench-one-resource.ts'], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: outdir }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench-one-resource.ts failed (exit ${r.status}):\n${r.stderr}`);
  const [stack] = listStacks(outdir);
  const env = offlineTerraformEnv(ROOT);
  const failed = (await initOffline([stack], ROOT, env)).get(stack.id);
  if (failed) throw failed;
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < 4; i++) {
    const cpu0 = childrenCpuSeconds();
    const t0 = Date.now();
    const run = await terraform(['providers', 'schema', '-json'], stack.dir, env);
    if (run.code !== 0) throw new Error(`terraform providers schema failed:\n${run.stderr}`);
    const cpu1 = childrenCpuSeconds();
    if (i === 0) continue;
    walls.push((Date.now() - t0) / 1000);
    if (cpu0 !== undefined && cpu1 !== undefined) cpus.push(cpu1 - cpu0);
  }
  return { wall: median(walls), cpu: cpus.length ? median(cpus) : undefined };
}

// ----------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const what = args.find((a) => !a.startsWith('-')) ?? 'synth';
  if (!['synth', 'plan', 'test', 'all'].includes(what)) throw new Error(`unknown case ${what}; allowed: synth, plan, test, all`);
  const load = os.loadavg()[0];
  console.log(`Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${load.toFixed(2)} at the start${load > 0.5 ? ' (not idle: figures are inflated)' : ''}\n`);
  const speed = await hostSpeed();
  console.log(`Host speed: \`terraform providers schema -json\` (the AWS provider's schema, which every plan and show loads) ${speed.wall.toFixed(2)} s wall${speed.cpu === undefined ? '' : `, ${speed.cpu.toFixed(2)} s CPU`}, median of 3\n`);
  const sections: string[] = [];
  if (what === 'synth' || what === 'all') sections.push(benchSynth());
  if (what === 'plan' || what === 'all') sections.push(await benchPlan());
  if (what === 'test' || what === 'all') sections.push(await benchTest(args.includes('--concurrent')));
  console.log(sections.join('\n\n'));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
