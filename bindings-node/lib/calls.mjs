// Calls, not just events: Call (one call record from a call's deliveries) and CallTracker
// (many calls), over the core's handles (engine.CallHandle / engine.TrackerHandle). Every rule is
// the core's; this file checks argument types and turns tagged results into values or errors.
import engine from '#engine';
import { settle } from './errors.mjs';

/** A delivery, merge or state a call cannot take; nothing was changed. */
export class CallError extends Error {
  constructor(code, message) {
    super(message === undefined ? String(code) : message);
    this.code = code;
  }
}
Object.defineProperty(CallError.prototype, 'name', {
  value: 'CallError',
  writable: true,
  configurable: true,
  enumerable: false,
});

/** Every call error code, in the core's order. */
export const CALL_ERROR_CODES = Object.freeze(['not_a_call_event', 'call_mismatch', 'invalid_state']);

function checkMs(value, name) {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a whole, non-negative number of milliseconds`);
  }
}

function eventJson(event) {
  if (event === null || typeof event !== 'object') {
    throw new CallError('not_a_call_event', 'expected an event object (as returned by parse)');
  }
  return JSON.stringify(event);
}

function stateText(state) {
  if (typeof state === 'string') return state;
  if (state !== null && typeof state === 'object') return JSON.stringify(state);
  throw new CallError('invalid_state', 'a call state is a JSON string or the object toJSON() returned');
}

function handleOf(state) {
  const h = new engine.CallHandle();
  settle(h.load(state), CallError);
  return h;
}

/** The deliveries of one call and the record derived from them. */
export class Call {
  #h;
  #generation;
  constructor() {
    this.#h = new engine.CallHandle();
    this.#generation = engine.generation();
  }

  #handle() {
    if (this.#generation !== engine.generation()) {
      throw new Error('the WebAssembly core was reset after an internal error: restore this call with Call.fromJSON');
    }
    return this.#h;
  }

  /** Adds a delivery received at `atMs` (ms since the epoch): true when new, false for a retry. */
  add(event, atMs) {
    checkMs(atMs, 'atMs');
    return settle(this.#handle().add(eventJson(event), atMs), CallError);
  }

  /** Adds every delivery of `other`, a call of the same callUuid. */
  merge(other) {
    if (!(other instanceof Call)) throw new TypeError('merge takes a Call');
    settle(this.#handle().merge(other.#handle()), CallError);
  }

  /** The call record (a plain object). */
  summary() {
    return JSON.parse(this.#handle().summaryJson());
  }

  /** The whole state as a plain object: JSON.stringify(call) is the state. */
  toJSON() {
    return JSON.parse(this.#handle().toJson());
  }

  /** A call from its state: the object toJSON() returned, or its JSON text. */
  static fromJSON(state) {
    const call = new Call();
    call.#h = handleOf(stateText(state));
    return call;
  }
}

function callsOf(statesJson) {
  return JSON.parse(statesJson).map((s) => Call.fromJSON(s));
}

/** Many calls, keyed by the lowercased callUuid. */
export class CallTracker {
  #h;
  #onComplete;
  constructor(options = {}) {
    const { maxCalls, onComplete } = options ?? {};
    if (maxCalls !== undefined && maxCalls !== null && (!Number.isSafeInteger(maxCalls) || maxCalls < 1 || maxCalls > 0xffffffff)) {
      throw new TypeError('maxCalls must be a whole number of at least 1');
    }
    if (onComplete !== undefined && onComplete !== null && typeof onComplete !== 'function') {
      throw new TypeError('onComplete must be a function');
    }
    this.#h = new engine.TrackerHandle(maxCalls ?? 0);
    this.#onComplete = onComplete ?? null;
  }

  /**
   * Adds a delivery to its call: `{record, ended, new, evicted}`; `ended` is true when this
   * delivery ended the call for the first time (onComplete runs then, with the record).
   */
  add(event, atMs) {
    checkMs(atMs, 'atMs');
    const r = settle(this.#h.add(eventJson(event), atMs), CallError);
    const result = { record: r.record, ended: r.ended, new: r.new, evicted: r.evicted.map((s) => Call.fromJSON(s)) };
    if (result.ended && this.#onComplete !== null) this.#onComplete(result.record);
    return result;
  }

  /** Removes and returns the calls idle longer than `idleMs` at `nowMs`. */
  expire(nowMs, idleMs) {
    checkMs(nowMs, 'nowMs');
    checkMs(idleMs, 'idleMs');
    return callsOf(this.#h.expire(nowMs, idleMs));
  }

  /** A copy of the call with this callUuid (any case), or null. */
  get(callUuid) {
    const s = this.#h.get(String(callUuid));
    return s == null ? null : Call.fromJSON(s);
  }

  /** Removes the call with this callUuid (any case) and returns it, or null. */
  remove(callUuid) {
    const s = this.#h.remove(String(callUuid));
    return s == null ? null : Call.fromJSON(s);
  }

  /** Removes and returns every call, least recently seen first. */
  drain() {
    return callsOf(this.#h.drain());
  }

  /** How many calls are held. */
  get size() {
    return this.#h.size();
  }
}
