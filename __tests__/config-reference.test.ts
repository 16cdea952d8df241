/**
 * docs/configuration.md is generated from the EnvironmentConfig types (scripts/config-reference.ts) and
 * must match them: adding, removing or re-documenting a field without `npm run docs:config` fails here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { REFERENCE_FILE, collectSections, generateReference, renderReference } from '../scripts/config-reference';
import { environmentSchema } from '../environments/schema';

const generated = generateReference();

test('docs/configuration.md is up to date with the EnvironmentConfig types (else run: npm run docs:config)', () => {
  const committed = fs.existsSync(REFERENCE_FILE) ? fs.readFileSync(REFERENCE_FILE, 'utf8') : '(missing)';
  // Compare line sets first for a readable failure, then the whole text.
  const missing = generated.split('\n').filter((l) => !committed.includes(l));
  expect({ missingOrChangedLines: missing }).toEqual({ missingOrChangedLines: [] });
  expect(committed).toBe(generated);
});

test('every field of the zod schema has a row, and every top-level row a schema field', () => {
  const topRows = [...generated.split('## ')[1].matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
  expect(topRows.sort()).toEqual(Object.keys(environmentSchema.shape).sort());
});

test('the generator follows any shape: literals, maps, nested objects and lists of objects', () => {
  const md = renderReference(collectSections(path.join(__dirname, 'fixtures', 'config-types.ts'), 'FixtureConfig'));
  expect(md).toContain('## Top level (FixtureConfig)\n\nThe root.');
  expect(md).toContain('| `name` | string | yes |  | Required name. |');
  expect(md).toContain('| `mode` | one of "fast" \\| "safe" | no | "safe" | A mode. |');
  expect(md).toContain('| `enabled` | boolean | no | false | Flags. |');
  expect(md).toContain('| `labels` | map of string to string | no | none | Labels \\| with a pipe. |');
  expect(md).toContain('| `inner` | object (see `inner`) | yes |  | Nested settings. |');
  expect(md).toContain('## `inner` (InnerConfig)');
  expect(md).toContain('| `inner.count` | number | no | 3 | A number. |');
  expect(md).toContain('| `items` | list of objects (see `items[]`) | no | [] | Items. |');
  expect(md).toContain('| `items[].modes` | list of "fast" \\| "safe" | no | — |  |');
  expect(md).toContain('| `perMode` | map from one of "fast" \\| "safe" to number | no | {} | Per mode. |');
});
