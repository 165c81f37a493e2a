// HTTP receivers for Node: node:http handler, Express middleware, Fastify plugin. They only move
// bytes between the framework and the receive flow of receiver.mjs (the core's policy): the
// checks before the body, the body read (bounded by the core's limit and timeout), the answers.
import { Policy, answers, CONTENT_TYPE, checkHandlers, logOnce, queryOf } from './receiver.mjs';

const TIMEOUT = Symbol('primevox-webhooks body timeout');
const GONE = Symbol('primevox-webhooks sender gone');
// Options of the adapters themselves, not the core's receiver options.
const NODE_OWN = ['onError'];
const FASTIFY_OWN = ['onEvent', 'onError', 'path', 'prefix', 'logLevel', 'logSerializers', 'config', 'constraints'];

function headerOf(req) {
  return (name) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
}

function send(res, answer) {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const headers = { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(answer.body), ...answer.headers };
  if (answer.close) headers.connection = 'close';
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

/**
 * Reads at most `maxBytes` bytes (the core's limit + 1: enough for it to tell a body over the limit)
 * within `timeoutMs`; the rest of a longer body is discarded unread. Resolves the bytes, TIMEOUT,
 * or GONE when the sender went away mid-body.
 */
function readBody(stream, { maxBytes, timeoutMs }) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    const finish = (value) => {
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onGone);
      stream.removeListener('close', onGone);
      stream.resume(); // whatever still comes is discarded
      resolve(value);
    };
    const onData = (chunk) => {
      const room = maxBytes - size;
      if (chunk.length >= room) {
        chunks.push(chunk.subarray(0, room));
        size += room;
        finish(Buffer.concat(chunks, size));
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    };
    const onEnd = () => finish(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    const onGone = () => finish(GONE);
    const timer = setTimeout(() => finish(TIMEOUT), timeoutMs);
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onGone);
    stream.on('close', onGone);
  });
}

/**
 * The receive flow on a Node request: `getBody(read)` gives `{ body, contentEncoding }`, TIMEOUT,
 * GONE or `{ answer }`; `handle(event)` runs the user's handler and says whether it answered.
 */
async function receive(policy, req, url, getBody, reply, handle, onError) {
  const header = headerOf(req);
  const verdict = policy.check(req.method, req.socket && req.socket.remoteAddress, queryOf(url), header);
  if (verdict.refuse) {
    if (req.readable && !req.readableEnded) req.resume(); // the body is never read
    return reply(verdict.refuse);
  }
  const got = await getBody(verdict.read);
  if (got === GONE) return undefined; // nobody left to answer
  if (got === TIMEOUT) return reply(answers.requestTimeout);
  if (got.answer) return reply(got.answer);
  const body = typeof got.body === 'string' ? Buffer.from(got.body, 'utf8') : got.body;
  const result = policy.receive(body, header('content-type'), got.contentEncoding);
  if (result.answer) return reply(result.answer);
  let answered;
  try {
    answered = await handle(result.event);
  } catch (err) {
    onError(err);
    return reply(answers.handlerFailed);
  }
  return answered ? undefined : reply(answers.ok);
}

function consumed() {
  logOnce(JSON.parse(answers.bodyConsumed.body).error.message);
  return { answer: answers.bodyConsumed };
}

/** node:http handler: `http.createServer(httpHandler(onEvent, options))`. */
export function httpHandler(onEvent, options) {
  const onError = checkHandlers(onEvent, options && options.onError);
  const policy = new Policy(options, NODE_OWN);
  return function primevoxHttpHandler(req, res) {
    const getBody = async (read) => {
      if (bodyConsumed(req)) return consumed();
      const body = await readBody(req, read);
      return typeof body === 'symbol' ? body : { body, contentEncoding: req.headers['content-encoding'] };
    };
    const handle = async (event) => {
      await onEvent(event, req, res);
      return res.headersSent || res.writableEnded;
    };
    receive(policy, req, req.url, getBody, (a) => send(res, a), handle, onError).catch((err) => {
      onError(err);
      send(res, answers.handlerFailed);
    });
  };
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
  const policy = new Policy(options, NODE_OWN);
  return function primevoxExpressMiddleware(req, res) {
    // Express's body parsers hand over the bytes already decoded (inflated).
    const getBody = async (read) => {
      if (Buffer.isBuffer(req.rawBody) || typeof req.rawBody === 'string') return { body: req.rawBody };
      if (Buffer.isBuffer(req.body) || (typeof req.body === 'string' && bodyConsumed(req))) return { body: req.body };
      if (bodyConsumed(req)) return consumed();
      const body = await readBody(req, read);
      return typeof body === 'symbol' ? body : { body, contentEncoding: req.headers['content-encoding'] };
    };
    const handle = async (event) => {
      req.primevoxEvent = event;
      await onEvent(event, req, res);
      return res.headersSent || res.writableEnded;
    };
    receive(policy, req, req.originalUrl || req.url, getBody, (a) => send(res, a), handle, onError).catch((err) => {
      onError(err);
      send(res, answers.handlerFailed);
    });
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
  const policy = new Policy(o, FASTIFY_OWN);
  const path = o.path === undefined ? '/' : o.path;
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('*', (_request, payload, done) => done(null, { [UNREAD]: payload }));
  instance.all(path, async (request, reply) => {
    const getBody = async (read) => {
      const b = request.body;
      let stream;
      if (b !== null && typeof b === 'object' && UNREAD in b) stream = b[UNREAD];
      else if (b === undefined && !bodyConsumed(request.raw)) stream = request.raw;
      else if (b === undefined) return { body: Buffer.alloc(0) };
      else return consumed();
      const body = await readBody(stream, read);
      return typeof body === 'symbol' ? body : { body, contentEncoding: request.headers['content-encoding'] };
    };
    const answer = (a) => {
      const headers = { 'content-type': CONTENT_TYPE, ...a.headers };
      if (a.close) headers.connection = 'close';
      reply.code(a.status).headers(headers).send(a.body);
    };
    const handle = async (event) => {
      request.primevoxEvent = event;
      await o.onEvent(event, request, reply);
      return reply.sent;
    };
    try {
      await receive(policy, request.raw, request.raw.url, getBody, answer, handle, onError);
    } catch (err) {
      onError(err);
      if (!reply.sent) answer(answers.handlerFailed);
    }
    return reply;
  });
}
