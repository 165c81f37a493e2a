// The package's API, shared by every entry point (workerd.js, node.js).
// All parsing, validation and encoding happens in the Rust core (compiled to WebAssembly);
// this file only moves strings across the boundary and shapes the results like the Node package.
// The entry point must have initialised the module (initSync) before this file is evaluated.
import * as wasm from '../pkg/primevox_webhooks_wasm.js';

const ERR = 33; // '!' marks an error result (see src/lib.rs)

/** Every error code the core can produce, in the core's order. */
export const ERROR_CODES = Object.freeze(wasm.error_codes().split(','));
/** Every event kind, in the core's order (`unknown` last). */
export const KINDS = Object.freeze(wasm.kinds().split(','));

const [defStrict, defMaxBodyBytes, defMaxDepth] = wasm.default_options().split(',');
const DEFAULTS = Object.freeze({
  strict: defStrict === 'true',
  maxBodyBytes: Number(defMaxBodyBytes),
  maxDepth: Number(defMaxDepth),
});

/** A payload the core rejected. `code` is one of ERROR_CODES; `field` names the field, or null. */
export class ParseError extends Error {
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

/**
 * A trap inside the module (a panic in the core, memory exhausted) surfaces as a
 * WebAssembly.RuntimeError. The instance's state can no longer be trusted: re-instantiate it, so
 * the next call works, and report a plain Error (never a ParseError) to the caller.
 */
function recover(err) {
  if (!(err instanceof WebAssembly.RuntimeError)) return err;
  wasm.__wbg_reset_state();
  bind();
  return new Error(`primevox-webhooks-wasm: internal error in the WebAssembly core (${err.message}); the module was reset`, { cause: err });
}

/** For the tests only (not exported by the package): make the module trap. */
export function trapForTests() {
  try {
    wasm.trap_for_tests();
  } catch (err) {
    throw recover(err);
  }
}

function errorOf(result) {
  const e = JSON.parse(result.slice(1));
  return new ParseError(e.code, e.message, e.field);
}

function raise(result) {
  throw errorOf(result);
}

/** Options validated exactly as the native package does; absent values take the core's defaults. */
export function resolveOptions(options) {
  if (options === undefined || options === null || options === DEFAULTS) return DEFAULTS;
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
  return {
    strict: strict === undefined ? DEFAULTS.strict : strict,
    maxBodyBytes: maxBodyBytes === undefined ? DEFAULTS.maxBodyBytes : maxBodyBytes,
    maxDepth: maxDepth === undefined ? DEFAULTS.maxDepth : maxDepth,
  };
}

function contentTypeArg(contentType) {
  if (contentType === undefined || contentType === null) return undefined;
  if (typeof contentType !== 'string') throw new TypeError('contentType must be a string, null or undefined');
  return contentType;
}

function bytesOf(body) {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('body must be a Buffer, Uint8Array, ArrayBuffer or string');
}

// Each kind's canonical field names, from the core, in the order of KINDS.
const KIND_FIELDS = wasm.kind_fields().split(';').map((names) => (names === '' ? [] : names.split(',')));
const NULL = 0xffffffff;

/**
 * Builds the plain-object event from the fast path's values string and table (src/lib.rs, `fast`):
 * the same object, keys in the same order, as JSON.parse of the canonical JSON.
 */
function eventOf(s, t) {
  const k = t[0];
  const names = KIND_FIELDS[k];
  let at = t[2];
  const event = { kind: KINDS[k], eventType: s.slice(0, at) };
  let i = 3;
  for (let f = 0; f < names.length; f++, i++) {
    const end = t[i];
    if (end === NULL) {
      event[names[f]] = null;
    } else {
      event[names[f]] = s.slice(at, end);
      at = end;
    }
  }
  const n = t[1];
  const extra = new Array(n);
  for (let x = 0; x < n; x++, i += 3) {
    const nameEnd = t[i];
    const valueEnd = t[i + 1];
    const name = s.slice(at, nameEnd);
    const text = s.slice(nameEnd, valueEnd);
    extra[x] = [name, t[i + 2] === 1 ? JSON.parse(text) : text];
    at = valueEnd;
  }
  event.extra = extra;
  return event;
}

// Linear-memory plumbing of the fast path: the body is written straight into the module's input
// area (TextEncoder.encodeInto for strings, one copy for bytes), and the table is read in place.
const encoder = new TextEncoder();
let memory;
let bytesView;
let wordsView;
let tableAt;
let inputAt = 0;
let inputCapacity = 0;

// Bumped by every (re)bind: objects living in an older instance must be rebuilt.
let generation = 0;

/** (Re)binds to the current instance: at load, and after a reset. */
function bind() {
  generation++;
  memory = wasm.linear_memory();
  bytesView = undefined;
  tableAt = wasm.table_at() >>> 2;
  inputAt = 0;
  inputCapacity = 0;
}
bind();

function views() {
  if (bytesView === undefined || bytesView.buffer !== memory.buffer) {
    bytesView = new Uint8Array(memory.buffer);
    wordsView = new Uint32Array(memory.buffer);
  }
}

function inputArea(capacity) {
  if (capacity > inputCapacity) {
    inputCapacity = Math.max(capacity, 2 * inputCapacity, 4096);
    inputAt = wasm.input_area(inputCapacity);
  }
  views();
  return inputAt;
}

/** Writes the body and content type into the input area; returns [bodyLength, contentTypeLength]. */
function writeInput(body, bytes, ct) {
  const ctMax = ct === undefined ? 0 : 3 * ct.length;
  let bodyLength;
  if (bytes === undefined) {
    const at = inputArea(3 * body.length + ctMax);
    bodyLength = encoder.encodeInto(body, bytesView.subarray(at, at + 3 * body.length)).written;
  } else {
    const at = inputArea(bytes.length + ctMax);
    bytesView.set(bytes, at);
    bodyLength = bytes.length;
  }
  if (ct === undefined) return [bodyLength, -1];
  const at = inputAt + bodyLength;
  return [bodyLength, encoder.encodeInto(ct, bytesView.subarray(at, at + ctMax)).written];
}

/** One parse: the event, or the ParseError (returned, not thrown). */
function parseOne(body, ct, o) {
  const bytes = typeof body === 'string' ? undefined : bytesOf(body);
  let result;
  try {
    // A body over the limit (a string is at least as many UTF-8 bytes as UTF-16 units) is handed
    // over as it is, so that the core's error names its exact size; everything else goes
    // through the reusable input area.
    if ((bytes === undefined ? body.length : bytes.length) > o.maxBodyBytes) {
      result = bytes === undefined
        ? wasm.parse_text_fast(body, ct, o.strict, o.maxBodyBytes, o.maxDepth)
        : wasm.parse_bytes_fast(bytes, ct, o.strict, o.maxBodyBytes, o.maxDepth);
    } else {
      const [bodyLength, ctLength] = writeInput(body, bytes, ct);
      result = wasm.parse_input_fast(bodyLength, ctLength, o.strict, o.maxBodyBytes, o.maxDepth);
    }
  } catch (err) {
    throw recover(err);
  }
  views();
  const length = wordsView[tableAt + 1];
  if (length === 0) {
    const e = JSON.parse(result);
    return new ParseError(e.code, e.message, e.field);
  }
  const at = wordsView[tableAt] >>> 2;
  return eventOf(result, wordsView.subarray(at, at + length));
}

/**
 * Parse one webhook body into a plain-object event.
 * @throws {ParseError} when the payload is not a valid PrimeVOX webhook
 */
export function parse(body, contentType, options) {
  const o = resolveOptions(options);
  const out = parseOne(body, contentTypeArg(contentType), o);
  if (out instanceof ParseError) throw out;
  return out;
}

/**
 * Parse many `[body, contentType?]` items: one result per item, in order, each an event or a
 * ParseError (returned, not thrown), so one bad item never affects the others. (A Worker has one
 * thread: this is a loop over the same core call as parse.)
 */
export function parseMany(items, options) {
  if (!Array.isArray(items)) throw new TypeError('items must be an array of [body, contentType?] pairs');
  const o = resolveOptions(options);
  const out = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!Array.isArray(item)) throw new TypeError(`items[${i}] must be a [body, contentType?] pair`);
    out[i] = parseOne(item[0], contentTypeArg(item[1]), o);
  }
  return out;
}

