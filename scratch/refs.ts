import { buildApp } from '../main';
import { listStacks } from '../modules/testing';
import { literalReferences } from '../modules/testing';
import * as fs from 'fs';
import * as path from 'path';
const out = '/tmp/refs-out';
fs.rmSync(out, { recursive: true, force: true });
buildApp(out, {}).synth();
for (const s of listStacks(out)) {
  const json = JSON.parse(fs.readFileSync(path.join(s.dir, 'cdk.tf.json'), 'utf8'));
  for (const f of literalReferences(json)) console.log(s.id, f.resource, f.attribute, f.value.slice(0, 120), '->', f.refersTo);
}
