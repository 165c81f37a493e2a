// The native package's Node receivers (Express, Fastify, node:http) against real servers on
// 127.0.0.1 with real fetch POSTs. Node-framework-specific: runs for PRIMEVOX_IMPL=native only
// (the wasm package has its own Workers receivers and tests).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import express5 from 'express';
import express4 from 'express4';
import Fastify5 from 'fastify';
import Fastify4 from 'fastify4';
import pv, { IMPL } from '../impl.mjs';

if (IMPL !== 'native') throw new Error('tests/js/native/ is for PRIMEVOX_IMPL=native only (the Node receivers)');

const { expressMiddleware, keepRawBody, fastifyPlugin, httpHandler } = pv;

const FORM = 'application/x-www-form-urlencoded';
const CALL =
  'eventType=InboundCall&eventTarget=phoneNumber&containerId=1001&tenantId=42&didNumber=%2B15125550100' +
  '&didDescription=Main+line&callUuid=0f8e5c62-4b7d-4c1e-9a3b-2d6f8e1c7a90&callerIdNum=5125550199&callerIdName=JANE+DOE';
const MESSAGE = JSON.stringify({
  eventType: 'inboundMessage',
  toNumber: '+15125550100',
  fromNumber: '+17375550142',
  containerID: '3547',
  tenantID: '118',
  conversationID: '88213',
  messageText: 'héllo "there" 😀\nbye',
});
const BAD_CALL = 'eventType=InboundCall&containerId=1001&tenantId=42'; // no callUuid
const EXPECTED_CALL = pv.parse(CALL, FORM);
const EXPECTED_MESSAGE = pv.parse(MESSAGE, 'application/json');

