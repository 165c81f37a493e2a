// Fetch-API receivers: a Workers fetch handler factory and a Hono middleware (plus parseRequest).
// They only move bytes between the Request/Response objects and the receive flow of
// receiver.mjs (the core's policy). A Worker knows no socket peer: `allow` needs the explicit
// `peerHeader` option (for example "cf-connecting-ip", set by Cloudflare's edge) or refuses.
import { parse } from './parse.mjs';
import { resolveOptions } from './options.mjs';
import { Policy, answers, CONTENT_TYPE, afterAnswer, answerFirstOf, checkHandlers, handlerOf, logOnce, queryOf } from './receiver.mjs';

// Options of the adapters themselves, not the core's receiver options.
const FETCH_OWN = ['onError', 'answerFirst'];

const TIMEOUT = Symbol('primevox-webhooks body timeout');

/**
 * Reads at most `limit` bytes of the body within `timeoutMs` and gives `next(body)`, or
 * `next(TIMEOUT)` after it; a longer body is cancelled, unread, and so is a slower one unless it
 * declared a length within the limit (readDeclared). Gives what `next` gives, or a promise of it
 * (a continuation, not a promise of the body: each promise layer between the runtime's read and
 * the receive flow costs a few microtask turns, and an async function more).
 */
function readBody(request, limit, timeoutMs, contentLength, next) {
  // (The declared length first: `request.body` makes the stream's JavaScript object, which the
  // one native read below does without.)
  const declared = declaredLength(contentLength);
  if (declared !== null && declared < limit) return readDeclared(request, limit, timeoutMs, next);
  if (request.body === null) return next(new Uint8Array(0));
  return readStream(request, limit, timeoutMs).then(next);
}

/** The Content-Length header's value as a number, or null (absent, several values, or not a length). */
function declaredLength(v) {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') v = String(v); // (as the regular expression it replaced read it)
  // 1 to 15 digits, nothing else (a loop: the regular expression cost as much again per request),
  // their value made in the same loop (Number(v) parses the text again; below 2^53: exact)
  const n = v.length;
  if (n === 0 || n > 15) return null;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return null;
    value = value * 10 + c;
  }
  return value;
}

/**
 * A body whose declared length is within the limit: one native read of all of it
 * (`arrayBuffer()`), where the stream loop below costs a read, a race and a copy per chunk (about
 * a third of a Worker's time per delivery under load). The HTTP layer (workerd's, Node's) ends
 * the body at its declared length; a Request built in JavaScript may lie, so a longer body is
 * still cut to `limit` (and refused by the core). After the timeout the read cannot be cancelled
 * (`arrayBuffer()` holds the stream's lock): it ends with the body, at most the declared length,
 * and is dropped. (A body-less request reads as empty.)
 */
function readDeclared(request, limit, timeoutMs, next) {
  const whole = request.arrayBuffer();
  if (timeoutMs === Infinity) return whole.then((buf) => next(upTo(buf, limit)));
  // One promise settled by the read or the timer, with what `next` makes of either (Promise.race
  // would add one per contender, and a promise of the body one more layer).
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      settle(resolve, reject, next, TIMEOUT);
    }, timeoutMs);
    whole.then(
      (buf) => {
        if (done) return; // answered already: the body is dropped
        done = true;
        clearTimeout(timer);
        settle(resolve, reject, next, upTo(buf, limit));
      },
      (err) => {
        // (A read that fails after the timeout is answered already.)
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** Resolves with `next(value)`, or rejects with what it throws. */
function settle(resolve, reject, next, value) {
  try {
    resolve(next(value));
  } catch (err) {
    reject(err);
  }
}

/** The bytes of `buf`, at most `limit` of them. */
function upTo(buf, limit) {
  const out = new Uint8Array(buf);
  return out.length < limit ? out : out.subarray(0, limit);
}

/** Reads the body chunk by chunk, and cancels it at `limit` bytes or after `timeoutMs`. */
async function readStream(request, limit, timeoutMs) {
  const reader = request.body.getReader();
  const chunks = [];
  let total = 0;
  let timer;
  const expired = new Promise((resolve) => {
    if (timeoutMs !== Infinity) timer = setTimeout(() => resolve(TIMEOUT), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), expired]);
      if (next === TIMEOUT) {
        await reader.cancel().catch(() => {});
        return TIMEOUT;
      }
      const { done, value } = next;
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
      if (total >= limit) {
        await reader.cancel();
        break;
      }
    }
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
  const out = new Uint8Array(Math.min(total, limit));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, out.length - at);
    out.set(part, at);
    at += part.length;
    if (at === out.length) break;
  }
  return out;
}

