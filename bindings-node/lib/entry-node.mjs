// What the Node package (primevox-webhooks) exports; bundled into api.cjs by scripts/build-js.mjs.
export * from './common.mjs';
export { expressMiddleware, keepRawBody, fastifyPlugin, httpHandler } from './receivers-node.mjs';
