// parseRequest, the fetch handler factory and the Hono middleware, inside workerd.
import { describe, test, expect } from 'vitest';
import { Hono } from 'hono';
import {
  parseRequest,
  createFetchHandler,
  primevoxWebhook,
  ParseError,
  parse,
} from 'primevox-webhooks-wasm';

const FORM = 'application/x-www-form-urlencoded';
const CALL =
  'eventType=InboundCall&eventTarget=phoneNumber&containerId=1001&tenantId=42&didNumber=%2B15125550100' +
  '&callUuid=0f8e5c62-4b7d-4c1e-9a3b-2d6f8e1c7a90&callerIdNum=5125550199&callerIdName=JANE+DOE';
const MESSAGE = JSON.stringify({
  eventType: 'inboundMessage',
  containerID: '1001',
  tenantID: '42',
  toNumber: '+15125550100',
  fromNumber: '+17375550142',
  messageText: 'Hi ☎ "there"',
});

const post = (body, contentType, url = 'https://example.test/hook') =>
  new Request(url, { method: 'POST', body, headers: contentType ? { 'content-type': contentType } : {} });

function streamOf(chunks, onPull) {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      onPull?.(i);
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
  });
}

describe('parseRequest', () => {
  test('form and JSON requests give the same events as parse()', async () => {
    expect(await parseRequest(post(CALL, FORM))).toStrictEqual(parse(CALL, FORM));
    const m = await parseRequest(post(MESSAGE, 'application/json; charset=utf-8'));
    expect(m).toStrictEqual(parse(MESSAGE, 'application/json'));
    expect(m.kind).toBe('message.inbound');
    expect(m.messageText).toBe('Hi ☎ "there"');
  });

  test('no content type: decided from the body', async () => {
    expect((await parseRequest(post(CALL))).kind).toBe('call.inbound');
    expect((await parseRequest(post(MESSAGE))).kind).toBe('message.inbound');
  });

  test('a body in many chunks is joined', async () => {
    const bytes = new TextEncoder().encode(CALL);
    const chunks = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.slice(i, i + 7));
    const req = new Request('https://example.test/', { method: 'POST', body: streamOf(chunks), headers: { 'content-type': FORM } });
    expect(await parseRequest(req)).toStrictEqual(parse(CALL, FORM));
  });

  test('bad payloads reject with ParseError', async () => {
    await expect(parseRequest(post('', FORM))).rejects.toMatchObject({ code: 'empty_body' });
    await expect(parseRequest(new Request('https://example.test/'))).rejects.toBeInstanceOf(ParseError);
    await expect(parseRequest(post('eventType=InboundCall&containerId=1', FORM))).rejects.toMatchObject({
      code: 'missing_field',
      field: 'tenantId',
    });
    await expect(parseRequest(post(CALL, 'multipart/form-data; boundary=x'))).rejects.toMatchObject({
      code: 'unsupported_content_type',
    });
    await expect(parseRequest(post(CALL.replace('InboundCall', 'inboundcall'), FORM), { strict: true })).rejects.toMatchObject({
      code: 'unknown_event_type',
    });
  });

  test('an oversized streamed body is refused without reading it all', async () => {
    const chunk = new Uint8Array(1024).fill(0x61);
    const chunks = Array.from({ length: 1000 }, () => chunk); // 1 MB offered
    let pulls = 0;
    const req = new Request('https://example.test/', {
      method: 'POST',
      body: streamOf(chunks, () => pulls++),
      headers: { 'content-type': FORM },
    });
    await expect(parseRequest(req, { maxBodyBytes: 4096 })).rejects.toMatchObject({ code: 'body_too_large' });
    expect(pulls).toBeLessThan(20);
  });

  test('many concurrent requests in one isolate all get their own event', async () => {
    const reqs = Array.from({ length: 200 }, (_, i) =>
      i % 2 ? post(CALL.replace('1001', String(5000 + i)), FORM) : post(MESSAGE.replace('1001', String(5000 + i)), 'application/json'),
    );
    const events = await Promise.all(reqs.map((r) => parseRequest(r)));
    events.forEach((e, i) => {
      expect(e.containerId).toBe(String(5000 + i));
      expect(e.kind).toBe(i % 2 ? 'call.inbound' : 'message.inbound');
    });
  });
});

describe('createFetchHandler', () => {
  test('200 after the handler, 400 naming the code, 405 for GET', async () => {
    const seen = [];
    const env = { NAME: 'env' };
    const ctx = { waitUntil() {} };
    const fetch = createFetchHandler(async (event, request, e, c) => {
      expect(request).toBeInstanceOf(Request);
      expect(e).toBe(env);
      expect(c).toBe(ctx);
      seen.push(event.kind);
    });

    let res = await fetch(post(CALL, FORM), env, ctx);
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ ok: true });
    res = await fetch(post(MESSAGE, 'application/json'), env, ctx);
    expect(res.status).toBe(200);
    expect(seen).toStrictEqual(['call.inbound', 'message.inbound']);

    res = await fetch(post('eventType=InboundCall&containerId=1&tenantId=2', FORM), env, ctx);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await res.json();
    expect(body.error.code).toBe('missing_field');
    expect(body.error.field).toBe('callUuid');
    expect(typeof body.error.message).toBe('string');

    res = await fetch(new Request('https://example.test/hook'), env, ctx);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(seen.length).toBe(2);
  });

  test('a Response returned by the handler is the answer; a throw is 500 handler_failed, logged, not leaked', async () => {
    const fetch = createFetchHandler((event) => new Response(event.kind, { status: 202 }));
    const res = await fetch(post(CALL, FORM), {}, { waitUntil() {} });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('call.inbound');
    const failing = createFetchHandler(() => {
      throw new Error('boom');
    });
    const logged = [];
    const { error } = console;
    console.error = (...a) => logged.push(a.map(String).join(' '));
    let res500;
    try {
      res500 = await failing(post(CALL, FORM), {}, { waitUntil() {} });
    } finally {
      console.error = error;
    }
    expect(res500.status).toBe(500);
    expect(await res500.json()).toStrictEqual({
      error: { code: 'handler_failed', field: null, message: 'the webhook handler failed' },
    });
    expect(logged.some((l) => l.includes('boom'))).toBe(true);
  });

  test('options reach the core', async () => {
    const fetch = createFetchHandler(() => {}, { maxBodyBytes: 10 });
    const res = await fetch(post(CALL, FORM), {}, { waitUntil() {} });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('body_too_large');
  });
});

describe('Hono middleware', () => {
  const app = new Hono();
  app.post('/hook', primevoxWebhook(), (c) => c.json({ kind: c.get('primevoxEvent').kind }));

  test('sets the event for the next handler', async () => {
    const res = await app.request('/hook', { method: 'POST', body: CALL, headers: { 'content-type': FORM } });
    expect(res.status).toBe(200);
    expect(await res.json()).toStrictEqual({ kind: 'call.inbound' });
  });

  test('answers 400 naming the code', async () => {
    const res = await app.request('/hook', { method: 'POST', body: '{"eventType":"inboundMessage"}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('missing_field');
    expect(body.error.field).toBe('containerId');
  });
});
