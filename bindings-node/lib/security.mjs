// Sender checks, all computed by the core: constant-time tokens, query parameters, allow-lists.
import engine from '#engine';

/** A token option as a list: one string or several (rotation). */
export function tokenList(expected) {
  const list = typeof expected === 'string' ? [expected] : expected;
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) {
    throw new TypeError('expected must be a string or an array of strings');
  }
  return list;
}

/**
 * Whether `presented` equals `expected` (or one of several, for rotation), compared in
 * constant time by the core. A missing presented token or an empty expected token never matches.
 */
export function verifyToken(presented, expected) {
  const list = tokenList(expected);
  if (presented === undefined || presented === null) return false;
  if (typeof presented !== 'string') throw new TypeError('presented must be a string');
  return engine.verifyToken(presented, list);
}

/** The first value of `name` in a URL query string (leading `?` optional), form-decoded. */
export function queryParam(query, name) {
  return engine.queryParam(String(query), String(name)) ?? null;
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
    this.#inner = new engine.AllowList(this.#ranges);
    this.#generation = engine.generation();
  }
  /** Whether the address (with or without a port) is in one of the ranges. */
  contains(addr) {
    if (typeof addr !== 'string') return false;
    if (this.#generation !== engine.generation()) {
      // The engine was reset since (a trap in the wasm module): rebuild in the new instance.
      this.#inner = new engine.AllowList(this.#ranges);
      this.#generation = engine.generation();
    }
    return this.#inner.contains(addr);
  }
}
