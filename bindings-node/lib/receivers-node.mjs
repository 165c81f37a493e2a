// HTTP receivers: Express middleware, Fastify plugin, node:http handler. They only move bytes
// and status codes around; parsing and validation are the core's (through `parse`).
//
// Every receiver:
// - optionally checks the sender first, without reading the body: peer address in `allow`
//   (else 403) and the secret `token` from a header or the URL query (else 401),
// - reads the raw body (bounded by maxBodyBytes) and the Content-Type header,
// - answers a bad payload with 400 and {"error":{"code","field","message"}} (the core's error,
//   the same body as the CLI's and the other languages' receivers),
// - otherwise calls onEvent(event, req, res) and, if the handler did not answer itself,
//   answers 200 {"ok":true}.

import { parse } from './parse.mjs';
import { ParseError } from './errors.mjs';
import { verifyToken, queryParam, AllowList } from './security.mjs';

const DEFAULT_MAX_BODY_BYTES = 65536;

// Sender checks, before any of the body is read: the peer address against `allow` (CIDR
// ranges; 403) and the shared secret `token` (a string or several for rotation; 401), taken
// from the header `tokenHeader` if set, else from the URL query parameter `tokenQuery`
// (default "token"). Returns (req, url) => null | [status, code, message].
function makeGuard(options) {
  const o = options || {};
  let tokens = null;
  if (o.token !== undefined && o.token !== null) {
    tokens = typeof o.token === 'string' ? [o.token] : Array.isArray(o.token) ? [...o.token] : null;
    if (!tokens || tokens.length === 0 || !tokens.every((t) => typeof t === 'string' && t.length > 0)) {
      throw new TypeError('options.token must be a non-empty string or a non-empty array of them');
    }
  }
  const tokenQuery = o.tokenQuery === undefined ? 'token' : o.tokenQuery;
  const tokenHeader = o.tokenHeader ? String(o.tokenHeader).toLowerCase() : null;
  let allow = null;
  if (o.allow !== undefined && o.allow !== null) {
    if (!Array.isArray(o.allow)) throw new TypeError('options.allow must be an array of CIDR ranges');
    try {
      allow = new AllowList(o.allow.map(String));
    } catch (err) {
      throw new TypeError(`options.allow: ${err.message}`);
    }
  }
  if (!tokens && !allow) return null;
  return function guard(req, url) {
    if (allow) {
      const peer = req.socket && req.socket.remoteAddress;
      if (!peer || !allow.contains(peer)) return [403, 'forbidden', 'the sender address is not allowed'];
    }
    if (tokens) {
      let presented = null;
      if (tokenHeader) presented = headerValue(req.headers[tokenHeader]) ?? null;
      if (presented === null && tokenQuery) {
        const q = typeof url === 'string' ? url.indexOf('?') : -1;
        if (q >= 0) presented = queryParam(url.slice(q + 1), tokenQuery) ?? null;
      }
      if (!verifyToken(presented, tokens)) return [401, 'unauthorized', 'missing or wrong webhook token'];
    }
    return null;
  };
}

function refuse(res, req, [status, code, message]) {
  if (req.readable && !req.readableEnded) req.resume(); // discard the body unread
  sendJson(res, status, JSON.stringify({ error: { code, field: null, message } }), { connection: 'close' });
}

function parseOptions(options) {
  const o = options || {};
  const parseOpts = {};
  if (o.strict !== undefined) parseOpts.strict = o.strict;
  if (o.maxBodyBytes !== undefined) parseOpts.maxBodyBytes = o.maxBodyBytes;
  return parseOpts;
}

function limitOf(options) {
  return options && options.maxBodyBytes !== undefined ? options.maxBodyBytes : DEFAULT_MAX_BODY_BYTES;
}

function checkHandler(onEvent) {
  if (typeof onEvent !== 'function') throw new TypeError('onEvent must be a function (event, req, res) => void');
}