function canonical(event) {
  if (event === null || typeof event !== 'object') throw new TypeError('event must be an event object');
  return JSON.stringify(event);
}

/** Encode an event back to PrimeVOX's wire format: `parse(body, contentType)` gives the event back. */
export function encode(event) {
  const json = canonical(event);
  let result;
  try {
    result = wasm.encode(json);
  } catch (err) {
    throw recover(err);
  }
  if (result.charCodeAt(0) === ERR) raise(result);
  const nl = result.indexOf('\n');
  return { contentType: result.slice(0, nl), body: result.slice(nl + 1) };
}

/** A key that is the same for every retry of one delivery, and the same in every language. */
export function dedupKey(event) {
  const json = canonical(event);
  let result;
  try {
    result = wasm.dedup_key(json);
  } catch (err) {
    throw recover(err);
  }
  if (result.charCodeAt(0) === ERR) raise(result);
  return result;
}

/** The caller's number as +E.164 when it can be known, else null. */
export function callerE164(event) {
  const json = canonical(event);
  let result;
  try {
    result = wasm.caller_e164(json);
  } catch (err) {
    throw recover(err);
  }
  if (result.charCodeAt(0) === ERR) raise(result);
  return result === '' ? null : result;
}

function tokenList(expected) {
  const list = typeof expected === 'string' ? [expected] : expected;
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) {
    throw new TypeError('expected must be a string or an array of strings');
  }
  return list;
}

/**
 * Whether `presented` equals one of the `expected` tokens (a string, or several for rotation),
 * compared in constant time by the core. Empty expected tokens never match.
 */
export function verifyToken(presented, expected) {
  const list = tokenList(expected);
  if (presented === undefined || presented === null) return false;
  if (typeof presented !== 'string') throw new TypeError('presented must be a string');
  try {
    return wasm.verify_token(presented, list);
  } catch (err) {
    throw recover(err);
  }
}

/** The first value of `name` in a URL query string (leading `?` optional), form-decoded. */
export function queryParam(query, name) {
  try {
    return wasm.query_param(String(query), String(name)) ?? null;
  } catch (err) {
    throw recover(err);
  }
}

/** CIDR ranges (`203.0.113.0/24`, `2001:db8::/32`, single addresses) of allowed peers. */
export class AllowList {
  #ranges;
  #inner;
  #generation;
  constructor(ranges) {
    if (!Array.isArray(ranges) || !ranges.every((r) => typeof r === 'string')) {
      throw new TypeError('ranges must be an array of strings');
    }
    this.#ranges = [...ranges];
    this.#inner = new wasm.AllowList(this.#ranges);
    this.#generation = generation;
  }
  /** Whether the address (with or without a port) is in one of the ranges. */
  contains(addr) {
    if (typeof addr !== 'string') return false;
    try {
      if (this.#generation !== generation) {
        // The module was reset since: rebuild the list in the new instance.
        this.#inner = new wasm.AllowList(this.#ranges);
        this.#generation = generation;
      }
      return this.#inner.contains(addr);
    } catch (err) {
      throw recover(err);
    }
  }
}

export { tokenList };
