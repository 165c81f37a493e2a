// HTTP receivers for Node: node:http handler, Express middleware, Fastify plugin. They only move
// bytes between the framework and the receive flow of receiver.mjs (the core's policy): the
// checks before the body, the body read (bounded by the core's limit and timeout), the answers.
import { Policy, answers, CONTENT_TYPE, afterAnswer, answerFirstOf, checkHandlers, handlerOf, logOnce, queryOf } from './receiver.mjs';

const TIMEOUT = Symbol('primevox-webhooks body timeout');
const GONE = Symbol('primevox-webhooks sender gone');
// Options of the adapters themselves, not the core's receiver options.
const NODE_OWN = ['onError', 'answerFirst'];
const FASTIFY_OWN = ['onEvent', 'onError', 'answerFirst', 'path', 'prefix', 'logLevel', 'logSerializers', 'config', 'constraints'];

function headerOf(req) {
  const headers = req.headers; // (a getter on Node's request: once, not once per header)
  return (name) => {
    const v = headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
}

// The headers of an answer, made once per answer object (the answers are shared, and the
// refusals after the body are few distinct ones): Node only reads them.
const HEADERS = new WeakMap();

function headersOf(answer) {
  let headers = HEADERS.get(answer);
  if (headers === undefined) {
    headers = { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(answer.body), ...answer.headers };
    if (answer.close) headers.connection = 'close';
    HEADERS.set(answer, headers);
  }
  return headers;
}

// The same for Fastify, which sets Content-Length itself.
const FASTIFY_HEADERS = new WeakMap();

function fastifyHeadersOf(answer) {
  let headers = FASTIFY_HEADERS.get(answer);
  if (headers === undefined) {
    headers = { 'content-type': CONTENT_TYPE, ...answer.headers };
    if (answer.close) headers.connection = 'close';
    FASTIFY_HEADERS.set(answer, headers);
  }
  return headers;
}

function send(res, answer) {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  res.writeHead(answer.status, headersOf(answer));
  res.end(answer.body);
}

// The body timeouts. Most bodies arrive with their headers and are read within the event-loop
// turn their read started in, where a timer per request would cost more than the read: so a read
// gets its timer only when it is still waiting at the end of that turn (one setImmediate per turn
// for all of them), due when it would have been had it been armed at the start.
let waiting = [];
let turnStarted = 0;

function armWaiting() {
  const reads = waiting;
  waiting = [];
  const elapsed = performance.now() - turnStarted;
  for (const read of reads) {
    if (!read.finished) read.timer = setTimeout(expire, Math.max(0, read.timeoutMs - elapsed), read);
  }
}

function expire(read) {
  read.finish(TIMEOUT);
}

function timeLater(read) {
  if (waiting.length === 0) {
    turnStarted = performance.now();
    setImmediate(armWaiting);
  }
  waiting.push(read);
}

/**
 * One body read (readBody). Its listeners stay on the stream once it finished and ignore what
 * still comes: removing four listeners costs more per request than the read (and turns the
 * stream's listener table into a slow dictionary), and the stream is the request's own.
 */
class BodyRead {
  constructor(stream, maxBytes, timeoutMs, contentEncoding, done) {
    this.stream = stream;
    this.maxBytes = maxBytes;
    this.timeoutMs = timeoutMs;
    this.contentEncoding = contentEncoding;
    this.done = done;
    this.first = undefined;
    this.chunks = undefined;
    this.size = 0;
    this.timer = undefined;
    this.finished = false;
  }

  data(chunk) {
    if (this.finished) return; // past the limit: discarded
    const room = this.maxBytes - this.size;
    if (chunk.length >= room) chunk = chunk.subarray(0, room);
    if (this.first === undefined) this.first = chunk;
    else (this.chunks ??= [this.first]).push(chunk);
    this.size += chunk.length;
    if (this.size === this.maxBytes) this.finish({ body: this.body(), contentEncoding: this.contentEncoding });
  }

  end() {
    if (!this.finished) this.finish({ body: this.body(), contentEncoding: this.contentEncoding });
  }

  body() {
    const { first, chunks } = this;
    return first === undefined ? Buffer.alloc(0) : chunks === undefined ? first : Buffer.concat(chunks, this.size);
  }

  finish(value) {
    if (this.finished) return;
    this.finished = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.first = this.chunks = undefined;
    this.stream.resume(); // whatever still comes is discarded
    this.done(value);
  }
}

/**
 * Reads at most `maxBytes` bytes (the core's limit + 1: enough for it to tell a body over the limit)
 * within `timeoutMs`; the rest of a longer body is discarded unread. Calls `done` once with
 * `{ body, contentEncoding }`, TIMEOUT, or GONE when the sender went away mid-body. (A callback,
 * not a promise: the body mostly arrives in the turn its read started in, and a promise and the
 * async function awaiting it cost more per request than the read itself.)
 */
function readBody(stream, { maxBytes, timeoutMs }, contentEncoding, done) {
  const read = new BodyRead(stream, maxBytes, timeoutMs, contentEncoding, done);
  const gone = () => read.finish(GONE);
  timeLater(read);
  stream.on('data', (chunk) => read.data(chunk));
  stream.on('end', () => read.end());
  stream.on('error', gone);
  stream.on('close', gone);
}

/**
 * The receive flow on a Node request: `getBody(read, done)` calls `done` with `{ body,
 * contentEncoding }`, TIMEOUT, GONE or `{ answer }` (at once, or once read); `handle(event)` runs
 * the user's handler and says whether it answered, or gives a promise of that. `fail(err)` takes
 * an error of the flow itself (reported, answered 500 where still possible). Callbacks, with no
 * promise where nothing waits: a promise layer per step costs more than the rest of an adapter.
 */
function receive(policy, req, url, getBody, reply, handle, onError, fail) {
  const header = headerOf(req);
  const verdict = policy.check(req.method, req.socket && req.socket.remoteAddress, queryOf(url), header);
  if (verdict.refuse) {
    if (req.readable && !req.readableEnded) req.resume(); // the body is never read
    reply(verdict.refuse);
    return;
  }
  getBody(verdict.read, (got) => {
    try {
      received(policy, got, header, reply, handle, onError, fail);
    } catch (err) {
      fail(err);
    }
  });
}

function received(policy, got, header, reply, handle, onError, fail) {
  if (got === GONE) return; // nobody left to answer
  if (got === TIMEOUT) return reply(answers.requestTimeout);
  if (got.answer) return reply(got.answer);
  const body = typeof got.body === 'string' ? Buffer.from(got.body, 'utf8') : got.body;
  const result = policy.receive(body, header('content-type'), got.contentEncoding);
  if (result.answer) return reply(result.answer);
  let answered;
  try {
    answered = handle(result.event);
  } catch (err) {
    onError(err);
    return reply(answers.handlerFailed);
  }
  if (answered instanceof Promise) {
    answered
      .then(
        (a) => (a ? undefined : reply(answers.ok)),
        (err) => {
          onError(err);
          reply(answers.handlerFailed);
        },
      )
      .catch(fail);
    return;
  }
  if (!answered) reply(answers.ok);
}

/** `then()` once `result` (a handler's return value) settled, as `await result` would. */
function settled(result, then) {
  if (result !== null && (typeof result === 'object' || typeof result === 'function') && typeof result.then === 'function') {
    return Promise.resolve(result).then(then);
  }
  return then();
}

function consumed() {
  logOnce(JSON.parse(answers.bodyConsumed.body).error.message);
  return { answer: answers.bodyConsumed };
}

/** node:http handler: `http.createServer(httpHandler(onEvent, options))`. */
export function httpHandler(onEvent, options) {
  const onError = checkHandlers(onEvent, options && options.onError);
  const run = handlerOf(onEvent);
  const first = answerFirstOf(options);
  const policy = new Policy(options, NODE_OWN);
  return function primevoxHttpHandler(req, res) {
    const getBody = (read, done) =>
      bodyConsumed(req) ? done(consumed()) : readBody(req, read, req.headers['content-encoding'], done);
    receiveOnNode(policy, req, res, req.url, getBody, run, first, onError);
  };
}

/**
 * The receive flow for node:http and Express, which answer on the same `res`: `run` is the
 * user's handler, `first` answers 200 before it runs, `keepEvent` sets `req.primevoxEvent`
 * (Express) before either.
 */
function receiveOnNode(policy, req, res, url, getBody, run, first, onError, keepEvent = false) {
  const handle = (event) => {
    if (keepEvent) req.primevoxEvent = event;
    if (first) {
      send(res, answers.ok);
      afterAnswer(() => run(event, req, res), onError);
      return true;
    }
    return settled(run(event, req, res), () => res.headersSent || res.writableEnded);
  };
  const fail = (err) => {
    onError(err);
    send(res, answers.handlerFailed);
  };
  try {
    receive(policy, req, url, getBody, (a) => send(res, a), handle, onError, fail);
  } catch (err) {
    fail(err);
  }
}

/** For express.json({ verify: keepRawBody }) / express.urlencoded({ verify: keepRawBody }). */
export function keepRawBody(req, _res, buf) {
  req.rawBody = buf;
}

function bodyConsumed(req) {
  return req.readableEnded || (req.complete && !req.readable);
}

/**
 * Express middleware: `app.all('/hook', expressMiddleware(onEvent, options))` (all methods, so
 * that the receiver refuses other methods itself). Uses req.rawBody (Buffer or string) when a body parser
 * kept it, a Buffer req.body from express.raw(), a string req.body from express.text(), else
 * reads the request itself. A body parser that consumed the body without keeping it is a
 * configuration error, answered with the core's body-consumed answer naming the fix (logged once).
 */
export function expressMiddleware(onEvent, options) {
  const onError = checkHandlers(onEvent, options && options.onError);
  const run = handlerOf(onEvent);
  const first = answerFirstOf(options);
  const policy = new Policy(options, NODE_OWN);
  return function primevoxExpressMiddleware(req, res) {
    // Express's body parsers hand over the bytes already decoded (inflated).
    const getBody = (read, done) => {
      if (Buffer.isBuffer(req.rawBody) || typeof req.rawBody === 'string') return done({ body: req.rawBody });
      if (Buffer.isBuffer(req.body) || (typeof req.body === 'string' && bodyConsumed(req))) return done({ body: req.body });
      if (bodyConsumed(req)) return done(consumed());
      return readBody(req, read, req.headers['content-encoding'], done);
    };
    receiveOnNode(policy, req, res, req.originalUrl || req.url, getBody, run, first, onError, true);
  };
}

// The body as the plugin's content-type parser leaves it: unread, with the stream to read.
const UNREAD = Symbol('primevox-webhooks unread body');

/**
 * Fastify plugin: `app.register(fastifyPlugin, { path: '/hook', onEvent })`. It owns the route
 * for every method (the core refuses anything but POST). Inside its own (encapsulated)
 * context the content-type parsers leave the body unread, so that the checks run first and the
 * receiver reads it itself, bounded and timed; a body some other parser already consumed is
 * answered with the core's body-consumed answer.
 */
export async function fastifyPlugin(instance, options) {
  const o = options || {};
  const onError = checkHandlers(o.onEvent, o.onError);
  const run = handlerOf(o.onEvent);
  const first = answerFirstOf(o);
  const policy = new Policy(o, FASTIFY_OWN);
  const path = o.path === undefined ? '/' : o.path;
  instance.removeAllContentTypeParsers();
  const unread = (_request, payload, done) => done(null, { [UNREAD]: payload });
  instance.addContentTypeParser('*', unread);
  // The same parser for every Content-Type again, as a pattern: Fastify caches the parser a
  // pattern found per Content-Type, where the catch-all '*' is looked up anew on every request.
  instance.addContentTypeParser(/^/, unread);
  // A handler in callback style (it returns nothing and answers through `reply`): an async one
  // would add a promise per request that Fastify awaits.
  instance.all(path, (request, reply) => {
    const getBody = (read, done) => {
      const b = request.body;
      let stream;
      if (b !== null && typeof b === 'object' && UNREAD in b) stream = b[UNREAD];
      else if (b === undefined && !bodyConsumed(request.raw)) stream = request.raw;
      else if (b === undefined) return done({ body: Buffer.alloc(0) });
      else return done(consumed());
      return readBody(stream, read, request.headers['content-encoding'], done);
    };
    const answer = (a) => {
      reply.code(a.status).headers(fastifyHeadersOf(a)).send(a.body);
    };
    const handle = (event) => {
      request.primevoxEvent = event;
      if (first) {
        answer(answers.ok);
        afterAnswer(() => run(event, request, reply), onError);
        return true;
      }
      return settled(run(event, request, reply), () => reply.sent);
    };
    const fail = (err) => {
      onError(err);
      if (!reply.sent) answer(answers.handlerFailed);
    };
    try {
      receive(policy, request.raw, request.raw.url, getBody, answer, handle, onError, fail);
    } catch (err) {
      fail(err);
    }
  });
}