function errorBody(err) {
  return JSON.stringify({ error: { code: err.code, field: err.field, message: err.message } });
}

function sendJson(res, status, body, extraHeaders) {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) };
  if (extraHeaders) Object.assign(headers, extraHeaders);
  res.writeHead(status, headers);
  res.end(body);
}

function tooLarge(limit) {
  return new ParseError('body_too_large', `the body is larger than ${limit} bytes`, null);
}

// Reads at most limit + 1 bytes: one byte over is enough for the core to report
// body_too_large; the rest of an oversized body is discarded without being kept.
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume(); // discard, do not buffer
      reject(tooLarge(limit));
      return;
    }
    const chunks = [];
    let size = 0;
    let over = false;
    const onData = (chunk) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      if (!over) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (err) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function headerValue(v) {
  return Array.isArray(v) ? v[0] : v;
}

// Runs the user's handler, then answers 200 unless the handler answered.
async function deliver(onEvent, event, req, res) {
  await onEvent(event, req, res);
  if (!res.headersSent && !res.writableEnded) sendJson(res, 200, '{"ok":true}');
}

/** node:http handler: http.createServer(httpHandler(onEvent, options)). */
export function httpHandler(onEvent, options) {
  checkHandler(onEvent);
  const limit = limitOf(options);
  const opts = parseOptions(options);
  const onError = (options && options.onError) || ((err) => console.error('primevox-webhooks: handler failed:', err));
  const guard = makeGuard(options);
  return function primevoxHttpHandler(req, res) {
    if (req.method !== 'POST') {
      req.resume();
      sendJson(res, 405, JSON.stringify({ error: { code: 'method_not_allowed', field: null, message: 'use POST' } }), { allow: 'POST' });
      return;
    }
    const refused = guard && guard(req, req.url);
    if (refused) return refuse(res, req, refused);
    readBody(req, limit)
      .then((body) => {
        let event;
        try {
          event = parse(body, headerValue(req.headers['content-type']) ?? null, opts);
        } catch (err) {
          if (err instanceof ParseError) return sendJson(res, 400, errorBody(err));
          throw err;
        }
        return deliver(onEvent, event, req, res);
      })
      .catch((err) => {
        if (err instanceof ParseError) return sendJson(res, 400, errorBody(err), { connection: 'close' });
        if (req.destroyed && !req.complete) return; // the sender went away mid-body: nobody to answer
        onError(err);
        sendJson(res, 500, JSON.stringify({ error: { code: 'internal_error', field: null, message: 'the webhook handler failed' } }));
      });
  };
}

/** For express.json({ verify: keepRawBody }) / express.urlencoded({ verify: keepRawBody }). */
export function keepRawBody(req, _res, buf) {
  req.rawBody = buf;
}

const RAW_BODY_GONE =
  'primevox-webhooks needs the raw request body, but a body parser (express.json(), express.urlencoded(), ...) ' +
  'already consumed it. Mount expressMiddleware() before the body parsers, or keep the raw bytes with ' +
  'express.json({ verify: keepRawBody }) and express.urlencoded({ verify: keepRawBody }) (sets req.rawBody).';

function bodyConsumed(req) {
  return req.readableEnded || (req.complete && !req.readable);
}

/**
 * Express middleware: app.post('/hook', expressMiddleware(onEvent, options)).
 * Uses req.rawBody (Buffer or string) when a body parser kept it, a Buffer req.body from
 * express.raw(), a string req.body from express.text(), else reads the request itself. When a
 * body parser consumed the body without keeping it, answers 500 with code raw_body_unavailable
 * and a message saying how to fix the app (it is a server configuration error, not the sender's).
 */
