/**
 * `npm run plan [-- <env> ...]`: the newcomer's command. Synthesizes the environments in offline
 * mode into cdktf.out/, then prints a real `terraform plan` of every stack whose providers are all
 * `aws` (mock credentials, local state, stub upstream outputs: no AWS account needed) and a summary.
 * Stacks with other providers (helm, kubernetes) are synthesized and listed but not planned.
 */
import * as path from 'path';
import { ConfigError } from '../environments';
import { buildApp } from '../main';
import { inDependencyOrder, isAwsOnly, listStacks, offlineTerraformEnv, planAllOffline, summaryTable } from '../modules/testing';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const envs = process.argv.slice(2);
  const app = buildApp(path.join(root, 'cdktf.out'), { ...process.env, PLATFORM_OFFLINE: '1', ...(envs.length ? { PLATFORM_ENVIRONMENTS: envs.join(',') } : {}) });
  app.synth();
  const stacks = inDependencyOrder(listStacks(app.outdir));
  const aws = stacks.filter(isAwsOnly);
  const skipped = stacks.filter((s) => !isAwsOnly(s));
  const results = await planAllOffline(aws, offlineTerraformEnv(root), { color: process.stdout.isTTY });
  const failed = results.filter((r) => r instanceof Error).length;
  results.forEach((r, i) => {
    console.log(`\n==================== ${aws[i].id} ====================`);
    console.log(r instanceof Error ? r.message : r.text);
  });
  const ok = results.filter((r): r is Exclude<typeof r, Error> => !(r instanceof Error));
  console.log(`\nOffline plan summary (${ok.length} of ${aws.length} AWS stacks planned)\n`);
  console.log(summaryTable(ok));
  if (skipped.length) console.log(`\nSynthesized, not planned here (providers ${[...new Set(skipped.flatMap((s) => s.providers))].join(', ')}): ${skipped.map((s) => s.id).join(', ')}`);
  if (failed) {
    console.error(`\n${failed} stack(s) failed to plan.`);
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? `Configuration error: ${e.message}` : e);
  process.exit(1);
});