/** Reads a Fetch API Request's body (at most maxBodyBytes + 1 bytes) and Content-Type, and parses it. */
export async function parseRequest(request, options) {
  const o = resolveOptions(options);
  return readBody(request, o.maxBodyBytes + 1, Infinity, request.headers.get('content-length'), (body) =>
    parse(body, request.headers.get('content-type') ?? undefined, o),
  );
}

/** The JSON body of an error answer for a ParseError: `{"error":{"code","field","message"}}`. */
export function errorBody(err) {
  return { error: { code: err.code, field: err.field, message: err.message } };
}

// The init of each answer's Response, made once per answer object: the core's answers are a few
// shared objects (answers.*, the verdicts Policy keeps), and a Headers object is cheaper for the
// runtime to copy than a plain object to read (workerd: ~3 µs a Response).
const inits = new WeakMap();

function respond(answer) {
  let init = inits.get(answer);
  if (init === undefined) {
    init = { status: answer.status, headers: new Headers({ 'content-type': CONTENT_TYPE, ...answer.headers }) };
    inits.set(answer, init);
  }
  return new Response(answer.body, init);
}

/**
 * The policy for a request's `env`: the options' own, or, when `token` is a function of `env`
 * (Workers secrets), one per token it gives. A function giving no valid token refuses every
 * request (never fails open); the reason is logged once.
 */
function policies(options) {
  const token = options && options.token;
  if (typeof token !== 'function') {
    const policy = new Policy(options, FETCH_OWN);
    const both = [policy, policy];
    return () => both;
  }
  const rest = { ...options };
  delete rest.token;
  const untokened = new Policy(rest, FETCH_OWN); // every other option is checked now
  const cache = new Map();
  // The last token string and its policies: env is the same object for every request of a
  // deployment, so the map is read only when the token changes.
  let lastToken = null;
  let lastPair = null;
  return (env) => {
    const tokens = token(env) ?? null;
    if (typeof tokens === 'string' && tokens === lastToken) return lastPair;
    const key = JSON.stringify(tokens);
    if (!cache.has(key)) {
      let policy = null;
      try {
        policy = new Policy({ ...rest, token: tokens }, FETCH_OWN);
      } catch (err) {
        logOnce(`options.token(env) gave no usable token (${err.message}): every request is refused`);
      }
      if (cache.size >= 16) cache.clear(); // rotations are few; never grow without bound
      cache.set(key, [policy, untokened]);
    }
    const pair = cache.get(key);
    if (typeof tokens === 'string') {
      lastToken = tokens;
      lastPair = pair;
    }
    return pair;
  };
}

/**
 * The request's headers, the ones the flow reads again each read from the runtime once (the
 * policy reads its own, then the body read and the core need the length, type and encoding
 * again; a read costs as much as ~1 µs). Three slots, not a map: those are the names.
 */
function headerReader(headers) {
  // undefined: not read yet (a read gives a string or null)
  let length;
  let type;
  let encoding;
  return (name) => {
    switch (name) {
      case 'content-length':
        return length !== undefined ? length : (length = headers.get(name));
      case 'content-type':
        return type !== undefined ? type : (type = headers.get(name));
      case 'content-encoding':
        return encoding !== undefined ? encoding : (encoding = headers.get(name));
      default:
        return headers.get(name);
    }
  };
}

/**
 * The receive flow: the policy's verdict, the body, the core's parse, then
 * `handle(event, request, env, arg)`, which answers a Response or undefined for the core's ok
 * answer, or a promise of one. Gives a promise of the Response. (Not an async function: the
 * answers that need no body are settled at once, and the rest rides on the body read's one
 * promise instead of an await per step.)
 */
