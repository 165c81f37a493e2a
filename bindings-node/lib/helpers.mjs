// Helpers over an event: the wire format back, the dedup key, the caller's E.164 number.
import engine from '#engine';
import { settle } from './errors.mjs';

/** The canonical JSON of an event object (what crosses to the core). */
export function canonical(event) {
  if (event === null || typeof event !== 'object') throw new TypeError('event must be an event object');
  return JSON.stringify(event);
}

/** Encodes an event back to the vendor's wire format: { contentType, body }. */
export function encode(event) {
  return settle(engine.encode(canonical(event)));
}

/** A key that is the same for every retry of one delivery, in every language. */
export function dedupKey(event) {
  return settle(engine.dedupKey(canonical(event)));
}

/** The caller's number as +E.164 when it is North American (or already +E.164), else null. */
export function callerE164(event) {
  return settle(engine.callerE164(canonical(event)));
}
