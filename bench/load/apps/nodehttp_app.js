'use strict';
// The node:http receivers under load (bench/load/run.py starts this: node nodehttp_app.js PORT).
//
//   POST /sdk    the SDK's receiver: httpHandler(onEvent, { token })
//   POST /hand   a minimal hand-written receiver making the same checks (handcheck.js), the body
//                read from the request stream up to the limit
//   POST /empty  reads the body and answers 200 {"ok":true}: the framework's ceiling
//   GET  /__stats   handler calls per delivery key, per route
//
// A delivery whose caller name (or message text) contains THROW makes the handler throw after
// counting. Adapting to a new receiver API: only the `sdk` lines below change.
const http = require('node:http');
const pv = require('../../../bindings-node/index.js');
const { LIMIT, record, snapshot, check } = require('./handcheck.js');

const TOKEN = process.env.PV_LOAD_TOKEN || 'load-token';

// --- the SDK -------------------------------------------------------------------------------------
const sdk = pv.httpHandler((event) => {
  record('sdk', event.callUuid ?? event.conversationId ?? '?', event.callerIdName ?? event.messageText);
}, { token: TOKEN });

// --- hand-written --------------------------------------------------------------------------------
function json(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

// The body up to LIMIT bytes; null (and the connection closed after the answer) past it.
function readBody(req) {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] || 0) > LIMIT) return resolve(null);
    const parts = [];
    let n = 0;
    req.on('data', (c) => {
      n += c.length;
      if (n > LIMIT) {
        req.removeAllListeners('data');
        req.pause();
        resolve(null);
      } else parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('aborted')));
  });
}

async function hand(req, res, url) {
  if (req.method !== 'POST') return json(res, 405, { error: { code: 'method_not_allowed' } });
  if (url.searchParams.get('token') !== TOKEN) return json(res, 401, { error: { code: 'unauthorized' } });
  const body = await readBody(req);
  if (body === null) {
    res.setHeader('connection', 'close');
    return json(res, 413, { error: { code: 'body_too_large' } });
  }
  const got = check(body, req.headers['content-type']);
  if (got.status) return json(res, got.status, { error: { code: got.code } });
  try {
    record('hand', got.key, got.text);
  } catch {
    return json(res, 500, { error: { code: 'handler_failed' } });
  }
  json(res, 200, { ok: true });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/sdk') return sdk(req, res);
  if (url.pathname === '/hand') return hand(req, res, url).catch(() => res.destroy());
  if (url.pathname === '/empty') {
    return readBody(req).then(() => json(res, 200, { ok: true }), () => res.destroy());
  }
  if (url.pathname === '/__stats') return json(res, 200, snapshot());
  json(res, 404, { error: { code: 'not_found' } });
});
server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
