#!/usr/bin/env node
/**
 * Adds lockfile entries for optional, platform-specific packages the registry these machines reach
 * does not serve (e.g. jest 30's @unrs/resolver-binding-darwin-arm64). npm records only the
 * packages it could fetch, and `npm ci` then refuses the lockfile as out of sync. Each stub carries
 * the package's os/cpu (read from its name), so npm skips it on every other platform exactly as it
 * would skip the real entry. Run after `npm install` changes the lockfile:
 *   node scripts/complete-lockfile.js
 */
'use strict';
const fs = require('fs');
const path = require('path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const pkgs = lock.packages;
const PLATFORM = /-(android|darwin|freebsd|linux|openharmony|win32)-(arm64|arm|x64|ia32|loong64|ppc64|riscv64|s390x)(-(gnu|musl|gnueabihf|musleabihf|eabi|msvc))?$/;
let added = 0;
for (const [where, entry] of Object.entries(pkgs)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const nested = where ? `${where}/${key}` : key;
    if (pkgs[key] || pkgs[nested]) continue;
    const m = PLATFORM.exec(name);
    if (!m) throw new Error(`${name} (optional dependency of ${where || 'the root'}) is missing from the lockfile and its platform cannot be read from its name`);
    const libc = m[4] && m[1] === 'linux' ? { libc: [m[4].startsWith('musl') ? 'musl' : 'glibc'] } : {};
    pkgs[key] = { version, cpu: [m[2]], ...(entry.dev ? { dev: true } : {}), ...libc, optional: true, os: [m[1]] };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform stub entr${added === 1 ? 'y' : 'ies'}`);
