// Node entry initialisation: read the .wasm next to the glue and compile it synchronously.
import { readFileSync } from 'node:fs';
import { initSync } from '../pkg/primevox_webhooks_wasm.js';

initSync({ module: readFileSync(new URL('../pkg/primevox_webhooks_wasm_bg.wasm', import.meta.url)) });
