// Fetch-API receivers: parseRequest, a Workers fetch handler factory and a Hono middleware.
// Only HTTP plumbing lives here; parsing and validation are the core's (via parse()).
import { parse, ParseError, resolveOptions, verifyToken, queryParam, AllowList, tokenList } from './api.js';

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
 * Receiver options beyond the parse options, checked before the body is read:
 * - `token`: the expected secret (or several, for rotation), or a function of the Worker's `env`
 *   giving it (secrets live in `env`); requests must present one, in the `tokenHeader` header
 *   when that is set and present, else in the `tokenParam` query parameter (default `token`, as
 *   in `https://example.com/hook?token=...`). Else 401.
 * - `allowFrom`: CIDR ranges of allowed senders, checked against `CF-Connecting-IP`. Else 403.
 */
function receiverGuard(options) {
  const o = options ?? {};
  const tokenOption = o.token === undefined || o.token === null ? null : o.token;
  const fixedTokens = tokenOption === null || typeof tokenOption === 'function' ? null : tokenList(tokenOption);
  if (fixedTokens !== null && !fixedTokens.some((t) => t.length > 0)) throw new TypeError('options.token must not be empty');
  const tokenParam = o.tokenParam ?? 'token';
  const tokenHeader = o.tokenHeader ?? null;
  const allow = o.allowFrom === undefined || o.allowFrom === null ? null : new AllowList(o.allowFrom);
  if (tokenOption === null && allow === null) return null;
  return function guard(request, env) {
    if (allow !== null && !allow.contains(request.headers.get('cf-connecting-ip') ?? '')) {
      return refusal(403, 'forbidden', 'the sender address is not allowed');
    }
    if (tokenOption !== null) {
      // A function that gives no token (an unset secret) refuses everything: never fail open.
      const tokens = fixedTokens ?? tokenList(tokenOption(env) ?? []);
      let presented = tokenHeader !== null ? request.headers.get(tokenHeader) : null;
      if (presented === null) {
        const q = request.url.indexOf('?');
        presented = q < 0 ? null : queryParam(request.url.slice(q + 1).split('#')[0], tokenParam);
      }
      if (!verifyToken(presented, tokens)) return refusal(401, 'unauthorized', 'missing or wrong token');
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
