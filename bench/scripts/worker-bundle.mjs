// Bundles a benchmark Worker as `wrangler deploy` would upload it: one ES module (esbuild, the
// package's `workerd` condition) beside the package's .wasm, which stays a module of its own.
// Shared by bench/workers (the parser benchmark) and bench/load (the Worker under load); each
// passes its own esbuild, pinned in its own package.json.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WASM = 'primevox_webhooks_wasm_bg.wasm';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Writes `outDir/worker.mjs` (the bundle of `entry`) and `outDir/<WASM>`. */
export async function bundleWorker(build, entry, outDir) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [entry],
    outfile: path.join(outDir, 'worker.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'warning',
    plugins: [{
      name: 'wasm-as-module',
      setup(b) {
        b.onResolve({ filter: /\.wasm$/ }, () => ({ path: `./${WASM}`, external: true }));
      },
    }],
  });
  copyFileSync(path.join(root, 'bindings-wasm', 'pkg', WASM), path.join(outDir, WASM));
}
