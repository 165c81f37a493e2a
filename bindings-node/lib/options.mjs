// Argument checks of the parse functions; absent options take the core's defaults.
import engine from '#engine';

/** The core's default parse options. */
export const DEFAULTS = Object.freeze(JSON.parse(engine.defaultOptions()));

/** Options validated once, for every package; absent values take the core's defaults. */
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
  if (strict === undefined && maxBodyBytes === undefined && maxDepth === undefined) return DEFAULTS;
  return {
    strict: strict === undefined ? DEFAULTS.strict : strict,
    maxBodyBytes: maxBodyBytes === undefined ? DEFAULTS.maxBodyBytes : maxBodyBytes,
    maxDepth: maxDepth === undefined ? DEFAULTS.maxDepth : maxDepth,
  };
}

/** A Content-Type argument: a string, or undefined for none. */
export function contentTypeArg(contentType, where = '') {
  if (contentType === undefined || contentType === null) return undefined;
  if (typeof contentType !== 'string') throw new TypeError(`${where}contentType must be a string, null or undefined`);
  return contentType;
}

/** A body argument: a string as it is, any binary view as a Uint8Array over the same bytes. */
export function bodyArg(body) {
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('body must be a Buffer, Uint8Array, ArrayBuffer or string');
}
