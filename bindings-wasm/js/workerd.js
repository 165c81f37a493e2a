// Entry for Cloudflare Workers and bundlers that import .wasm as a WebAssembly.Module.
import './init-workerd.js';

export * from '../pkg/api.mjs';
