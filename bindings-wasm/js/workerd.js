// Entry for Cloudflare Workers and bundlers that import .wasm as a WebAssembly.Module.
import './init-workerd.js';

export { parse, parseMany, ParseError, encode, dedupKey, callerE164, ERROR_CODES, KINDS, verifyToken } from './api.js';
export { parseRequest, createFetchHandler, primevoxWebhook, errorBody } from './receivers.js';
