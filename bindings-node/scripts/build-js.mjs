// Builds the shared JavaScript layer (lib/, the one source of both JS packages) for a package:
//   node scripts/build-js.mjs node            -> api.cjs (CommonJS), events.d.ts, event-builder.cjs
//   node scripts/build-js.mjs wasm --out DIR  -> DIR/api.mjs (ESM), DIR/lib/*.d.ts, DIR/events.d.ts,
//                                                DIR/event-builder.mjs (bindings-wasm/build.sh)
// A shared module reaches the core only through `import engine from '#engine'`, which stays an
// import of the package's own engine (engine.js here, js/engine.js in the wasm package). The
// event types and the event builder are the core's generated files (core/generated/).
// Everything written is a build product (git-ignored), never edited by hand.
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodePkg = path.resolve(here, '..');
const root = path.resolve(nodePkg, '..');
const lib = path.join(nodePkg, 'lib');
const generated = path.join(root, 'core', 'generated');

const TARGETS = {
  node: {
    pkg: nodePkg,
    out: nodePkg,
    entry: 'entry-node.mjs',
    bundle: 'api.cjs',
    format: 'cjs',
    platform: 'node',
    engine: './engine.js',
    builder: 'event-builder.cjs',
    types: false, // lib/*.d.ts are read in place (index.d.ts points at them)
  },
  wasm: {
    pkg: path.join(root, 'bindings-wasm'),
    out: null, // --out
    entry: 'entry-wasm.mjs',
    bundle: 'api.mjs',
    format: 'esm',
    platform: 'neutral',
    engine: '../js/engine.js',
    builder: 'event-builder.mjs',
    types: true,
  },
};

const [which, ...rest] = process.argv.slice(2);
const t = TARGETS[which];
if (!t) {
  console.error('usage: build-js.mjs node | wasm --out DIR');
  process.exit(2);
}
const outFlag = rest.indexOf('--out');
const out = outFlag >= 0 ? path.resolve(rest[outFlag + 1]) : t.out;
if (!out) {
  console.error('build-js.mjs wasm needs --out DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });

// esbuild from the package being built (each package pins it in its devDependencies).
const esbuild = createRequire(path.join(t.pkg, 'package.json'))('esbuild');
const engineImport = {
  name: 'primevox-engine',
  setup(build) {
    build.onResolve({ filter: /^#engine$/ }, () => ({ path: t.engine, external: true }));
  },
};
await esbuild.build({
  entryPoints: [path.join(lib, t.entry)],
  bundle: true,
  format: t.format,
  platform: t.platform,
  target: 'es2022',
  outfile: path.join(out, t.bundle),
  plugins: [engineImport],
  banner: { js: `// GENERATED from bindings-node/lib/ by bindings-node/scripts/build-js.mjs. Do not edit.` },
  legalComments: 'none',
  logLevel: 'warning',
});

// The core's generated event types and builder; a packed tarball (no core/) ships its copies.
for (const name of ['events.d.ts', t.builder]) {
  const src = path.join(generated, name);
  const dst = path.join(out, name);
  if (!existsSync(src)) {
    if (existsSync(dst)) continue;
    console.error(`build-js: ${src} not found (generate it with the core's codegen)`);
    process.exit(1);
  }
  const comment = `// GENERATED: copied from core/generated/${name} by scripts/build-js.mjs. Do not edit.\n`;
  writeFileSync(dst, comment + readFileSync(src, 'utf8'));
}

if (t.types) {
  mkdirSync(path.join(out, 'lib'), { recursive: true });
  for (const f of readdirSync(lib).filter((f) => f.endsWith('.d.ts'))) {
    copyFileSync(path.join(lib, f), path.join(out, 'lib', f));
  }
}
