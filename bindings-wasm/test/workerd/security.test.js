// Keeping strangers out, inside workerd: token (query or header, rotation, from env) and sender
// allow-list, refused before the body is read.
import { describe, test, expect } from 'vitest';
import { Hono } from 'hono';
import { createFetchHandler, primevoxWebhook, verifyToken, queryParam, AllowList } from 'primevox-webhooks-wasm';

const FORM = 'application/x-www-form-urlencoded';
const CALL = 'eventType=InboundCall&containerId=1001&tenantId=42&callUuid=0f8e5c62-4b7d-4c1e-9a3b-2d6f8e1c7a90';
const ctx = { waitUntil() {} };

// A body that counts how often it is read.
function countedRequest(url, headers = {}) {
  const state = { pulls: 0 };
  const bytes = new TextEncoder().encode(CALL);
  const body = new ReadableStream({
    pull(c) {
      state.pulls++;
      if (state.pulls === 1) c.enqueue(bytes);
      else c.close();
    },
  }, { highWaterMark: 0 }); // pulled only when read
  return [new Request(url, { method: 'POST', body, headers: { 'content-type': FORM, ...headers } }), state];
}

describe('helpers', () => {
  test('verifyToken: constant-time match against one or several tokens', () => {
    expect(verifyToken('s3cret', 's3cret')).toBe(true);
    expect(verifyToken('s3cret', ['old', 's3cret'])).toBe(true);
    expect(verifyToken('s3cre', 's3cret')).toBe(false);
    expect(verifyToken('', '')).toBe(false);
    expect(verifyToken(null, 's3cret')).toBe(false);
    expect(verifyToken(undefined, ['a'])).toBe(false);
    expect(() => verifyToken('a', 42)).toThrow(TypeError);
  });
  test('queryParam and AllowList', () => {
    expect(queryParam('?a=1&token=x%2By+z', 'token')).toBe('x+y z');
    expect(queryParam('a=1', 'token')).toBe(null);
    const allow = new AllowList(['203.0.113.0/24', '2001:db8::/32', '198.51.100.7']);
    expect(allow.contains('203.0.113.9')).toBe(true);
    expect(allow.contains('198.51.100.7')).toBe(true);
    expect(allow.contains('198.51.100.8')).toBe(false);
    expect(allow.contains('2001:db8::1')).toBe(true);
    expect(allow.contains('::ffff:203.0.113.1')).toBe(true);
    expect(allow.contains('not an address')).toBe(false);
    expect(() => new AllowList(['203.0.113.0/33'])).toThrow(/prefix/);
  });
});

