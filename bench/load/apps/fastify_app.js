'use strict';
// The Fastify receivers under load (bench/load/run.py starts this: node fastify_app.js PORT).
//
//   POST /sdk    the SDK's receiver: app.register(fastifyPlugin, { path: '/sdk', onEvent, token })
//   POST /hand   a minimal hand-written receiver making the same checks (handcheck.js), the body
//                read by Fastify's own buffer parser with its bodyLimit
//   POST /empty  reads the body and answers 200 {"ok":true}: the framework's ceiling
//   GET  /__stats   handler calls per delivery key, per route
//
// A delivery whose caller name (or message text) contains THROW makes the handler throw after
// counting. Adapting to a new receiver API: only the `sdk` lines below change.
const Fastify = require('fastify');
const pv = require('../../../bindings-node/index.js');
const { LIMIT, record, snapshot, check } = require('./handcheck.js');

const TOKEN = process.env.PV_LOAD_TOKEN || 'load-token';
const app = Fastify({ logger: false });

// --- the SDK -------------------------------------------------------------------------------------
app.register(pv.fastifyPlugin, {
  path: '/sdk',
  token: TOKEN,
  onEvent: (event) => record('sdk', event.callUuid ?? event.conversationId ?? '?', event.callerIdName ?? event.messageText),
});

// --- hand-written and empty (their own context: any body as a Buffer, bounded) -----------------
app.register(async (ctx) => {
  ctx.removeAllContentTypeParsers();
  ctx.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: LIMIT }, (_req, body, done) => done(null, body));
  ctx.post('/hand', async (req, reply) => {
    if (req.query.token !== TOKEN) return reply.code(401).send({ error: { code: 'unauthorized' } });
    const got = check(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), req.headers['content-type']);
    if (got.status) return reply.code(got.status).send({ error: { code: got.code } });
    record('hand', got.key, got.text);
    return { ok: true };
  });
  ctx.post('/empty', async () => ({ ok: true }));
});

app.get('/__stats', async () => snapshot());

app.listen({ port: Number(process.argv[2] || 0), host: '127.0.0.1' }).then((addr) => console.log(`listening ${addr}`));
