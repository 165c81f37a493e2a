#!/usr/bin/env node
// The version comes from one place: `version` in the workspace Cargo.toml ([workspace.package]).
// The Rust crates inherit it, maturin reads it for the wheel (pyproject: dynamic = ["version"]);
// this script writes it into every npm package of the repository (each package.json named
// primevox-webhooks*, its package-lock.json, and the main package's optionalDependencies on its
// platform packages).
//
//   node scripts/sync-versions.mjs           rewrite what differs (scripts/release.sh runs it)
//   node scripts/sync-versions.mjs --check   exit 1 naming every file that differs (the tests)
import { readFileSync, writeFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

export function workspaceVersion() {
  const toml = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const section = toml.split(/^\[/m).find((s) => s.startsWith('workspace.package]'));
  const m = section && section.match(/^version\s*=\s*"([^"]+)"/m);
  if (!m) throw new Error('no version in [workspace.package] of Cargo.toml');
  return m[1];
}

// Every package.json of an npm package this repository publishes (never under node_modules).
function packageFiles() {
  const out = [];
  const walk = (dir, depth) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.') || name === 'target') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (depth < 3) walk(path, depth + 1);
      } else if (name === 'package.json') {
        const pkg = JSON.parse(readFileSync(path, 'utf8'));
        if (typeof pkg.name === 'string' && pkg.name.startsWith('primevox-webhooks') && !pkg.private) {
          out.push(path);
        }
      }
    }
  };
  for (const name of readdirSync(root)) {
    if (name.startsWith('bindings-') && statSync(join(root, name)).isDirectory()) walk(join(root, name), 1);
  }
  return out.sort();
}

function synced(pkg, version) {
  const next = { ...pkg, version };
  if (pkg.optionalDependencies) {
    next.optionalDependencies = Object.fromEntries(
      Object.entries(pkg.optionalDependencies).map(([name, v]) => [
        name,
        name.startsWith(`${pkg.name}-`) ? version : v,
      ]),
    );
  }
  return next;
}

function syncedLock(lock, version) {
  const next = { ...lock, version };
  if (lock.packages && lock.packages['']) {
    next.packages = { ...lock.packages, '': { ...lock.packages[''], version } };
  }
  return next;
}

const version = workspaceVersion();
const stale = [];
for (const file of packageFiles()) {
  const pairs = [[file, synced]];
  const lock = join(dirname(file), 'package-lock.json');
  if (existsSync(lock)) pairs.push([lock, syncedLock]);
  for (const [path, fix] of pairs) {
    const text = readFileSync(path, 'utf8');
    const want = `${JSON.stringify(fix(JSON.parse(text), version), null, 2)}\n`;
    if (JSON.stringify(JSON.parse(text)) === JSON.stringify(JSON.parse(want))) continue;
    stale.push(relative(root, path));
    if (!check) writeFileSync(path, want);
  }
}
if (check) {
  if (stale.length) {
    console.error(`not at version ${version} (run node scripts/sync-versions.mjs): ${stale.join(', ')}`);
    process.exit(1);
  }
  console.log(`every npm package is at the workspace version ${version}`);
} else {
  console.log(stale.length ? `set version ${version} in ${stale.join(', ')}` : `versions already ${version}`);
}
