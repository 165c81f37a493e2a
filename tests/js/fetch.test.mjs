// The fetch receivers (createFetchHandler) under Node's own Request/Response: how the body is
// read. A declared length within the limit is read in one arrayBuffer() call, anything else chunk
// by chunk; both keep the limit and the body timeout. (Inside workerd these run in
// bindings-wasm/test/workerd/; workerd's HTTP layer never hands over a body longer than declared,
// a Request built in JavaScript can.) The fetch receivers ship in the wasm package only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pv, { IMPL } from './impl.mjs';

const FORM = 'application/x-www-form-urlencoded';
const CALL = 'eventType=InboundCall&eventTarget=phoneNumber&containerId=1&tenantId=2&didNumber=15550001111'
  + '&callUuid=3f2a1c9e-8b7d-4e6f-a5c4-2d1e0f9a8b7c&callerIdNum=15550002222';

/** A body that sends `chunks` and then, unless `end`, never ends. */
function stream(chunks, end) {
  return new ReadableStream({
    start(c) {
      for (const x of chunks) c.enqueue(new TextEncoder().encode(x));
      if (end) c.close();
    },
  });
}

function post(body, headers = {}) {
  return new Request('http://127.0.0.1/hook', {
    method: 'POST', body, duplex: 'half', headers: { 'content-type': FORM, ...headers },
  });
}

test('the Node package has no fetch receivers; the wasm package has them', () => {
  assert.equal(typeof pv.createFetchHandler, IMPL === 'wasm' ? 'function' : 'undefined');
});

if (IMPL === 'wasm') {
  const seen = [];
  const fetch = pv.createFetchHandler((event) => { seen.push(event.kind); }, { maxBodyBytes: 400, bodyTimeoutMs: 150 });
  const code = async (res) => (await res.json()).error?.code;

  test('declared length within the limit: one read, the event handled', async () => {
    seen.length = 0;
    const res = await fetch(post(stream([CALL.slice(0, 40), CALL.slice(40)], true), { 'content-length': String(CALL.length) }));
    assert.equal(res.status, 200);
    assert.deepEqual(seen, ['call.inbound']);
  });

  test('declared length within the limit, body never ends: 408 after the body timeout', async () => {
    const started = Date.now();
    const res = await fetch(post(stream([CALL.slice(0, 40)], false), { 'content-length': String(CALL.length) }));
    assert.equal(res.status, 408);
    assert.ok(Date.now() - started >= 140, 'answered before the timeout');
  });

  test('a body longer than its declared length is cut at the limit and refused', async () => {
    seen.length = 0;
    const long = `${CALL}&extra=${'x'.repeat(600)}`;
    const res = await fetch(post(stream([long], true), { 'content-length': '20' }));
    assert.equal(res.status, 400);
    assert.equal(await code(res), 'body_too_large');
    assert.deepEqual(seen, []);
  });

  test('no declared length: read by chunks, refused past the limit', async () => {
    const res = await fetch(post(stream([CALL, `&extra=${'x'.repeat(600)}`], false)));
    assert.equal(res.status, 400);
    assert.equal(await code(res), 'body_too_large');
  });

  test('no declared length, body never ends: 408', async () => {
    const res = await fetch(post(stream([CALL.slice(0, 10)], false)));
    assert.equal(res.status, 408);
  });

  test('a declared length over the limit is refused before the body is read', async () => {
    const res = await fetch(post(stream([CALL], false), { 'content-length': '100000' }));
    assert.equal(res.status, 400);
    assert.equal(await code(res), 'body_too_large');
  });
}
