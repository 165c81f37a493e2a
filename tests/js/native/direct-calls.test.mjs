// The receiver's per-request calls written directly against Node-API (bindings-node/src/direct.rs,
// what engine.js's Receiver uses) answer exactly what the napi-rs methods they replace answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageDir, IMPL } from '../impl.mjs';

if (IMPL !== 'native') throw new Error('tests/js/native/ is for PRIMEVOX_IMPL=native only');
const require = createRequire(path.join(packageDir, 'index.js'));
const native = require('./native.js');
const engine = require('./engine.js');

const OPTIONS = JSON.stringify({ token: 's3cret', allow: ['10.0.0.0/8'], trustedProxies: ['127.0.0.1'] });

const REQUESTS = [
  'POST\0+10.1.2.3\0token=s3cret\0content-type\0application/json',
  'POST\0+10.1.2.3\0token=wrong',
  'POST\0+192.168.1.1\0token=s3cret',
  'POST\0-\0token=s3cret',
  'GET\0+10.1.2.3\0token=s3cret',
  'POST\0+127.0.0.1\0token=s3cret\0x-forwarded-for\x0010.9.9.9',
  'POST\0+10.1.2.3\0token=s3cret\0content-length\x0099999999',
  'POST\0+10.1.2.3\0token=s3cret\0content-encoding\0br',
  'POST\0+10.1.2.3\0token=s3cret\0content-encoding\0gzip',
  // long enough for the second pass (the first one's room is 512 bytes), with non-ASCII
  `POST\0+10.1.2.3\0token=s3cret&x=${'é'.repeat(300)}\0content-type\0${'ü'.repeat(200)}`,
  `POST\0+10.1.2.3\0token=s3cret&x=${'a'.repeat(506)}`,
  `POST\0+10.1.2.3\0token=s3cret&x=${'a'.repeat(4000)}\u{1f697}`,
  '',
  'POST',
];

const BODIES = [
  ['eventType=queueEntered&containerId=1&tenantId=2&callUuid=u', 'application/x-www-form-urlencoded'],
  ['{"eventType":"inboundMessage","toNumber":"+16717943433","fromNumber":"4704396178","containerID":"306660","tenantID":"20394","conversationID":"58357660","messageText":"café 🚗 中"}', 'application/json'],
  ['{"eventType":"inboundMessage"', 'application/json'],
  ['eventType=queueEntered', undefined],
  ['x', 'text/plain'],
  ['', null],
  ['eventType=queueEntered&containerId=1&tenantId=2&callUuid=u', 'application/x-www-form-urlencoded; charset=latin1'],
];

function pair() {
  const methods = new native.Receiver(OPTIONS);
  const direct = new engine.Receiver(OPTIONS);
  return { methods, direct };
}

test('checkJoined: the direct call gives the napi-rs method’s verdict, byte for byte', () => {
  const { methods, direct } = pair();
  for (const r of REQUESTS) assert.equal(direct.checkJoined(r), methods.checkJoined(r), JSON.stringify(r.slice(0, 60)));
});

test('receiveLayout: the same values string and layout, or the same answer', () => {
  const { methods, direct } = pair();
  const cap = native.layoutCapacity(1 << 16);
  for (const [text, ct] of BODIES) {
    for (const ce of [undefined, null, 'identity', 'br']) {
      const body = Buffer.from(text);
      const t1 = new Uint32Array(cap);
      const t2 = new Uint32Array(cap);
      const a = methods.receiveLayout(body, ct ?? undefined, ce ?? undefined, t1);
      const b = direct.receiveLayout(body, ct, ce, t2);
      assert.deepEqual(b, a, `${text.slice(0, 30)} ${ct} ${ce}`);
      assert.deepEqual(t2, t1);
      // a Uint8Array view at an offset reads the same bytes
      const shifted = new Uint8Array(body.length + 3);
      shifted.set(body, 3);
      assert.deepEqual(direct.receiveLayout(shifted.subarray(3), ct, ce, t2), a);
    }
  }
});

test('receiveLayout: a table too small for the layout is an Error, as before', () => {
  const { methods, direct } = pair();
  const body = Buffer.from(BODIES[0][0]);
  assert.throws(() => methods.receiveLayout(body, BODIES[0][1], undefined, new Uint32Array(1)), /layout table smaller/);
  assert.throws(() => direct.receiveLayout(body, BODIES[0][1], undefined, new Uint32Array(1)), /layout table smaller/);
});

