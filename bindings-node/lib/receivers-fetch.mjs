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
 * Reads at most `limit` bytes of the body within `timeoutMs` (TIMEOUT after it); a longer body is
 * cancelled, unread, and so is a slower one unless it declared a length within the limit
 * (readDeclared). Gives the body, TIMEOUT, or a promise of either (not an async function: each
 * promise layer between the runtime's read and the receive flow costs a few microtask turns).
 */
function readBody(request, limit, timeoutMs = Infinity, contentLength = request.headers.get('content-length')) {
  if (request.body === null) return new Uint8Array(0);
  const declared = declaredLength(contentLength);
  if (declared !== null && declared < limit) return readDeclared(request, limit, timeoutMs);
  return readStream(request, limit, timeoutMs);
}

/** The Content-Length header's value as a number, or null (absent, several values, or not a length). */
function declaredLength(v) {
  return v !== null && v !== undefined && /^[0-9]{1,15}$/.test(v) ? Number(v) : null;
}

/**
 * A body whose declared length is within the limit: one native read of all of it
 * (`arrayBuffer()`), where the stream loop below costs a read, a race and a copy per chunk (about
 * a third of a Worker's time per delivery under load). The HTTP layer (workerd's, Node's) ends
 * the body at its declared length; a Request built in JavaScript may lie, so a longer body is
 * still cut to `limit` (and refused by the core). After the timeout the read cannot be cancelled
 * (`arrayBuffer()` holds the stream's lock): it ends with the body, at most the declared length,
 * and is dropped.
 */
function readDeclared(request, limit, timeoutMs) {
  const whole = request.arrayBuffer();
  if (timeoutMs === Infinity) return whole.then((buf) => upTo(buf, limit));
  // One promise settled by the read or the timer (Promise.race would add one per contender).
  return new Promise((resolve, reject) => {
    // (A read that fails after the timeout is answered already: its rejection is handled below.)
    const timer = setTimeout(resolve, timeoutMs, TIMEOUT);
    whole.then(
      (buf) => {
        clearTimeout(timer);
        resolve(upTo(buf, limit));
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
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
  const body = await readBody(request, o.maxBodyBytes + 1);
  return parse(body, request.headers.get('content-type') ?? undefined, o);
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
 * The request's headers, each read from the runtime once (the policy reads its own, then the body
 * read and the core need the length, type and encoding again; a read costs as much as ~1 µs).
 */
function headerReader(headers) {
  const got = new Map();
  return (name) => {
    let v = got.get(name);
    if (v === undefined) {
      v = headers.get(name);
      got.set(name, v);
    }
    return v;
  };
}

/**
 * The receive flow: the policy's verdict, the body, the core's parse, then
 * `handle(event, request, env, arg)`, which answers a Response or undefined for the core's ok
 * answer, or a promise of one.
 */
async function receive(policyOf, request, env, handle, onError, arg) {
  const [policy, untokened] = policyOf(env);
  const header = headerReader(request.headers);
  const verdict = (policy ?? untokened).check(request.method, undefined, queryOf(request.url), header);
  if (verdict.refuse) return respond(verdict.refuse);
  if (policy === null) return respond(answers.unauthorized);
  if (request.bodyUsed) {
    // Something in front of the receiver (c.req.json(), a body-parsing middleware) read it.
    logOnce(JSON.parse(answers.bodyConsumed.body).error.message);
    return respond(answers.bodyConsumed);
  }
  const body = await readBody(request, verdict.read.maxBytes, verdict.read.timeoutMs, header('content-length'));
  if (body === TIMEOUT) return respond(answers.requestTimeout);
  const result = policy.receive(body, header('content-type'), header('content-encoding'));
  if (result.answer) return respond(result.answer);
  try {
    let answer = handle(result.event, request, env, arg);
    if (answer instanceof Promise) answer = await answer;
    return answer ?? respond(answers.ok);
  } catch (err) {
    onError(err);
    return respond(answers.handlerFailed);
  }
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
  return async function fetch(request, env, ctx) {
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