async function post(url, body, contentType, extraHeaders = {}) {
  const headers = { ...extraHeaders };
  if (contentType !== null) headers['content-type'] = contentType;
  const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

async function listen(server) {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${server.address().port}`;
}

async function stop(server) {
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
}

// The checks every receiver must pass; `mk(onEvent)` starts a server and returns its hook URL.
// `jsonParserFirst`: express.json() runs before the middleware, so it (not the core) rejects
// malformed JSON, with its own 400.
function commonChecks(name, mk, { jsonParserFirst = false } = {}) {
  describe(`${name}: common behaviour`, () => {
    let url;
    let stopIt;
    const got = [];
    before(async () => {
      ({ url, stop: stopIt } = await mk((event) => {
        got.push(event);
      }));
    });
    after(() => stopIt());

    test('form POST -> 200 and the handler gets the event', async () => {
      got.length = 0;
      const r = await post(url, CALL, FORM);
      assert.equal(r.status, 200, r.text);
      assert.deepStrictEqual(r.json, { ok: true });
      assert.deepStrictEqual(got, [EXPECTED_CALL]);
    });

    test('JSON POST -> 200 and the handler gets the event', async () => {
      got.length = 0;
      const r = await post(url, MESSAGE, 'application/json; charset=utf-8');
      assert.equal(r.status, 200, r.text);
      assert.deepStrictEqual(got, [EXPECTED_MESSAGE]);
    });

    test('no Content-Type: decided from the body', async () => {
      got.length = 0;
      const r = await post(url, Buffer.from(CALL), null);
      assert.equal(r.status, 200, r.text);
      assert.deepStrictEqual(got, [EXPECTED_CALL]);
    });

    test('bad payload -> 400 naming the code and field; handler not called', async () => {
      got.length = 0;
      const r = await post(url, BAD_CALL, FORM);
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, 'missing_field');
      assert.equal(r.json.error.field, 'callUuid');
      assert.equal(typeof r.json.error.message, 'string');
      const j = await post(url, '{"eventType":"inboundMessage",', 'application/json');
      assert.equal(j.status, 400);
      if (!jsonParserFirst) assert.equal(j.json.error.code, 'invalid_json');
      const e = await post(url, '', FORM);
      assert.equal(e.status, 400);
      assert.equal(e.json.error.code, 'empty_body');
      const m = await post(url, '--x\r\n', 'multipart/form-data; boundary=x');
      assert.equal(m.status, 400);
      assert.equal(m.json.error.code, 'unsupported_content_type');
      assert.equal(got.length, 0);
    });

    test('oversized body -> 400 body_too_large (declared length and chunked)', async () => {
      got.length = 0;
      const big = `${CALL}&padding=${'x'.repeat(70_000)}`;
      const r = await post(url, big, FORM);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.error.code, 'body_too_large');
      // Chunked: no Content-Length, so the limit is enforced while reading.
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(10_000)));
          controller.close();
        },
      });
      const res = await fetch(url, {
        method: 'POST',
        body: stream,
        duplex: 'half',
        headers: { 'content-type': FORM },
        signal: AbortSignal.timeout(10_000),
      });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error.code, 'body_too_large');
      assert.equal(got.length, 0);
      // The server still serves the next request.
      assert.equal((await post(url, CALL, FORM)).status, 200);
    });

    test('50 concurrent POSTs, both encodings', async () => {
      got.length = 0;
      const rs = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? post(url, CALL, FORM) : post(url, MESSAGE, 'application/json'))),
      );
      for (const r of rs) assert.equal(r.status, 200, r.text);
      assert.equal(got.length, 50);
      assert.equal(got.filter((e) => e.kind === 'call.inbound').length, 25);
    });
  });
}

// --- node:http -------------------------------------------------------------------------------

commonChecks('node:http httpHandler', async (onEvent) => {
  const server = http.createServer(httpHandler(onEvent));
  const base = await listen(server);
  return { url: `${base}/hook`, stop: () => stop(server) };
});

describe('node:http httpHandler: specifics', () => {
  test('GET -> 405; a handler that answers itself keeps its answer; a throwing handler -> 500', async () => {
    const errors = [];
    const server = http.createServer(
      httpHandler(
        async (event, req, res) => {
          if (event.callerIdName === 'THROW') throw new Error('boom');
          if (event.callerIdName === 'SELF') {
            res.writeHead(202, { 'content-type': 'text/plain' });
            res.end('accepted');
          }
        },
        { onError: (e) => errors.push(e), strict: false },
      ),
    );
    const url = await listen(server);
    try {
      const g = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      assert.equal(g.status, 405);
      assert.equal(g.headers.get('allow'), 'POST');
      await g.text();
      const self = await post(url, CALL.replace('JANE+DOE', 'SELF'), FORM);
      assert.equal(self.status, 202);
      assert.equal(self.text, 'accepted');
      const boom = await post(url, CALL.replace('JANE+DOE', 'THROW'), FORM);
      assert.equal(boom.status, 500);
      assert.equal(errors.length, 1);
      assert.equal(errors[0].message, 'boom');
    } finally {
      await stop(server);
    }
  });

  test('a sender that disconnects mid-body is not an error; the server keeps serving', async () => {
    const errors = [];
    const got = [];
    const server = http.createServer(httpHandler((e) => got.push(e), { onError: (e) => errors.push(e) }));
    const url = await listen(server);
    try {
      const { port } = server.address();
      for (let i = 0; i < 3; i++) {
        const sock = net.connect(port, '127.0.0.1');
        await once(sock, 'connect');
        sock.write(`POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nContent-Length: 1000\r\n\r\neventType=In`);
        await new Promise((r) => setTimeout(r, 30));
        sock.destroy();
      }
      await new Promise((r) => setTimeout(r, 50));
      assert.equal((await post(url, CALL, FORM)).status, 200);
      assert.deepStrictEqual(errors, []);
      assert.equal(got.length, 1);
    } finally {
      await stop(server);
    }
  });

  test('strict and maxBodyBytes options', async () => {
    const server = http.createServer(httpHandler(() => {}, { strict: true, maxBodyBytes: 300 }));
    const url = await listen(server);
    try {
      const r = await post(url, CALL.replace('InboundCall', 'inboundcall'), FORM);
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, 'unknown_event_type');
      const big = await post(url, `${CALL}&x=${'1'.repeat(300)}`, FORM);
      assert.equal(big.json.error.code, 'body_too_large');
      assert.equal((await post(url, CALL, FORM)).status, 200);
    } finally {
      await stop(server);
    }
  });
});

// --- Express (5 and 4) ----------------------------------------------------------------------

for (const [EX, express] of [['Express 5', express5], ['Express 4', express4]]) {
  commonChecks(`${EX} expressMiddleware (no body parser)`, async (onEvent) => {
    const app = express();
    app.post('/hook', expressMiddleware(onEvent));
    const server = http.createServer(app);
    const base = await listen(server);
    return { url: `${base}/hook`, stop: () => stop(server) };
  });

  commonChecks(`${EX} expressMiddleware after express.json()/urlencoded() with verify: keepRawBody`, async (onEvent) => {
    const app = express();
    app.use(express.json({ verify: keepRawBody, limit: '1mb' }));
    app.use(express.urlencoded({ verify: keepRawBody, extended: false, limit: '1mb' }));
    app.post('/hook', expressMiddleware(onEvent));
    // body-parser's own errors (malformed JSON reaches express.json() first).
    app.use((err, _req, res, _next) => res.status(err.status || 500).json({ error: { code: err.type } }));
    const server = http.createServer(app);
    const base = await listen(server);
    return { url: `${base}/hook`, stop: () => stop(server) };
  }, { jsonParserFirst: true });

  commonChecks(`${EX} expressMiddleware after express.raw()`, async (onEvent) => {
    const app = express();
    app.use(express.raw({ type: () => true, limit: '1mb' }));
    app.post('/hook', expressMiddleware(onEvent));
    const server = http.createServer(app);
    const base = await listen(server);
    return { url: `${base}/hook`, stop: () => stop(server) };
  });

  describe(`${EX}: specifics`, () => {
    test('express.json() ran first without keepRawBody: form bodies still work, JSON bodies get a clear 500', async () => {
      const got = [];
      const app = express();
      app.use(express.json());
      app.post('/hook', expressMiddleware((e) => got.push(e)));
      const server = http.createServer(app);
      const url = `${await listen(server)}/hook`;
      const originalError = console.error;
      const logged = [];
      console.error = (...a) => logged.push(a.join(' '));
      try {
        // express.json() leaves a form body unread: the middleware reads it.
        const f = await post(url, CALL, FORM);
        assert.equal(f.status, 200, f.text);
        // express.json() consumed the JSON body: the raw bytes are gone; say so, and how to fix it.
        const j = await post(url, MESSAGE, 'application/json');
        assert.equal(j.status, 500);
        assert.equal(j.json.error.code, 'body_consumed');
        assert.match(j.json.error.message, /keep the raw body/);
        assert.match(j.json.error.message, /before any body parser/);
        // Logged once per process, not once per request.
        assert.equal((await post(url, MESSAGE, 'application/json')).status, 500);
        assert.ok(logged.filter((l) => /body_consumed|consumed before/.test(l)).length <= 1, logged.join('\n'));
        assert.deepStrictEqual(got, [EXPECTED_CALL]);
      } finally {
        console.error = originalError;
        await stop(server);
      }
    });

    test('express.urlencoded() ran first: req.rawBody from verify is used; req.primevoxEvent is set; a throwing handler is 500 handler_failed, logged, no leak', async () => {
      const seen = [];
      const app = express();
      app.use(express.urlencoded({ extended: false, verify: keepRawBody }));
      app.post(
        '/hook',
        expressMiddleware((event, req, res) => {
          if (event.callerIdName === 'THROW') throw new Error('boom');
          seen.push(req.primevoxEvent === event);
          res.status(201).json({ dedup: pv.dedupKey(event) });
        }),
      );
      app.use((err, req, res, _next) => {
        res.status(503).json({ handled: err.message });
      });
      const server = http.createServer(app);
      const url = `${await listen(server)}/hook`;
      const originalError = console.error;
      const logged = [];
      console.error = (...a) => logged.push(a.map(String).join(' '));
      try {
        const r = await post(url, CALL, FORM);
        assert.equal(r.status, 201);
        assert.equal(r.json.dedup, pv.dedupKey(EXPECTED_CALL));
        assert.deepStrictEqual(seen, [true]);
        const boom = await post(url, CALL.replace('JANE+DOE', 'THROW'), FORM);
        assert.equal(boom.status, 500);
        assert.deepStrictEqual(boom.json, {
          error: { code: 'handler_failed', field: null, message: 'the webhook handler failed' },
        });
        assert.ok(logged.some((l) => /boom/.test(l)), 'the error is logged on the server');
      } finally {
        console.error = originalError;
        await stop(server);
      }
    });
  });
}

// --- Fastify (5 and 4) ----------------------------------------------------------------------

for (const [FY, Fastify] of [['Fastify 5', Fastify5], ['Fastify 4', Fastify4]]) {
  commonChecks(`${FY} fastifyPlugin`, async (onEvent) => {
    const app = Fastify({ logger: false });
    await app.register(fastifyPlugin, { prefix: '/hook', onEvent });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      url: `http://127.0.0.1:${app.server.address().port}/hook`,
      stop: () => app.close(),
    };
  });

  describe(`${FY}: specifics`, () => {
    test('the plugin is encapsulated: other routes keep Fastify\'s JSON parser; path and reply work', async () => {
      const got = [];
      const app = Fastify({ logger: false });
      app.post('/other', async (request) => ({ echoed: request.body }));
      await app.register(fastifyPlugin, {
        prefix: '/pv',
        path: '/events',
        strict: true,
        onEvent: async (event, request, reply) => {
          got.push(event);
          if (event.callerIdName === 'SELF') return reply.code(202).send({ mine: true });
        },
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${app.server.address().port}`;
      try {
        const other = await post(`${base}/other`, '{"a":1}', 'application/json');
        assert.deepStrictEqual(other.json, { echoed: { a: 1 } });
        const ok = await post(`${base}/pv/events`, CALL, FORM);
        assert.equal(ok.status, 200, ok.text);
        const self = await post(`${base}/pv/events`, CALL.replace('JANE+DOE', 'SELF'), FORM);
        assert.equal(self.status, 202);
        assert.deepStrictEqual(self.json, { mine: true });
        const strict = await post(`${base}/pv/events`, CALL.replace('InboundCall', 'inboundcall'), FORM);
        assert.equal(strict.status, 400);
        assert.equal(strict.json.error.code, 'unknown_event_type');
        assert.equal(got.length, 2);
      } finally {
        await app.close();
      }
    });
  });
}

// --- Sender checks: token (query or header, rotation) and address allow-list -------------------

const MAKERS = {
  'node:http': async (onEvent, options) => {
    const server = http.createServer(httpHandler(onEvent, options));
    const base = await listen(server);
    return { url: `${base}/hook`, stop: () => stop(server) };
  },
  Express: async (onEvent, options) => {
    const app = express5();
    app.post('/hook', expressMiddleware(onEvent, options));
    const server = http.createServer(app);
    const base = await listen(server);
    return { url: `${base}/hook`, stop: () => stop(server) };
  },
  'Express 4': async (onEvent, options) => {
    const app = express4();
    app.post('/hook', expressMiddleware(onEvent, options));
    const server = http.createServer(app);
    const base = await listen(server);
    return { url: `${base}/hook`, stop: () => stop(server) };
  },
  'Fastify 4': async (onEvent, options) => {
    const app = Fastify4({ logger: false });
    await app.register(fastifyPlugin, { prefix: '/hook', onEvent, ...options });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { url: `http://127.0.0.1:${app.server.address().port}/hook`, stop: () => app.close() };
  },
  Fastify: async (onEvent, options) => {
    const app = Fastify5({ logger: false });
    await app.register(fastifyPlugin, { prefix: '/hook', onEvent, ...options });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { url: `http://127.0.0.1:${app.server.address().port}/hook`, stop: () => app.close() };
  },
};

for (const [name, mk] of Object.entries(MAKERS)) {
  describe(`${name}: sender checks`, () => {
    test('token from the query or a header, rotation; 401 before the body is parsed', async () => {
      const got = [];
      const { url, stop: stopIt } = await mk((e) => got.push(e), {
        token: ['old-secret', 'new-s3cret_.~'],
        tokenHeader: 'X-PrimeVOX-Token',
      });
      try {
        const none = await post(url, CALL, FORM);
        assert.equal(none.status, 401);
        assert.deepStrictEqual(none.json.error.code, 'unauthorized');
        const wrong = await post(`${url}?token=nope`, CALL, FORM);
        assert.equal(wrong.status, 401);
        const prefix = await post(`${url}?token=old-secre`, CALL, FORM);
        assert.equal(prefix.status, 401);
        // A bad body with no token is refused for the token, not parsed.
        const badBody = await post(url, BAD_CALL, FORM);
        assert.equal(badBody.status, 401);
        assert.equal((await post(`${url}?a=1&token=old-secret`, CALL, FORM)).status, 200);
        // Query values are form-decoded; header values are trimmed of spaces (the core's rule).
        assert.equal((await post(`${url}?token=new-s3cret_.%7E`, CALL, FORM)).status, 200);
        assert.equal((await post(url, MESSAGE, 'application/json', { 'x-primevox-token': ' new-s3cret_.~ ' })).status, 200);
        assert.equal((await post(url, CALL, FORM, { 'x-primevox-token': 'nope' })).status, 401);
        // With a token, a bad payload is still a 400.
        assert.equal((await post(`${url}?token=old-secret`, BAD_CALL, FORM)).status, 400);
        assert.equal(got.length, 3);
      } finally {
        await stopIt();
      }
    });

    test('address allow-list: 403 outside the ranges, 200 inside', async () => {
      const outside = await mk(() => {}, { allow: ['10.0.0.0/8', '2001:db8::/32'] });
      try {
        const r = await post(outside.url, CALL, FORM);
        assert.equal(r.status, 403);
        assert.equal(r.json.error.code, 'forbidden');
      } finally {
        await outside.stop();
      }
      const inside = await mk(() => {}, { allow: ['203.0.113.7', '127.0.0.0/8'], token: 't' });
      try {
        assert.equal((await post(`${inside.url}?token=t`, CALL, FORM)).status, 200);
        assert.equal((await post(inside.url, CALL, FORM)).status, 401);
      } finally {
        await inside.stop();
      }
    });

    test('senders that disconnect mid-body: handler not called, server keeps serving', async () => {
      const got = [];
      const { url, stop: stopIt } = await mk((e) => got.push(e), {});
      try {
        const { port } = new URL(url);
        for (let i = 0; i < 3; i++) {
          const sock = net.connect(Number(port), '127.0.0.1');
          await once(sock, 'connect');
          sock.write(`POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nContent-Length: 1000\r\n\r\neventType=In`);
          await new Promise((r) => setTimeout(r, 30));
          sock.destroy();
        }
        assert.equal((await post(url, CALL, FORM)).status, 200);
        assert.equal(got.length, 1);
      } finally {
        await stopIt();
      }
    });

    test('bad options are refused when the receiver is made', async () => {
      await assert.rejects(() => mk(() => {}, { allow: ['not-an-address'] }), /not-an-address/);
      await assert.rejects(() => mk(() => {}, { token: '' }), TypeError);
      await assert.rejects(() => mk(() => {}, { token: [] }), TypeError);
      // A token option present but unset (an unset environment variable) never turns the check off.
      await assert.rejects(() => mk(() => {}, { token: undefined }), /^TypeError: token/);
      await assert.rejects(() => mk(() => {}, { token: null }), TypeError);
      await assert.rejects(() => mk(() => {}, { token: 'a+b' }), /token_urlsafe/);
    });
  });
}
