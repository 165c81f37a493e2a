// Router / HandlerError: handlers registered by event kind, the same rules as Python's pv.Router
// (README "Routing events"). Plain JavaScript over plain event objects: one file for both packages.
import { KINDS } from './parse.mjs';
import { CallTracker, CallError } from './calls.mjs';

/** The default of `new Router({ timeoutMs })`, in milliseconds. */
export const DEFAULT_HANDLER_TIMEOUT_MS = 30_000;

/** How many calls the router's own CallTracker holds (the least recently seen is dropped). */
export const DEFAULT_MAX_CALLS = 10_000;

/** One or more handlers failed for an event; `errors` holds every failure, in order. */
export class HandlerError extends Error {
  constructor(errors, event) {
    const list = Array.from(errors);
    const what = list.map((e) => `${(e && e.name) || typeof e}: ${e && e.message !== undefined ? e.message : String(e)}`);
    const n = list.length;
    super(`${n} handler${n === 1 ? '' : 's'} failed for ${(event && event.kind) || 'an event'}: ${what.join('; ')}`, {
      cause: list[0],
    });
    this.name = 'HandlerError';
    this.code = 'handler_failed';
    this.errors = list;
    this.event = event;
  }
}

function nameOf(fn) {
  return (fn && fn.name) || 'an anonymous handler';
}

function checkHandler(where, handler) {
  if (typeof handler !== 'function') {
    throw new TypeError(`${where}: handler must be a function, got ${handler === null ? 'null' : typeof handler}`);
  }
}

function kindsOf(kindOrKinds) {
  const kinds = typeof kindOrKinds === 'string' ? [kindOrKinds] : kindOrKinds;
  if (kinds === null || typeof kinds !== 'object' || typeof kinds[Symbol.iterator] !== 'function') {
    throw new TypeError(`Router.on: kind must be a kind name or an array of kind names, got ${kindOrKinds === null ? 'null' : typeof kindOrKinds}`);
  }
  const list = Array.from(kinds);
  if (list.length === 0) throw new RangeError('Router.on: kind: an empty list of kinds');
  for (const k of list) {
    if (typeof k !== 'string' || !KINDS.includes(k)) {
      throw new RangeError(`Router.on: kind: ${JSON.stringify(k)} is not an event kind (one of ${KINDS.join(', ')})`);
    }
  }
  return list;
}

function isThenable(v) {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';
}

function asError(e) {
  return e instanceof Error ? e : new Error(String(e), { cause: e });
}

