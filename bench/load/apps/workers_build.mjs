// Bundles workers_app.mjs as `wrangler deploy` would upload it (esbuild, the package's workerd
// condition; the .wasm stays a separate module) and writes a workerd config that serves it:
//
//   node workers_build.mjs OUTDIR [ENTRY]  -> OUTDIR/{worker.mjs, primevox_webhooks_wasm_bg.wasm, config.capnp}
//   workerd serve OUTDIR/config.capnp --socket-addr http=127.0.0.1:PORT
//
// (bench/load/run.py does both.) The token comes from the environment variable PV_LOAD_TOKEN as
// the Worker's env.PV_LOAD_TOKEN. Prints the path of the workerd binary (this package's pin).
// ENTRY (beside this file) defaults to workers_app.mjs; load/workers_ir.py --inproc builds
// workers_inproc.mjs.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { WASM, bundleWorker } from '../../scripts/worker-bundle.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
if (process.argv.length !== 3 && process.argv.length !== 4) throw new Error('usage: node workers_build.mjs OUTDIR [ENTRY]');
const out = path.resolve(process.argv[2]);
await bundleWorker(build, path.join(here, process.argv[3] ?? 'workers_app.mjs'), out);

// The compatibility date bindings-wasm's example Worker and tests use.
writeFileSync(path.join(out, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "${WASM}", wasm = embed "${WASM}"),
  ],
  compatibilityDate = "2026-04-01",
  bindings = [(name = "PV_LOAD_TOKEN", fromEnvironment = "PV_LOAD_TOKEN")],
);
`);

const require = createRequire(import.meta.url);
console.log(path.join(path.dirname(require.resolve('workerd/package.json')), 'bin', 'workerd'));
