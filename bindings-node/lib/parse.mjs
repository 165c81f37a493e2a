// parse and parseMany, over the engine's parser (the napi addon or the wasm module).
import engine from '#engine';
import { ParseError, errorOf } from './errors.mjs';
import { resolveOptions, contentTypeArg, bodyArg } from './options.mjs';

/** Every error code the core can produce, in the core's order. */
export const ERROR_CODES = Object.freeze(engine.errorCodes());
/** Every event kind, in the core's order (`unknown` last). */
export const KINDS = Object.freeze(engine.kinds());

const failure = (e) => errorOf(e);

/**
 * Parses the raw body of a PrimeVOX webhook POST into a plain event object whose
 * JSON.stringify is the core's canonical JSON. Throws ParseError on a bad payload.
 */
export function parse(body, contentType, options) {
  const out = engine.parse(bodyArg(body), contentTypeArg(contentType), resolveOptions(options), failure);
  if (out instanceof ParseError) throw out;
  return out;
}

/**
 * Parses many [body, contentType] pairs at once. Returns, in order, one event or one
 * ParseError (returned, not thrown) per item: a bad item never affects the others.
 */
export function parseMany(items, options) {
  if (!Array.isArray(items)) throw new TypeError('items must be an array of [body, contentType] pairs');
  const o = resolveOptions(options);
  const n = items.length;
  const bodies = new Array(n);
  const types = new Array(n);
  for (let i = 0; i < n; i++) {
    const item = items[i];
    if (!Array.isArray(item)) throw new TypeError(`items[${i}] must be a [body, contentType] pair`);
    bodies[i] = bodyArg(item[0]);
    types[i] = contentTypeArg(item[1], `items[${i}]: `);
  }
  return engine.parseMany(bodies, types, o, failure);
}
