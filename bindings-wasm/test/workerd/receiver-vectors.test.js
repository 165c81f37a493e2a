// Every shared receiver vector (tests/receivers/) against the Workers fetch handler and the Hono
// middleware, inside workerd. A Worker knows no socket peer: the vectors whose sender is
// accepted by its socket address (127.0.0.1) cannot hold here and are listed, with the reason.
import { describe, test, expect } from 'vitest';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { createFetchHandler, primevoxWebhook } from 'primevox-webhooks-wasm';

const VECTORS = JSON.parse(env.RECEIVER_VECTORS_JSON);
const NO_SOCKET_PEER = 'a Worker has no socket peer address (only an opted-in peerHeader): allow refuses (16.2)';
const NOT_HERE = {
  'allow-loopback': NO_SOCKET_PEER,
  'allow-mapped-entry': NO_SOCKET_PEER,
  'allow-mapped-range': NO_SOCKET_PEER,
  'xff-trusted-proxy': NO_SOCKET_PEER,
  'xff-proxy-chain': NO_SOCKET_PEER,
  'forwarded-trusted-proxy': NO_SOCKET_PEER,
};

test('the vectors not run here exist (no stale exclusions)', () => {
  const names = new Set(VECTORS.map((v) => v.name));
  for (const name of Object.keys(NOT_HERE)) expect(names.has(name), name).toBe(true);
  expect(VECTORS.length).toBeGreaterThanOrEqual(60);
});

function bodyOf(request) {
  if (request.bodyBase64 !== undefined) return Uint8Array.from(atob(request.bodyBase64), (c) => c.charCodeAt(0));
  if (request.bodyRepeat !== undefined) return new TextEncoder().encode(request.bodyRepeat.text.repeat(request.bodyRepeat.times));
  return new TextEncoder().encode(request.body ?? '');
}

function requestOf(r) {
  const url = `https://hooks.example.test${r.path}${r.query ? `?${r.query}` : ''}`;
  const init = { method: r.method, headers: { ...r.headers } };
  if (r.method !== 'GET' && r.method !== 'HEAD') {
    const bytes = bodyOf(r);
    // A body that stops coming: the first bytes, then nothing (the stream never closes).
    if (r.stallAfterBytes !== undefined) {
      init.body = new ReadableStream({ start(c) { c.enqueue(bytes.subarray(0, r.stallAfterBytes)); } });
      return new Request(url, init);
    }
    // A chunked body: a stream, so no Content-Length is known.
    init.body = r.chunked
      ? new ReadableStream({ start(c) { for (let i = 0; i < bytes.length; i += 16384) c.enqueue(bytes.subarray(i, i + 16384)); c.close(); } })
      : bytes;
  }
  return new Request(url, init);
}

// What the app does in front of the receiver for `reads_body_first`: read the body itself.
async function readFirst(request) {
  await request.arrayBuffer();
}

const RECEIVERS = {
  'Workers fetch': (onEvent, options) => {
    const fetch = createFetchHandler(onEvent, options);
    return async (request, readsFirst) => {
      if (readsFirst) await readFirst(request);
      return fetch(request, {}, { waitUntil() {} });
    };
  },
  Hono: (onEvent, options) => {
    const app = new Hono();
    app.all('/primevox', async (c, next) => {
      if (c.env.readsFirst) await c.req.text();
      await next();
    }, primevoxWebhook(options), async (c) => {
      await onEvent(c.get('primevoxEvent'));
    });
    return (request, readsFirst) => app.fetch(request, { readsFirst });
  },
};

for (const [name, make] of Object.entries(RECEIVERS)) {
  describe(`${name}: shared receiver vectors`, () => {
    for (const v of VECTORS) {
      if (NOT_HERE[v.name]) continue;
      test(`${v.file} ${v.name}`, async () => {
        const what = `${v.name}: ${v.description}`;
        if (v.expect.optionError !== undefined) {
          let err;
          try {
            make(() => {}, v.options);
          } catch (e) {
            err = e;
          }
          expect(err, what).toBeInstanceOf(TypeError);
          expect(err.message.startsWith(v.expect.optionError), `${what}: ${err.message}`).toBe(true);
          if (v.expect.messageContains) expect(err.message, what).toContain(v.expect.messageContains);
          return;
        }
        const events = [];
        const logs = [];
        const { error, warn } = console;
        console.error = console.warn = (...a) => logs.push(a.map(String).join(' '));
        let res;
        try {
          const receive = make((event) => {
            events.push(event);
            if (v.handler === 'throws') throw new Error('deliberate handler failure at /srv/app/secret.js:12');
          }, v.options);
          res = await receive(requestOf(v.request), v.handler === 'reads_body_first');
        } finally {
          console.error = error;
          console.warn = warn;
        }
        const text = await res.text();
        expect(res.status, `${what}: ${text}`).toBe(v.expect.status);
        expect(res.headers.get('content-type'), what).toMatch(/^application\/json/);
        const got = JSON.parse(text);
        const want = v.expect.body;
        if (want.error && want.error.message === undefined) {
          expect(typeof got.error.message, what).toBe('string');
          expect({ ...got.error, message: undefined }, what).toStrictEqual({ ...want.error, message: undefined });
        } else {
          expect(got, what).toStrictEqual(want);
        }
        for (const [k, val] of Object.entries(v.expect.headers ?? {})) expect(res.headers.get(k), `${what}: ${k}`).toBe(val);
        if (v.expect.event) {
          expect(events.length, what).toBe(1);
          const canonical = JSON.parse(JSON.stringify(events[0]));
          for (const [k, val] of Object.entries(v.expect.event)) expect(canonical[k], `${what}: ${k}`).toStrictEqual(val);
        }
        if (v.expect.status !== 200 && v.handler !== 'throws') expect(events.length, what).toBe(0);
        if (v.expect.learn) expect(logs.some((l) => /allow/.test(l)), what).toBe(true);
        if (v.handler === 'throws') {
          expect(logs.some((l) => l.includes('deliberate handler failure')), what).toBe(true);
          expect(text, what).not.toContain('deliberate');
        }
      });
    }
  });
}
