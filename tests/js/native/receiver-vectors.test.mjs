// Every shared receiver vector (tests/receivers/) against the Node receivers (node:http, Express
// 5 and 4, Fastify 5 and 4), each on a real server on 127.0.0.1, requests sent over a raw socket.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import express5 from 'express';
import express4 from 'express4';
import Fastify5 from 'fastify';
import Fastify4 from 'fastify4';
import pv, { IMPL } from '../impl.mjs';
import { VECTORS, send, check } from '../receiver-vectors.mjs';

if (IMPL !== 'native') throw new Error('tests/js/native/ is for PRIMEVOX_IMPL=native only (the Node receivers)');

const { expressMiddleware, fastifyPlugin, httpHandler } = pv;
const PATH = '/primevox';

async function listen(server) {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: server.address().port, stop: () => stopServer(server) };
}

async function stopServer(server) {
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
}

// Each maker starts a server whose receiver owns PATH (every method), with `onEvent`;
// `readsBodyFirst`: something in front of the receiver consumes the raw body.
const MAKERS = {
  'node:http': async (onEvent, options, readsBodyFirst) => {
    const handler = httpHandler(onEvent, options);
    const server = http.createServer((req, res) => {
      if (!readsBodyFirst) return handler(req, res);
      req.on('data', () => {});
      req.on('end', () => handler(req, res));
    });
    return listen(server);
  },
  ...Object.fromEntries(
    [['Express 5', express5], ['Express 4', express4]].map(([name, express]) => [
      name,
      async (onEvent, options, readsBodyFirst) => {
        const app = express();
        if (readsBodyFirst) app.use(express.urlencoded({ extended: false }), express.json());
        app.all(PATH, expressMiddleware(onEvent, options));
        return listen(http.createServer(app));
      },
    ]),
  ),
  ...Object.fromEntries(
    [['Fastify 5', Fastify5], ['Fastify 4', Fastify4]].map(([name, Fastify]) => [
      name,
      async (onEvent, options, readsBodyFirst) => {
        const app = Fastify({ logger: false });
        // A hook in front of the plugin that hands the route an already parsed body, as a
        // parser outside the plugin's context would.
        if (readsBodyFirst) app.addHook('preHandler', async (request) => { request.body = { parsed: true }; });
        await app.register(fastifyPlugin, { prefix: PATH, onEvent, ...options });
        await app.listen({ port: 0, host: '127.0.0.1' });
        return { port: app.server.address().port, stop: () => app.close() };
      },
    ]),
  ),
};

for (const [name, make] of Object.entries(MAKERS)) {
  describe(`${name}: shared receiver vectors`, () => {
    for (const v of VECTORS) {
      test(`${v.file} ${v.name}`, async () => {
        if (v.expect.optionError !== undefined) {
          await assert.rejects(
            async () => (await make(() => {}, v.options, false)).stop(),
            (err) => {
              assert.ok(err instanceof TypeError, `${v.name}: ${err}`);
              assert.ok(err.message.startsWith(v.expect.optionError), `${v.name}: ${err.message}`);
              if (v.expect.messageContains) assert.ok(err.message.includes(v.expect.messageContains), `${v.name}: ${err.message}`);
              return true;
            },
          );
          return;
        }
        const events = [];
        const onEvent = (event) => {
          events.push(event);
          if (v.handler === 'throws') throw new Error('deliberate handler failure at /srv/app/secret.js:12');
        };
        const logs = [];
        const { error, warn } = console;
        console.error = console.warn = (...a) => logs.push(a.map((x) => (x instanceof Error ? `${x.message}\n${x.stack}` : String(x))).join(' '));
        const server = await make(onEvent, v.options, v.handler === 'reads_body_first');
        try {
          const answer = await send(server.port, v.request);
          check(v, answer, events, logs);
        } finally {
          console.error = error;
          console.warn = warn;
          await server.stop();
        }
      });
    }
  });
}

test('every vector file was read', () => {
  assert.ok(VECTORS.length >= 60, `only ${VECTORS.length} vectors`);
});

// 16.13: a body that does not come in time is answered 408 (bodyTimeoutMs, the core's default
// otherwise), so a slow sender cannot hold the receiver.
for (const [name, make] of Object.entries(MAKERS)) {
  test(`${name}: a body slower than bodyTimeoutMs is answered 408 request_timeout`, async () => {
    const events = [];
    const server = await make((e) => events.push(e), { bodyTimeoutMs: 300 }, false);
    try {
      const started = Date.now();
      const answer = await send(server.port, {
        method: 'POST',
        path: PATH,
        query: '',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '500' },
        body: 'eventType=InboundCall',
      }, 5000);
      assert.equal(answer.status, 408, answer.body);
      assert.equal(JSON.parse(answer.body).error.code, 'request_timeout');
      assert.ok(Date.now() - started >= 250, 'answered before the timeout');
      assert.equal(events.length, 0);
    } finally {
      await server.stop();
    }
  });
}
