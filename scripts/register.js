/**
 * `node --require ./scripts/register.js <file>.ts`: how this project runs its TypeScript in Node (the
 * app command in cdktf.json, the npm scripts, the processes tests start).
 *
 * Sucrase strips the types and turns imports into `require` calls, keeping every line where it was, so
 * stack traces name the right `.ts` lines without source maps. (tsx, used before, turned Node's source
 * maps on for every module, node_modules' inline maps included, and scanned every `.js` file it loaded
 * for ES module syntax: more than half of a whole-app synth's CPU time.) Types are checked by
 * `tsc --noEmit` in `npm test`, not here; jest transforms with swc.
 *
 * Each file's output is cached in `node_modules/.cache/ts-register/` under a key made of its content,
 * Sucrase's version and the options (the output depends on nothing else), so an edited file is
 * transformed again the next time any command loads it: a command never runs stale code. Past
 * MAX_ENTRIES (old versions of edited files) the cache starts over; without a writable cache
 * directory every load transforms.
 */
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { addHook } = require('pirates');

// ES2022 syntax (class fields included) is left as it is: Node 20 runs it, and tsc's target is ES2022.
const OPTIONS = { transforms: ['typescript', 'imports'], disableESTransforms: true };
const CACHE = path.join(__dirname, '..', 'node_modules', '.cache', 'ts-register');
const SALT = JSON.stringify([require('sucrase/package.json').version, OPTIONS, 1]);

const hash = (...parts) => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 32);
};

let transform;
function compile(code, filename) {
  transform ??= require('sucrase').transform;
  return transform(code, { ...OPTIONS, filePath: filename }).code;
}

const MAX_ENTRIES = 2000;

/** Writes one entry whole, then renames it into place (other processes read either nothing or all of it). */
function store(file, output) {
  try {
    fs.mkdirSync(CACHE, { recursive: true });
    if (fs.readdirSync(CACHE).length >= MAX_ENTRIES) {
      fs.rmSync(CACHE, { recursive: true, force: true });
      fs.mkdirSync(CACHE, { recursive: true });
    }
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, output);
    fs.renameSync(tmp, file);
  } catch {
    // No cache (read-only node_modules...): the next load transforms again.
  }
}

function cached(code, filename) {
  const file = path.join(CACHE, `${hash(SALT, code)}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    const output = compile(code, filename);
    store(file, output);
    return output;
  }
}

addHook(cached, { exts: ['.ts'], ignoreNodeModules: false });
