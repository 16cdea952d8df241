/**
 * `npm run bench`: times a full synth of every environment and reports peak memory, against a
 * one-resource app synthesized the same way (same loader, fresh process) in the same run.
 * Each case runs in its own Node process so peak RSS is that case's alone. Prints a markdown table.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const CASES: Record<string, string> = {
  'one-resource app (baseline)': `
    const { App, TerraformStack } = require('cdktf');
    const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
    const { S3Bucket } = require('@cdktf/provider-aws/lib/s3-bucket');
    const app = new App({ outdir: OUT });
    const s = new TerraformStack(app, 'one');
    new AwsProvider(s, 'aws', { region: 'ap-northeast-2' });
    new S3Bucket(s, 'b', { bucket: 'bench-one-resource' });
    app.synth();`,
  'all environments (main.ts)': `
    const { buildApp } = require('./main');
    buildApp(OUT, {}).synth();`,
};

interface Sample { ms: number; rssMiB: number; stacks: number }

function runOnce(body: string): Sample {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const script = `const t0 = process.hrtime.bigint(); const OUT = ${JSON.stringify(out)};
    ${body}
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const stacks = require('fs').readdirSync(require('path').join(OUT, 'stacks')).length;
    console.log(JSON.stringify({ ms, rssMiB: process.resourceUsage().maxRSS / 1024, stacks }));`;
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  fs.rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const rows = Object.entries(CASES).map(([name, body]) => {
  const samples = Array.from({ length: RUNS }, () => runOnce(body));
  return { name, ms: median(samples.map((s) => s.ms)), min: Math.min(...samples.map((s) => s.ms)), rss: median(samples.map((s) => s.rssMiB)), stacks: samples[0].stacks };
});

console.log(`Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${RUNS} runs each (median; time includes module loading and TypeScript transpilation)\n`);
console.log('| case | stacks | synth time (median) | min | peak RSS |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.name} | ${r.stacks} | ${r.ms.toFixed(0)} ms | ${r.min.toFixed(0)} ms | ${r.rss.toFixed(0)} MiB |`);
const [base, full] = rows;
console.log(`\nFull synth costs ${(full.ms / base.ms).toFixed(2)}x the baseline's time and ${(full.rss - base.rss).toFixed(0)} MiB more peak memory.`);
