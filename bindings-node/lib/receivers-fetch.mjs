// Fetch-API receivers: parseRequest, a Workers fetch handler factory and a Hono middleware.
// Only HTTP plumbing lives here; parsing and validation are the core's (via parse()).
import { parse } from './parse.mjs';
import { ParseError } from './errors.mjs';
import { resolveOptions } from './options.mjs';
import { verifyToken, queryParam, AllowList, tokenList } from './security.mjs';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * Read at most `limit + 1` bytes of the body: enough for the core to report `body_too_large`
 * without buffering an unbounded upload.
 */
async function readBody(request, limit) {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel();
        break;
      }
    }
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Read a Fetch API Request's body and Content-Type, and parse it. */
export async function parseRequest(request, options) {
  const o = resolveOptions(options);
  const body = await readBody(request, o.maxBodyBytes);
  return parse(body, request.headers.get('content-type') ?? undefined, o);
}

/** The JSON body of a 400 answer: `{"error":{"code","field","message"}}`. */
export function errorBody(err) {
  return { error: { code: err.code, field: err.field, message: err.message } };
}

function json(status, value, extraHeaders) {
  return new Response(JSON.stringify(value), { status, headers: { ...JSON_HEADERS, ...extraHeaders } });
}

function refusal(status, code, message) {
  return json(status, { error: { code, field: null, message } });
}

/**
 * Receiver options beyond the parse options (the same as the native package's receivers), checked
 * before any of the body is read:
 * - `allow`: CIDR ranges of allowed senders, matched against `CF-Connecting-IP`; else 403.
 * - `token`: the secret the sender must present (several for rotation), or, on Workers, a
 *   function of `env` giving it (secrets live in `env`); taken from the header `tokenHeader` if
 *   set, else from the URL query parameter `tokenQuery` (default `token`; null: not the query).
 *   A missing or wrong token: 401.
 */
function fixedTokens(token) {
  const list = typeof token === 'string' ? [token] : Array.isArray(token) ? [...token] : null;
  if (!list || list.length === 0 || !list.every((t) => typeof t === 'string' && t.length > 0)) {
    throw new TypeError('options.token must be a non-empty string or a non-empty array of them');
  }
  return list;
}

function receiverGuard(options) {
  const o = options ?? {};
  const tokenOption = o.token === undefined || o.token === null ? null : o.token;
  const tokens = tokenOption === null || typeof tokenOption === 'function' ? null : fixedTokens(tokenOption);
  const tokenQuery = o.tokenQuery === undefined ? 'token' : o.tokenQuery;
  const tokenHeader = o.tokenHeader ? String(o.tokenHeader) : null;
  let allow = null;
  if (o.allow !== undefined && o.allow !== null) {
    if (!Array.isArray(o.allow)) throw new TypeError('options.allow must be an array of CIDR ranges');
    try {
      allow = new AllowList(o.allow.map(String));
    } catch (err) {
      throw new TypeError(`options.allow: ${err.message}`);
    }
  }
  if (tokenOption === null && allow === null) return null;
  return function guard(request, env) {
    if (allow !== null) {
      const peer = request.headers.get('cf-connecting-ip');
      if (!peer || !allow.contains(peer)) return refusal(403, 'forbidden', 'the sender address is not allowed');
    }
    if (tokenOption !== null) {
      // A function giving no token (an unset secret) refuses everything: never fail open.
      const expected = tokens ?? tokenList(tokenOption(env) ?? []);
      let presented = tokenHeader !== null ? request.headers.get(tokenHeader) : null;
      if (presented === null && tokenQuery) {
        const q = request.url.indexOf('?');
        if (q >= 0) presented = queryParam(request.url.slice(q + 1).split('#')[0], tokenQuery);
      }
      if (!verifyToken(presented, expected)) return refusal(401, 'unauthorized', 'missing or wrong webhook token');
    }
    return null;
  };
}

/**
 * A Workers `fetch` handler: parses each POST, calls `onEvent(event, request, env, ctx)`, then
 * answers 200 `{"ok":true}` (or the Response `onEvent` returns); 400 with the error code for a bad
 * payload; 405 for other methods; 403 / 401 for a sender or token refused (see receiverGuard).
 * Errors thrown by `onEvent` propagate (the runtime answers 500).
 */
export function createFetchHandler(onEvent, options) {
  if (typeof onEvent !== 'function') throw new TypeError('onEvent must be a function');
  const o = resolveOptions(options);
  const guard = receiverGuard(options);
  return async function fetch(request, env, ctx) {
    if (request.method !== 'POST') {
      return json(405, { error: { code: 'method_not_allowed', field: null, message: 'use POST' } }, { allow: 'POST' });
    }
    if (guard !== null) {
      const refused = guard(request, env);
      if (refused !== null) return refused;
    }
    let event;
    try {
      event = await parseRequest(request, o);
    } catch (err) {
      if (err instanceof ParseError) return json(400, errorBody(err));
      throw err;
    }
    const answer = await onEvent(event, request, env, ctx);
    return answer instanceof Response ? answer : json(200, { ok: true });
  };
}

/**
 * Hono middleware: parses the request, stores the event as `c.get('primevoxEvent')` and calls
 * the next handler; answers 400 with the error code for a bad payload.
 */
export function primevoxWebhook(options) {
  const o = resolveOptions(options);
  const guard = receiverGuard(options);
  return async function primevoxWebhookMiddleware(c, next) {
    if (guard !== null) {
      const refused = guard(c.req.raw, c.env);
      if (refused !== null) return refused;
    }
    let event;
    try {
      event = await parseRequest(c.req.raw, o);
    } catch (err) {
      if (err instanceof ParseError) return c.json(errorBody(err), 400);
      throw err;
    }
    c.set('primevoxEvent', event);
    await next();
  };
}
