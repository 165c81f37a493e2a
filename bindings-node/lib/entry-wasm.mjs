// What the wasm package (primevox-webhooks-wasm) exports; bundled into its pkg/api.mjs.
export * from './common.mjs';
export { parseRequest, createFetchHandler, primevoxWebhook, errorBody } from './receivers-fetch.mjs';