export function expressMiddleware(onEvent, options) {
  checkHandler(onEvent);
  const limit = limitOf(options);
  const opts = parseOptions(options);
  let warned = false;
  const guard = makeGuard(options);
  return function primevoxExpressMiddleware(req, res, next) {
    const refused = guard && guard(req, req.originalUrl || req.url);
    if (refused) return refuse(res, req, refused);
    let bodyPromise;
    if (Buffer.isBuffer(req.rawBody) || typeof req.rawBody === 'string') {
      bodyPromise = Promise.resolve(req.rawBody);
    } else if (Buffer.isBuffer(req.body) || (typeof req.body === 'string' && bodyConsumed(req))) {
      bodyPromise = Promise.resolve(req.body);
    } else if (bodyConsumed(req)) {
      if (!warned) {
        warned = true;
        console.error(`primevox-webhooks: ${RAW_BODY_GONE}`);
      }
      sendJson(res, 500, JSON.stringify({ error: { code: 'raw_body_unavailable', field: null, message: RAW_BODY_GONE } }));
      return;
    } else {
      bodyPromise = readBody(req, limit);
    }
    bodyPromise
      .then((body) => {
        let event;
        try {
          event = parse(body, headerValue(req.headers['content-type']) ?? null, opts);
        } catch (err) {
          if (err instanceof ParseError) return sendJson(res, 400, errorBody(err));
          throw err;
        }
        req.primevoxEvent = event;
        return deliver(onEvent, event, req, res);
      })
      .catch((err) => {
        if (err instanceof ParseError) return sendJson(res, 400, errorBody(err), { connection: 'close' });
        if (req.destroyed && !req.complete) return; // the sender went away mid-body: nobody to answer
        next(err);
      });
  };
}

/**
 * Fastify plugin: app.register(fastifyPlugin, { path: '/hook', onEvent }).
 * Inside its own (encapsulated) context it replaces the content-type parsers with one that
 * keeps the raw bytes of every type, so both encodings (and a missing Content-Type) reach the core.
 */
export async function fastifyPlugin(instance, options) {
  const o = options || {};
  checkHandler(o.onEvent);
  const limit = limitOf(o);
  const opts = parseOptions(o);
  const path = o.path === undefined ? '/' : o.path;
  const guard = makeGuard(o);
  if (guard) {
    // onRequest runs before Fastify reads the body.
    instance.addHook('onRequest', (request, reply, done) => {
      const refused = guard(request.raw, request.raw.url);
      if (!refused) return done();
      const [status, code, message] = refused;
      reply
        .code(status)
        .header('content-type', 'application/json; charset=utf-8')
        .header('connection', 'close')
        .send(JSON.stringify({ error: { code, field: null, message } }));
    });
  }
  instance.removeAllContentTypeParsers();
  // Both encodings, and every other type (text/plain, octet-stream, none, +json, ...), arrive
  // as raw bytes: the core decides. One byte over the limit still reaches the core, which
  // reports body_too_large itself.
  const keepRaw = (_req, body, done) => done(null, body);
  const parserOpts = { parseAs: 'buffer', bodyLimit: limit + 1 };
  instance.addContentTypeParser(['application/json', 'application/x-www-form-urlencoded'], parserOpts, keepRaw);
  instance.addContentTypeParser('*', parserOpts, keepRaw);
  instance.setErrorHandler((err, _request, reply) => {
    if (err && err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const e = tooLarge(limit);
      reply.code(400).header('content-type', 'application/json; charset=utf-8').send(errorBody(e));
      return;
    }
    reply.send(err);
  });
  instance.post(path, async (request, reply) => {
    const body = request.body === undefined || request.body === null ? Buffer.alloc(0) : request.body;
    let event;
    try {
      event = parse(body, headerValue(request.headers['content-type']) ?? null, opts);
    } catch (err) {
      if (err instanceof ParseError) {
        return reply.code(400).header('content-type', 'application/json; charset=utf-8').send(errorBody(err));
      }
      throw err;
    }
    request.primevoxEvent = event;
    await o.onEvent(event, request, reply);
    if (reply.sent) return reply;
    return reply.code(200).header('content-type', 'application/json; charset=utf-8').send('{"ok":true}');
  });
}

