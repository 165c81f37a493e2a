'use strict';
// primevox-webhooks for Node.js: a thin wrapper over the native addon (Rust core via napi-rs).
// All parsing, validation, encoding and helpers live in the Rust core; this file only converts
// arguments and results, and turns the core's errors into ParseError.

const native = require('./native.js');
const { createReceivers } = require('./receivers.js');

/** A payload the core rejected. `code` is one of ERROR_CODES; `field` names the field, or null. */
class ParseError extends Error {
  constructor(code, message, field = null) {
    super(message === undefined ? String(code) : message);
    this.code = code;
    this.field = field === undefined ? null : field;
  }
}
Object.defineProperty(ParseError.prototype, 'name', {
  value: 'ParseError',
  writable: true,
  configurable: true,
  enumerable: false,
});

const ERROR_CODES = Object.freeze(native.errorCodes());
const KINDS = Object.freeze(native.kinds());

function errorFromJson(json) {
  const e = JSON.parse(json);
  return new ParseError(e.code, e.message, e.field);
}

// The helpers throw an Error whose message is the core's error JSON; anything else (a core
// panic turned into an Error by the addon, a TypeError) is passed through unchanged.
function rethrow(err) {
  if (err && typeof err.message === 'string' && err.message.startsWith('{"code":')) {
    throw errorFromJson(err.message);
  }
  throw err;
}

function readOptions(options) {
  if (options === undefined || options === null) return [undefined, undefined, undefined];
  if (typeof options !== 'object') throw new TypeError('options must be an object');
  const { strict, maxBodyBytes, maxDepth } = options;
  if (strict !== undefined && typeof strict !== 'boolean') {
    throw new TypeError('options.strict must be a boolean');
  }
  if (maxBodyBytes !== undefined && !(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes >= 0)) {
    throw new TypeError('options.maxBodyBytes must be a non-negative integer');
  }
  if (maxDepth !== undefined && !(Number.isInteger(maxDepth) && maxDepth >= 0 && maxDepth <= 0xffffffff)) {
    throw new TypeError('options.maxDepth must be a non-negative integer');
  }
  return [strict, maxBodyBytes, maxDepth];
}

/**
 * Parses the raw body of a PrimeVOX webhook POST into a plain event object whose
 * JSON.stringify is the core's canonical JSON. Throws ParseError on a bad payload.
 */
function parse(body, contentType, options) {
  if (contentType !== undefined && contentType !== null && typeof contentType !== 'string') {
    throw new TypeError('contentType must be a string, null or undefined');
  }
  const ct = contentType === null ? undefined : contentType;
  let out;
  if (options === undefined) {
    if (typeof body === 'string') out = native.parseString(body, ct);
    else if (body instanceof Uint8Array) out = native.parseBytes(body, ct);
    else out = native.parseBytes(toBytes(body), ct);
  } else {
    const [strict, max, depth] = readOptions(options);
    if (typeof body === 'string') out = native.parseString(body, ct, strict, max, depth);
    else out = native.parseBytes(body instanceof Uint8Array ? body : toBytes(body), ct, strict, max, depth);
  }
  const value = JSON.parse(out);
  if (value.kind !== undefined) return value;
  throw new ParseError(value.code, value.message, value.field);
}

/**
 * Parses many [body, contentType] pairs at once. Returns, in order, one event or one
 * ParseError (returned, not thrown) per item: a bad item never affects the others.
 */
function parseMany(items, options) {
  if (!Array.isArray(items)) throw new TypeError('items must be an array of [body, contentType] pairs');
  const [strict, max, depth] = readOptions(options);
  const n = items.length;
  const bodies = new Array(n);
  const types = new Array(n);
  for (let i = 0; i < n; i++) {
    const item = items[i];
    if (!Array.isArray(item)) throw new TypeError(`items[${i}] must be a [body, contentType] pair`);
    const body = item[0];
    const ct = item[1];
    if (ct !== undefined && ct !== null && typeof ct !== 'string') {
      throw new TypeError(`items[${i}]: contentType must be a string, null or undefined`);
    }
    bodies[i] = typeof body === 'string' ? Buffer.from(body, 'utf8') : body instanceof Uint8Array ? body : toBytes(body);
    types[i] = ct === undefined ? null : ct;
  }
  const out = native.parseManyStrings(bodies, types, strict, max, depth);
  for (let i = 0; i < n; i++) {
    const v = JSON.parse(out[i]);
    out[i] = v.kind !== undefined ? v : new ParseError(v.code, v.message, v.field);
  }
  return out;
}

function toBytes(body) {
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('body must be a Buffer, Uint8Array, ArrayBuffer or string');
}

function canonical(event) {
  if (event === null || typeof event !== 'object') throw new TypeError('event must be an event object');
  return JSON.stringify(event);
}

/** Encodes an event back to the vendor's wire format: { contentType, body }. */
function encode(event) {
  const json = canonical(event);
  try {
    return native.encodeJson(json);
  } catch (err) {
    return rethrow(err);
  }
}

/** A key that is the same for every retry of one delivery, in every language. */
function dedupKey(event) {
  const json = canonical(event);
  try {
    return native.dedupKeyJson(json);
  } catch (err) {
    return rethrow(err);
  }
}

/** The caller's number as +E.164 when it is North American (or already +E.164), else null. */
function callerE164(event) {
  const json = canonical(event);
  try {
    return native.callerE164Json(json);
  } catch (err) {
    return rethrow(err);
  }
}

/**
 * Whether `presented` equals `expected` (or one of several, for rotation), compared in
 * constant time by the core. A missing presented token or an empty expected token never matches.
 */
function verifyToken(presented, expected) {
  const list = typeof expected === 'string' ? [expected] : expected;
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) {
    throw new TypeError('expected must be a string or an array of strings');
  }
  if (presented === undefined || presented === null) return false;
  if (typeof presented !== 'string') throw new TypeError('presented must be a string');
  return native.verifyToken(presented, list);
}

const receivers = createReceivers({
  parse,
  ParseError,
  verifyToken,
  queryParam: native.queryParam,
  AllowList: native.AllowList,
});

module.exports = {
  parse,
  parseMany,
  ParseError,
  encode,
  dedupKey,
  callerE164,
  verifyToken,
  ERROR_CODES,
  KINDS,
  expressMiddleware: receivers.expressMiddleware,
  keepRawBody: receivers.keepRawBody,
  fastifyPlugin: receivers.fastifyPlugin,
  httpHandler: receivers.httpHandler,
};
