'use strict';
// The Express receivers under load (bench/load/run.py starts this: node express_app.js PORT).
//
//   POST /sdk    the SDK's receiver: expressMiddleware(onEvent, { token })
//   POST /hand   a minimal hand-written receiver making the same checks (token, body limit, JSON
//                or form, documented eventType, required fields), 200 {"ok":true}
//   POST /empty  reads the body and answers 200 {"ok":true}: the framework's ceiling
//   GET  /__stats   handler calls per delivery key, per route (the load checks count here)
//
// A delivery whose caller name (or message text) contains THROW makes the handler throw after
// counting. Adapting to a new receiver API: only the `sdk` lines below change.
const express = require('express');
const pv = require('../../../bindings-node/index.js');

const TOKEN = process.env.PV_LOAD_TOKEN || 'load-token';
const LIMIT = 64 * 1024;
const calls = { sdk: new Map(), hand: new Map() };

function record(route, key, text) {
  const m = calls[route];
  m.set(key, (m.get(key) || 0) + 1);
  if (text && text.includes('THROW')) throw new Error('handler failed on purpose (load fault mix)');
}

const app = express();

// --- the SDK -------------------------------------------------------------------------------------
const sdk = pv.expressMiddleware((event) => {
  record('sdk', event.callUuid ?? event.conversationId ?? '?', event.callerIdName ?? event.messageText);
}, { token: TOKEN });
// Express tries its routes in order, so each route's position costs it: run.py's side-by-side
// measure gives every process an order (PV_LOAD_ORDER) that puts the routes compared within a
// round at the same position. The routes are registered at the end, in that order.
const routes = {};
// all methods: the receiver answers a GET itself (405 method_not_allowed), as its docs recommend
routes.sdk = () => app.all('/sdk', sdk);

// --- hand-written --------------------------------------------------------------------------------
const KINDS = new Set(['inboundMessage', 'outboundMessage', 'InboundCall', 'HangupCall', 'ringAttempt', 'ExtensionAnswered', 'inboundCallCompleted', 'voicemailHangup', 'outboundCall', 'queueEntered']);
const bad = (res, status, code) => res.status(status).json({ error: { code } });

routes.hand = () => app.post('/hand', (req, res, next) => {
  if (req.query.token !== TOKEN) return bad(res, 401, 'unauthorized');
  next();
}, express.raw({ type: () => true, limit: LIMIT }), (req, res) => {
  const ct = req.headers['content-type'] || '';
  const text = Buffer.isBuffer(req.body) ? req.body.toString() : '';
  let f;
  let required;
  let eventType;
  if (ct.startsWith('application/json')) {
    let d;
    try {
      d = JSON.parse(text);
    } catch {
      return bad(res, 400, 'invalid_json');
    }
    if (d === null || typeof d !== 'object') return bad(res, 400, 'invalid_json');
    eventType = d.eventType;
    f = { key: d.conversationID, containerId: d.containerID, tenantId: d.tenantID, toNumber: d.toNumber, fromNumber: d.fromNumber, text: d.messageText };
    required = ['containerId', 'tenantId', 'toNumber', 'fromNumber'];
  } else if (ct.startsWith('application/x-www-form-urlencoded')) {
    const q = new URLSearchParams(text);
    eventType = q.get('eventType');
    f = { key: q.get('callUuid'), containerId: q.get('containerId'), tenantId: q.get('tenantId'), callUuid: q.get('callUuid'), text: q.get('callerIdName') };
    required = ['containerId', 'tenantId', 'callUuid'];
  } else {
    return bad(res, 415, 'unsupported_content_type');
  }
  if (!KINDS.has(eventType)) return bad(res, 400, 'unknown_event_type');
  for (const r of required) if (f[r] == null || f[r] === '') return bad(res, 400, 'missing_field');
  record('hand', String(f.key), f.text);
  res.json({ ok: true });
});

routes.empty = () => app.post('/empty', express.raw({ type: () => true, limit: LIMIT }), (_req, res) => res.json({ ok: true }));

for (const name of (process.env.PV_LOAD_ORDER || 'sdk,hand,empty').split(',')) routes[name]();

app.get('/__stats', (_req, res) => {
  res.json({ pid: process.pid, calls: Object.fromEntries(Object.entries(calls).map(([r, m]) => [r, Object.fromEntries(m)])) });
});

// Errors thrown by a handler (and by express.raw on an oversized body) end here.
app.use((err, _req, res, _next) => {
  if (res.headersSent) return;
  const status = err.status || err.statusCode || 500;
  res.status(status).json({ error: { code: status === 413 ? 'body_too_large' : status === 500 ? 'handler_failed' : 'bad_request' } });
});

const server = app.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