export class Router {
  /**
   * `timeoutMs`: how long `dispatch` waits for each handler's promise (default 30 s; `Infinity`
   * or `null` for no limit). A handler that never settles counts as a failure with a TimeoutError
   * after that. JavaScript cannot interrupt synchronous code: a handler stuck in a loop blocks the
   * whole process, whatever the timeout.
   *
   * `calls`: where call events go so that onCallCompleted handlers run when a call ends: a
   * CallTracker (the default, created at the first onCallCompleted, at most 10000 calls in this
   * isolate) or any object with `add(event, atMs) -> {record, ended}` (a store shared between
   * instances, e.g. over a Durable Object). Each call's handlers run once, on the delivery that
   * ends it; a retry of that delivery does not run them again.
   */
  constructor(options = {}) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('Router: options must be an object');
    }
    const { timeoutMs = DEFAULT_HANDLER_TIMEOUT_MS, calls = null } = options;
    if (calls !== null && (typeof calls !== 'object' || typeof calls.add !== 'function')) {
      throw new TypeError('Router: calls must have an add(event, atMs) method');
    }
    this.calls = calls;
    if (!(timeoutMs === null || timeoutMs === Infinity || (typeof timeoutMs === 'number' && timeoutMs > 0 && Number.isFinite(timeoutMs)))) {
      throw new RangeError(`Router: timeoutMs must be a positive number of milliseconds, Infinity or null, got ${String(timeoutMs)}`);
    }
    this.timeoutMs = timeoutMs === null ? Infinity : timeoutMs;
    this._byKind = new Map();
    this._any = [];
    this._errors = [];
    this._completed = [];
  }

  /** Registers `handler` for one kind or several; returns the router (calls chain). */
  on(kindOrKinds, handler) {
    const kinds = kindsOf(kindOrKinds);
    checkHandler('Router.on', handler);
    for (const k of kinds) {
      const list = this._byKind.get(k);
      if (list) list.push(handler);
      else this._byKind.set(k, [handler]);
    }
    return this;
  }

  /** Registers a handler for every event, run after the kind's own handlers. */
  onAny(handler) {
    checkHandler('Router.onAny', handler);
    this._any.push(handler);
    return this;
  }

  /** Registers a handler called once per failed handler with `(error, event)`. */
  onError(handler) {
    checkHandler('Router.onError', handler);
    this._errors.push(handler);
    return this;
  }

  /** Registers a handler called with the call record when a call ends (fed by the call tracker). */
  onCallCompleted(handler) {
    checkHandler('Router.onCallCompleted', handler);
    if (this.calls === null) this.calls = new CallTracker({ maxCalls: DEFAULT_MAX_CALLS });
    this._completed.push(handler);
    return this;
  }

  /** The handlers `event` reaches, in order. */
  handlersFor(event) {
    if (event === null || typeof event !== 'object' || typeof event.kind !== 'string') {
      throw new TypeError('Router.dispatch: expected an event (an object with a kind)');
    }
    return [...(this._byKind.get(event.kind) || []), ...this._any];
  }

  /**
   * Runs the event's handlers one after the other, awaiting promises; rejects with HandlerError
   * (after calling every onError handler once per failure) when any failed.
   */
  async dispatch(event) {
    const handlers = this.handlersFor(event);
    const errors = [];
    for (const h of handlers) {
      try {
        await this._settle(h, () => h(event));
      } catch (e) {
        errors.push(asError(e));
      }
    }
    const record = await this._endedCall(event, errors);
    if (record !== null) await this._runCompleted(record, errors);
    await this._report(errors, event);
  }

  /** Feeds a call event to the call store: the record when this delivery ended the call. */
  async _endedCall(event, errors) {
    if (this.calls === null) return null;
    try {
      const { record, ended } = await this.calls.add(event, Date.now());
      return ended ? record : null;
    } catch (e) {
      if (!(e instanceof CallError && e.code === 'not_a_call_event')) errors.push(asError(e));
      return null;
    }
  }

  async _runCompleted(record, errors) {
    for (const h of this._completed) {
      try {
        await this._settle(h, () => h(record));
      } catch (e) {
        errors.push(asError(e));
      }
    }
  }

  /** Calls every onCallCompleted handler with `call`; rejects with HandlerError when any failed. */
  async dispatchCallCompleted(record, event) {
    const errors = [];
    await this._runCompleted(record, errors);
    await this._report(errors, event);
  }

  async _report(errors, event) {
    if (errors.length === 0) return;
    const failures = errors.slice();
    for (const error of failures) {
      for (const h of this._errors) {
        try {
          await this._settle(h, () => h(error, event));
        } catch (e) {
          errors.push(asError(e));
        }
      }
    }
    throw new HandlerError(errors, event);
  }

  async _settle(handler, call) {
    const result = call();
    if (!isThenable(result)) return;
    if (this.timeoutMs === Infinity) {
      await result;
      return;
    }
    let timer;
    const limit = new Promise((_, reject) => {
      timer = setTimeout(() => {
        const err = new Error(`${nameOf(handler)} did not finish within ${this.timeoutMs} ms (new Router({ timeoutMs }))`);
        err.name = 'TimeoutError';
        reject(err);
      }, this.timeoutMs);
    });
    try {
      await Promise.race([result, limit]);
    } finally {
      clearTimeout(timer);
    }
  }
}