function receive(policyOf, request, env, handle, onError, arg) {
  try {
    const [policy, untokened] = policyOf(env);
    const header = headerReader(request.headers);
    const verdict = (policy ?? untokened).check(request.method, undefined, queryOf(request.url), header);
    if (verdict.refuse) return Promise.resolve(respond(verdict.refuse));
    if (policy === null) return Promise.resolve(respond(answers.unauthorized));
    if (request.bodyUsed) {
      // Something in front of the receiver (c.req.json(), a body-parsing middleware) read it.
      logOnce(JSON.parse(answers.bodyConsumed.body).error.message);
      return Promise.resolve(respond(answers.bodyConsumed));
    }
    const { maxBytes, timeoutMs } = verdict.read;
    // (A Promise.resolve of the answer, or of the promise the read gives: that promise itself.)
    return Promise.resolve(
      readBody(request, maxBytes, timeoutMs, header('content-length'), (body) =>
        received(policy, body, header, request, env, handle, onError, arg),
      ),
    );
  } catch (err) {
    return Promise.reject(err);
  }
}

/** After the body (or TIMEOUT): the core's parse and the handler; a Response or a promise of one. */
function received(policy, body, header, request, env, handle, onError, arg) {
  if (body === TIMEOUT) return respond(answers.requestTimeout);
  const result = policy.receive(body, header('content-type'), header('content-encoding'));
  if (result.answer) return respond(result.answer);
  let answer;
  try {
    answer = handle(result.event, request, env, arg);
  } catch (err) {
    onError(err);
    return respond(answers.handlerFailed);
  }
  if (answer instanceof Promise) {
    return answer.then(okUnlessAnswered, (err) => {
      onError(err);
      return respond(answers.handlerFailed);
    });
  }
  return answer ?? respond(answers.ok);
}

function okUnlessAnswered(answer) {
  return answer ?? respond(answers.ok);
}

function isThenable(v) {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';
}

function responseOrNothing(answer) {
  return answer instanceof Response ? answer : undefined;
}

/**
 * A Workers `fetch` handler: checks the sender, parses each POST, calls
 * `onEvent(event, request, env, ctx)`, then answers the core's ok answer (or the Response `onEvent`
 * returns); every refusal and error is the core's answer.
 */
export function createFetchHandler(onEvent, options) {
  const onError = checkHandlers(onEvent, options && options.onError);
  const run = handlerOf(onEvent);
  const first = answerFirstOf(options);
  const policyOf = policies(options);
  // (One function for every request, not a closure per request.)
  const handle = first
    ? (event, request, env, ctx) => {
        // The answer goes now; waitUntil keeps the isolate alive for the handler after it.
        const later = afterAnswer(() => run(event, request, env, ctx), onError);
        if (ctx && typeof ctx.waitUntil === 'function') ctx.waitUntil(later);
        return undefined;
      }
    : (event, request, env, ctx) => {
        // A handler that returns no promise is answered without waiting a turn for it.
        const answer = run(event, request, env, ctx);
        return isThenable(answer) ? Promise.resolve(answer).then(responseOrNothing) : responseOrNothing(answer);
      };
  // (Not async: receive gives a promise already, and an async function would wrap it in another.)
  return function fetch(request, env, ctx) {
    return receive(policyOf, request, env, handle, onError, ctx);
  };
}

/**
 * Hono middleware: `app.all('/hook', primevoxWebhook(options), (c) => ...)` (all methods, so that
 * the receiver refuses other methods itself). Stores the event as `c.get('primevoxEvent')` and calls the
 * next handler; a handler that throws gets the core's handler-failed answer.
 */
export function primevoxWebhook(options) {
  const onError = checkHandlers(() => {}, options && options.onError);
  if (answerFirstOf(options)) {
    throw new TypeError('answerFirst is not for the Hono middleware: your route makes the answer (use createFetchHandler)');
  }
  const policyOf = policies(options);
  return async function primevoxWebhookMiddleware(c, next) {
    const res = await receive(policyOf, c.req.raw, c.env, async (event) => {
      c.set('primevoxEvent', event);
      await next();
      if (c.error) throw c.error; // Hono caught the handler's error and made its own answer
      return c.finalized ? c.res : undefined;
    }, onError, undefined);
    c.res = res;
    return res;
  };
}
