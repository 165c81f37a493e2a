#!/usr/bin/env node
// Copies what `npm pack` would pack from an npm package folder into a staging folder, and adds what
// a published package has that the source folder does not (scripts/release.sh then packs the
// stage):
//   - the license files of the repository (LICENSE-MIT, LICENSE-APACHE), listed in "files";
//   - --addon FILE: the built .node of a platform package (napi-rs layout: npm/<platform>/);
//   - --optional-deps DIR: the main package's "optionalDependencies" on every platform package
//     in DIR/*/package.json, at their version (what `napi pre-publish` writes before publishing).
//
//   node scripts/npm-stage.mjs SRC DST [--addon FILE] [--optional-deps DIR]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [src, dst, ...rest] = process.argv.slice(2);
if (!src || !dst) {
  console.error('usage: node scripts/npm-stage.mjs SRC DST [--addon FILE] [--optional-deps DIR]');
  process.exit(2);
}
const opt = (name) => {
  const i = rest.indexOf(name);
  return i >= 0 ? resolve(rest[i + 1]) : undefined;
};
const addon = opt('--addon');
const optionalDeps = opt('--optional-deps');
const LICENSES = ['LICENSE-MIT', 'LICENSE-APACHE'];

// The files npm would pack from the source folder ("files", README, package.json).
const listed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
  cwd: src,
  encoding: 'utf8',
});
if (listed.status !== 0) {
  console.error(listed.stderr);
  process.exit(1);
}
const files = JSON.parse(listed.stdout)[0].files.map((f) => f.path);

rmSync(dst, { recursive: true, force: true });
for (const f of files) {
  mkdirSync(dirname(join(dst, f)), { recursive: true });
  copyFileSync(join(src, f), join(dst, f));
}
for (const f of LICENSES) copyFileSync(join(root, f), join(dst, f));

const pkg = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
pkg.files = [...new Set([...(pkg.files ?? []), ...LICENSES])];
if (addon) {
  const name = basename(addon);
  if (!(pkg.files ?? []).includes(name)) throw new Error(`${pkg.name}: "files" does not list ${name}`);
  copyFileSync(addon, join(dst, name));
}
if (optionalDeps) {
  pkg.optionalDependencies = {};
  for (const dir of readdirSync(optionalDeps).sort()) {
    const manifest = join(optionalDeps, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const platform = JSON.parse(readFileSync(manifest, 'utf8'));
    if (platform.version !== pkg.version) {
      throw new Error(`${platform.name} is at ${platform.version}, ${pkg.name} at ${pkg.version}`);
    }
    pkg.optionalDependencies[platform.name] = platform.version;
  }
}
writeFileSync(join(dst, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`staged ${pkg.name}@${pkg.version}: ${files.length + LICENSES.length + (addon ? 1 : 0)} files in ${dst}`);
