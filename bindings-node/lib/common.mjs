// The API both packages export. A concept module plugs in with one `export *` line here (or in
// entry-node.mjs / entry-wasm.mjs when it belongs to one package only).
export { ParseError } from './errors.mjs';
export { parse, parseMany, ERROR_CODES, KINDS } from './parse.mjs';
export { encode, dedupKey, callerE164 } from './helpers.mjs';
export { verifyToken, queryParam, AllowList } from './security.mjs';
export { Call, CallTracker, CallError, CALL_ERROR_CODES } from './calls.mjs';
export { RECEIVER_TABLE } from './receiver.mjs';
