// Workers / bundler entry initialisation: the bundler (wrangler, esbuild with a wasm loader,
// Miniflare's CompiledWasm rule) hands us the .wasm as a compiled WebAssembly.Module.
import { initSync } from '../pkg/primevox_webhooks_wasm.js';
import module from '../pkg/primevox_webhooks_wasm_bg.wasm';

initSync({ module });
