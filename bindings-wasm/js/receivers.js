// Fetch-API receivers: parseRequest, a Workers fetch handler factory and a Hono middleware.
// Only HTTP plumbing lives here; parsing and validation are the core's (via parse()).
import { parse, ParseError, resolveOptions } from './api.js';

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

/**
 * A Workers `fetch` handler: parses each POST, calls `onEvent(event, request, env, ctx)`, then
 * answers 200 `{"ok":true}` (or the Response `onEvent` returns); 400 with the error code for a bad
 * payload; 405 for other methods. Errors thrown by `onEvent` propagate (the runtime answers 500).
 */
export function createFetchHandler(onEvent, options) {
  if (typeof onEvent !== 'function') throw new TypeError('onEvent must be a function');
  const o = resolveOptions(options);
  return async function fetch(request, env, ctx) {
    if (request.method !== 'POST') {
      return json(405, { error: { code: 'method_not_allowed', field: null, message: 'use POST' } }, { allow: 'POST' });
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
  return async function primevoxWebhookMiddleware(c, next) {
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
