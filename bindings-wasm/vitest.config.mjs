// Runs test/workerd/*.test.js inside workerd (the Cloudflare Workers runtime) through
// @cloudflare/vitest-pool-workers. The shared vectors are read here (Node) and handed to the
// Worker as a JSON binding, since a Worker has no file system.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';

const here = path.dirname(fileURLToPath(import.meta.url));
const vectorDir = path.join(here, '..', 'tests', 'vectors');
const VECTORS = readdirSync(vectorDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, ...JSON.parse(readFileSync(path.join(vectorDir, file), 'utf8')) }));
// The shared receiver vectors (tests/receivers/), for the Workers fetch and Hono receivers.
const receiverDir = path.join(here, '..', 'tests', 'receivers');
const RECEIVER_VECTORS = readdirSync(receiverDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((file) => JSON.parse(readFileSync(path.join(receiverDir, file), 'utf8')).vectors.map((v) => ({ file, ...v })));
// The shared call vectors (tests/calls/: deliveries in, call record out).
const callDir = path.join(here, '..', 'tests', 'calls');
const CALLS = readdirSync(callDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, ...JSON.parse(readFileSync(path.join(callDir, file), 'utf8')) }));

// Vite's own .wasm plugin does ESM integration; keep .wasm files out of Vite so workerd imports
// them through the pool's module loader as compiled WebAssembly.Modules, exactly as under wrangler.
const wasmAsCompiledModule = {
  name: 'primevox-wasm-as-compiled-module',
  enforce: 'post',
  config(config) {
    config.test.server.deps.inline = [/^(?!.*\.wasm$)/];
    config.test.server.deps.external = [/\.wasm$/];
  },
};

export default defineConfig({
  plugins: [
    cloudflareTest({
      miniflare: {
        compatibilityDate: '2026-04-01',
        compatibilityFlags: ['nodejs_compat'],
        // As JSON text, parsed in the Worker: a JSON binding would turn a "__proto__" key
        // (hostile vectors have one) into a prototype.
        bindings: {
          VECTORS_JSON: JSON.stringify(VECTORS),
          RECEIVER_VECTORS_JSON: JSON.stringify(RECEIVER_VECTORS),
          CALLS_JSON: JSON.stringify(CALLS),
        },
      },
    }),
    wasmAsCompiledModule,
  ],
  test: {
    include: ['test/workerd/**/*.test.js'],
    reporters: ['default'],
  },
});
