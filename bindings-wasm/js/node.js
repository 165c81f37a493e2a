// Entry for Node (no compiler needed): same API as the native package.
import './init-node.js';

export { parse, parseMany, ParseError, encode, dedupKey, callerE164, ERROR_CODES, KINDS, verifyToken } from './api.js';
export { parseRequest, createFetchHandler, primevoxWebhook, errorBody } from './receivers.js';