test('arguments of the wrong type throw a TypeError; the calls keep working after', () => {
  const { direct } = pair();
  const t = new Uint32Array(native.layoutCapacity(1024));
  assert.throws(() => direct.checkJoined(5), TypeError);
  assert.throws(() => direct.checkJoined(), TypeError);
  assert.throws(() => direct.receiveLayout('body', 'text/plain', undefined, t), TypeError);
  assert.throws(() => direct.receiveLayout(new Uint16Array(2), 'text/plain', undefined, t), TypeError);
  assert.throws(() => direct.receiveLayout(Buffer.from('x'), 5, undefined, t), TypeError);
  assert.throws(() => direct.receiveLayout(Buffer.from('x'), 'text/plain', {}, t), TypeError);
  assert.throws(() => direct.receiveLayout(Buffer.from('x'), 'text/plain', undefined, new Uint8Array(8)), TypeError);
  assert.match(direct.checkJoined('POST\0-\0token=s3cret'), /^\{"refuse"/);
});

test('the functions keep their receiver alive on their own', () => {
  let r = new engine.Receiver(OPTIONS);
  const { checkJoined } = r;
  r = null;
  for (let i = 0; i < 1000; i++) new engine.Receiver(OPTIONS); // churn
  if (globalThis.gc) globalThis.gc();
  assert.match(checkJoined('POST\0+10.1.2.3\0token=s3cret'), /^\{"read"/);
});

test('checkJoined with the number of headers: the same verdict, or null for a NUL inside a part', () => {
  const { methods, direct } = pair();
  for (const r of REQUESTS) {
    const parts = r.split('\0').length;
    if (parts >= 3 && parts % 2 === 1) assert.equal(direct.checkJoined(r, (parts - 3) / 2), methods.checkJoined(r), JSON.stringify(r.slice(0, 60)));
  }
  const joined = 'POST\0+10.1.2.3\0token=s3cret\0content-length\x005\0content-type\0application/json';
  for (const [r, pairs] of [
    [joined, 1],
    [joined, 3],
    ['PO\0ST\0+10.1.2.3\0token=s3cret', 0],
    ['POST\0+10.1.2.3\0token=s3\0cret\0content-type\0application/json', 1],
    ['POST\0+10.1.2.3\0token=s3cret\0content-length\x005\0content-encoding\0br', 1],
    ['POST\0-', 0],
  ]) {
    assert.equal(direct.checkJoined(r, pairs), null, JSON.stringify(r));
  }
});

test('Policy.check: a NUL inside a part gives the verdict of the parts, never of a shifted split', async () => {
  // The shared layer's source, its '#engine' (resolved when it is bundled) this package's engine.
  const { pathToFileURL } = await import('node:url');
  const { register } = await import('node:module');
  const engineUrl = pathToFileURL(path.join(packageDir, 'engine.js')).href;
  const hook = `export async function resolve(s, c, next) {
    return s === '#engine' ? { url: ${JSON.stringify(engineUrl)}, shortCircuit: true } : next(s, c);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  const { Policy } = await import(pathToFileURL(path.join(packageDir, 'lib', 'receiver.mjs')).href);
  const options = { token: 's3cret', allow: ['10.0.0.0/8'], peerHeader: 'x-real-ip' };
  const policy = new Policy(options);
  const r = new engine.Receiver(JSON.stringify(options));
  const cases = [
    ['POST', undefined, 'token=s3cret', { 'x-real-ip': '10.1.2.3', 'content-length': '5' }],
    ['POST', undefined, 'token=s3cret', { 'x-real-ip': '192.0.2.1\0x-real-ip\x0010.1.2.3', 'content-length': '5' }],
    ['POST', undefined, 'token=s3cret', { 'content-length': '5\0x-real-ip\x0010.1.2.3' }],
    ['POST', undefined, 'token=s3cret\0x-real-ip\x0010.1.2.3', { 'content-length': '5' }],
    ['PO\0ST', undefined, 'token=s3cret', { 'x-real-ip': '10.1.2.3' }],
    ['POST', '10.1.2.3\0', 'token=s3cret', {}],
  ];
  for (const [method, peer, query, headers] of cases) {
    const pairs = [];
    for (const name of policy.headers) if (headers[name] !== undefined) pairs.push(name, headers[name]);
    const want = JSON.parse(r.check(method, peer, query, pairs));
    assert.deepEqual(policy.check(method, peer, query, (name) => headers[name]), want, JSON.stringify([method, peer, query, headers]));
  }
});
