// Types of the primevox-webhooks-wasm package: the shared JavaScript layer's (bindings-node/lib/,
// copied to ../pkg/lib/ by build.sh), the same API as the native `primevox-webhooks` package.
export * from '../pkg/lib/entry-wasm.js';