describe('createFetchHandler with a token', () => {
  const seen = [];
  const fetch = createFetchHandler((e) => void seen.push(e.kind), { token: ['old-token', 'new-token'] });

  test('right token in the query: 200', async () => {
    const [req] = countedRequest('https://example.test/hook?token=new-token');
    expect((await fetch(req, {}, ctx)).status).toBe(200);
    const [req2] = countedRequest('https://example.test/hook?x=1&token=old-token');
    expect((await fetch(req2, {}, ctx)).status).toBe(200);
  });

  test('missing or wrong token: 401 and the body is never read', async () => {
    for (const url of ['https://example.test/hook', 'https://example.test/hook?token=nope', 'https://example.test/hook?token=']) {
      const [req, state] = countedRequest(url);
      const res = await fetch(req, {}, ctx);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('unauthorized');
      expect(state.pulls).toBe(0);
    }
  });

  test('token in a header; token from env (an unset secret refuses everything)', async () => {
    const byHeader = createFetchHandler(() => {}, { token: 't0k', tokenHeader: 'x-webhook-token' });
    let [req] = countedRequest('https://example.test/hook', { 'x-webhook-token': 't0k' });
    expect((await byHeader(req, {}, ctx)).status).toBe(200);
    [req] = countedRequest('https://example.test/hook', { 'x-webhook-token': 'bad' });
    expect((await byHeader(req, {}, ctx)).status).toBe(401);

    const fromEnv = createFetchHandler(() => {}, { token: (env) => env.WEBHOOK_TOKEN });
    [req] = countedRequest('https://example.test/hook?token=abc');
    expect((await fromEnv(req, { WEBHOOK_TOKEN: 'abc' }, ctx)).status).toBe(200);
    [req] = countedRequest('https://example.test/hook?token=abc');
    expect((await fromEnv(req, {}, ctx)).status).toBe(401);
    [req] = countedRequest('https://example.test/hook?token=');
    expect((await fromEnv(req, { WEBHOOK_TOKEN: '' }, ctx)).status).toBe(401);
  });

  test('an empty configured token or a bad range is a configuration error', () => {
    expect(() => createFetchHandler(() => {}, { token: '' })).toThrow(TypeError);
    expect(() => createFetchHandler(() => {}, { token: ['a', ''] })).toThrow(TypeError);
    expect(() => createFetchHandler(() => {}, { token: [] })).toThrow(TypeError);
    expect(() => createFetchHandler(() => {}, { allow: ['10.0.0.0/99'] })).toThrow(TypeError);
  });

  test('tokenQuery: another parameter, or null to ignore the query', async () => {
    const other = createFetchHandler(() => {}, { token: 'k', tokenQuery: 'key' });
    let [req] = countedRequest('https://example.test/hook?key=k');
    expect((await other(req, {}, ctx)).status).toBe(200);
    [req] = countedRequest('https://example.test/hook?token=k');
    expect((await other(req, {}, ctx)).status).toBe(401);
    const headerOnly = createFetchHandler(() => {}, { token: 'k', tokenQuery: null, tokenHeader: 'x-token' });
    [req] = countedRequest('https://example.test/hook?token=k');
    expect((await headerOnly(req, {}, ctx)).status).toBe(401);
    [req] = countedRequest('https://example.test/hook', { 'x-token': 'k' });
    expect((await headerOnly(req, {}, ctx)).status).toBe(200);
  });
});

describe('allow', () => {
  test('a client-supplied CF-Connecting-IP is not trusted unless peerHeader names it: 403 (16.2)', async () => {
    const plain = createFetchHandler(() => {}, { allow: ['203.0.113.0/24'] });
    const [req, state] = countedRequest('https://example.test/hook', { 'cf-connecting-ip': '203.0.113.20' });
    const res = await plain(req, {}, ctx);
    expect(res.status).toBe(403);
    expect(state.pulls).toBe(0);
  });
  const fetch = createFetchHandler(() => {}, { allow: ['203.0.113.0/24'], peerHeader: 'cf-connecting-ip' });
  test('allowed sender: 200; others and unknown: 403 before reading', async () => {
    let [req] = countedRequest('https://example.test/hook', { 'cf-connecting-ip': '203.0.113.20' });
    expect((await fetch(req, {}, ctx)).status).toBe(200);
    for (const headers of [{ 'cf-connecting-ip': '192.0.2.1' }, {}]) {
      const [r, state] = countedRequest('https://example.test/hook', headers);
      const res = await fetch(r, {}, ctx);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('forbidden');
      expect(state.pulls).toBe(0);
    }
  });
});

describe('Hono middleware with a token from env', () => {
  const app = new Hono();
  app.post('/hook', primevoxWebhook({ token: (env) => env.WEBHOOK_TOKEN }), (c) => c.json({ kind: c.get('primevoxEvent').kind }));
  test('401 without, 200 with', async () => {
    const env = { WEBHOOK_TOKEN: 'hono-secret' };
    const init = { method: 'POST', body: CALL, headers: { 'content-type': FORM } };
    expect((await app.request('/hook', init, env)).status).toBe(401);
    const res = await app.request('/hook?token=hono-secret', init, env);
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ kind: 'call.inbound' });
  });
});

describe('an unset token never turns the check off (16.1)', () => {
  test('token present but undefined, null or empty throws when the receiver is made', () => {
    for (const token of [undefined, null, '', []]) {
      expect(() => createFetchHandler(() => {}, { token }), String(token)).toThrow(TypeError);
      expect(() => primevoxWebhook({ token }), String(token)).toThrow(TypeError);
    }
    expect(() => createFetchHandler(() => {}, { token: 'a+b' })).toThrow(/token_urlsafe/);
  });
});
