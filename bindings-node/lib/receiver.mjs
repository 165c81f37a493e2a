// The framework-neutral receive flow of every JavaScript receiver, on the core's receiver policy
// (primevox_webhooks::receiver, through the engine). The framework adapters
// (receivers-node.mjs, receivers-fetch.mjs) only move bytes between their framework and this:
// codes, statuses, messages, defaults and the order of the checks are the core's.
import engine from '#engine';

const ANSWERS = JSON.parse(engine.receiverAnswers());

/** The answers after the policy, each `{status, headers, close, body}` (body: JSON text). */
export const answers = Object.freeze({
  ok: ANSWERS.ok,
  handlerFailed: ANSWERS.handlerFailed,
  bodyConsumed: ANSWERS.bodyConsumed,
  requestTimeout: ANSWERS.requestTimeout,
  unauthorized: ANSWERS.unauthorized,
});

/** The Content-Type of every answer. */
export const CONTENT_TYPE = ANSWERS.table.contentType;

/** The core's receiver table: defaults, refusals and errors (code, status, message), option names. */
export const RECEIVER_TABLE = ANSWERS.table;

// Logged once per process (not once per request): a configuration mistake such as a body
// parser in front of the receiver would otherwise flood the log.
const loggedOnce = new Set();

/** Logs `message` on the server side, once per process. */
export function logOnce(message) {
  if (loggedOnce.has(message)) return;
  loggedOnce.add(message);
  console.error(`primevox-webhooks: ${message}`);
}

/** The default `onError`: a handler's error is logged on the server, never sent. */
export function logHandlerError(err) {
  console.error('primevox-webhooks: the webhook handler failed:', err);
}

/** A receiver's handler: a function, or a Router (anything with `dispatch(event)`). */
export function handlerOf(onEvent) {
  if (onEvent !== null && typeof onEvent === 'object' && typeof onEvent.dispatch === 'function') {
    return (event) => onEvent.dispatch(event);
  }
  return onEvent;
}

/** `options.answerFirst`: answer 200 first and run the handler after (false when unset). */
export function answerFirstOf(options) {
  const v = options == null ? undefined : options.answerFirst;
  if (v !== undefined && typeof v !== 'boolean') throw new TypeError('answerFirst must be a boolean');
  return v === true;
}

/**
 * Runs the handler after the answer was sent: its failure can only be logged (`onError`), and
 * the event is lost for the sender, who got 200 and will not retry.
 */
export function afterAnswer(run, onError) {
  return Promise.resolve()
    .then(run)
    .catch((err) => onError(err));
}

/** `onEvent` must be a function or a Router; `onError`, when given, a function. */
export function checkHandlers(onEvent, onError) {
  if (typeof handlerOf(onEvent) !== 'function') throw new TypeError('onEvent must be a function or a Router');
  if (onError !== undefined && typeof onError !== 'function') throw new TypeError('options.onError must be a function');
  return onError ?? logHandlerError;
}

/**
 * The receiver options of the core, validated once by the core when the receiver is created
 * (a `token` that is present but undefined, null or empty throws here). `ownKeys` are the
 * adapter's own options, not handed to the core.
 */
export class Policy {
  #json;
  #inner;
  #generation;
  #maxBodyBytes;
  // `NUL name NUL` per header of `headers`: one string added per header, not three.
  #joins;
  // Verdicts by their text: a few distinct ones recur (one per peer address and refusal), each
  // parsed once. Shared objects, only ever read. The last one is kept aside: comparing with it
  // costs less than hashing the text anew, and a run of requests mostly has the same verdict.
  #verdicts = new Map();
  #lastText = '';
  #lastVerdict = undefined;
  constructor(options, ownKeys = []) {
    if (options !== undefined && options !== null && typeof options !== 'object') {
      throw new TypeError('options must be an object');
    }
    const core = {};
    for (const [k, v] of Object.entries(options ?? {})) if (!ownKeys.includes(k)) core[k] = v;
    // undefined -> null: the core refuses a token that is present but unset.
    this.#json = JSON.stringify(core, (_k, v) => (v === undefined ? null : v));
    this.#inner = this.#make();
    // Interned: the adapters compare these names with their own literals and use them as keys,
    // where a name made by the engine would be compared character by character each request.
    this.headers = this.#inner.headers().map(interned);
    this.#joins = this.headers.map((name) => `\0${name}\0`);
    this.#maxBodyBytes = this.#inner.maxBodyBytes();
  }

  #make() {
    this.#generation = engine.generation();
    try {
      return new engine.Receiver(this.#json);
    } catch (err) {
      throw new TypeError(err.message);
    }
  }

  #receiver() {
    // The engine was reset since (a trap in the wasm module): rebuild in the new instance.
    if (this.#generation !== engine.generation()) this.#inner = this.#make();
    return this.#inner;
  }

  /**
   * The verdict before the body: `{refuse: answer}` or `{read: {maxBytes, timeoutMs, peer,
   * learn}}`. `header(name)` gives a request header's value (or undefined/null).
   */
  check(method, peer, query, header) {
    // One string for the core (ffi::js::check_joined_counted): `method NUL ±peer NUL query (NUL
    // name NUL value)…`, and its number of headers. No part that reaches a receiver holds a NUL;
    // should one, the core finds more parts than that (null), and the parts go as an array.
    // (Constant parts together, so that fewer strings are added; `typeof` first: String() of
    // what mostly is a string already costs a call)
    if (typeof method !== 'string') method = String(method);
    let joined = peer === undefined || peer === null ? `${method}\0-\0${query}` : `${method}\0+${peer}\0${query}`;
    const names = this.headers;
    const joins = this.#joins;
    let pairs = 0;
    for (let i = 0; i < names.length; i++) {
      const v = header(names[i]);
      if (v !== undefined && v !== null) {
        joined += joins[i] + (typeof v === 'string' ? v : String(v));
        pairs++;
      }
    }
    const text = this.#receiver().checkJoined(joined, pairs) ?? this.#checkParts(method, peer, query, header);
    let verdict;
    if (text === this.#lastText) verdict = this.#lastVerdict;
    else {
      verdict = this.#verdicts.get(text);
      if (verdict === undefined) {
        verdict = JSON.parse(text);
        if (this.#verdicts.size >= 256) this.#verdicts.clear(); // many peers: bounded
        this.#verdicts.set(text, verdict);
      }
      this.#lastText = text;
      this.#lastVerdict = verdict;
    }
    // Learn mode is for finding the sender's addresses: every line counts.
    if (verdict.read && verdict.read.learn) console.warn(verdict.read.learn);
    return verdict;
  }

  #checkParts(method, peer, query, header) {
    const pairs = [];
    for (const name of this.headers) {
      const v = header(name);
      if (v !== undefined && v !== null) pairs.push(name, String(v));
    }
    return this.#receiver().check(method, peer ?? undefined, query, pairs);
  }

  /** The body read after a `read` verdict: `{event}` or `{answer}`. */
  receive(body, contentType, contentEncoding) {
    return engine.receive(this.#receiver(), body, contentType ?? undefined, contentEncoding ?? undefined, this.#maxBodyBytes);
  }
}

/** `s` as V8's one copy of that text (property keys are): compared by identity with literals. */
function interned(s) {
  return Object.keys({ [s]: 0 })[0];
}

/** The raw query string of a request target or URL (without `?` and any `#fragment`). */
export function queryOf(url) {
  const q = url.indexOf('?');
  if (q < 0) return '';
  const h = url.indexOf('#', q);
  return h < 0 ? url.slice(q + 1) : url.slice(q + 1, h);
}
