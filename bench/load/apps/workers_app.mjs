// The Workers receivers under load: a module Worker, bundled by workers_build.mjs (esbuild, as
// wrangler would) and served by workerd itself on 127.0.0.1 (bench/load/run.py starts it; one
// isolate, so the counts below, in module globals, see every request).
//
//   POST /sdk    the SDK's receiver: createFetchHandler(onEvent, { token: (env) => env.PV_LOAD_TOKEN })
//                from the wasm package's Workers entry (the one tests/ci/wasm.sh runs in workerd)
//   POST /hand   a minimal hand-written fetch handler making the same checks (handcheck.js): token,
//                body limit (declared, then read), JSON or form, documented eventType, required fields
//   POST /empty  reads the body and answers 200 {"ok":true}: the runtime's ceiling
//   GET  /__stats   handler calls per delivery key, per route; `pid` is 0 (an isolate has no pid:
//                run.py measures the workerd process it started) and `isolate` names this isolate,
//                so that a replaced isolate (its counts lost) is seen
//
// A delivery whose caller name (or message text) contains THROW makes the handler throw after
// counting. Adapting to a new receiver API: only the `sdk` lines below change.
import { createFetchHandler } from '../../../bindings-wasm/js/workerd.js';
import handcheck from './handcheck.js';

const { LIMIT, calls, record, check } = handcheck;
// (Workers forbid random values at global scope: drawn at the first request.)
let isolate = null;

// --- the SDK -------------------------------------------------------------------------------------
// The token from the Worker's env (a secret, in production), as the package's README shows.
const sdk = createFetchHandler((event) => {
  record('sdk', event.callUuid ?? event.conversationId ?? '?', event.callerIdName ?? event.messageText);
}, { token: (env) => env.PV_LOAD_TOKEN });

// --- hand-written --------------------------------------------------------------------------------
const utf8 = new TextDecoder();
const json = (status, obj) => new Response(JSON.stringify(obj), { status, headers: { 'content-type': 'application/json' } });
const bad = (status, code) => json(status, { error: { code } });

async function hand(request, env, url) {
  if (request.method !== 'POST') return bad(405, 'method_not_allowed');
  if (url.searchParams.get('token') !== env.PV_LOAD_TOKEN) return bad(401, 'unauthorized');
  if (Number(request.headers.get('content-length') ?? 0) > LIMIT) return bad(413, 'body_too_large');
  const body = await request.arrayBuffer(); // a chunked body has no declared length: check it read
  if (body.byteLength > LIMIT) return bad(413, 'body_too_large');
  const got = check(utf8.decode(body), request.headers.get('content-type'));
  if (got.status) return bad(got.status, got.code);
  try {
    record('hand', got.key, got.text);
  } catch {
    return bad(500, 'handler_failed');
  }
  return json(200, { ok: true });
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case '/sdk':
        return sdk(request, env, ctx);
      case '/hand':
        return hand(request, env, url);
      case '/empty':
        await request.arrayBuffer();
        return json(200, { ok: true });
      case '/__stats':
        return json(200, {
          pid: 0,
          isolate: (isolate ??= crypto.randomUUID()),
          calls: Object.fromEntries(Object.entries(calls).map(([r, m]) => [r, Object.fromEntries(m)])),
        });
      default:
        return bad(404, 'not_found');
    }
  },
};
