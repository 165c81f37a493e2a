// Calls: the shared call vectors (tests/calls/), the API of Call, CallTracker and CallError,
// and properties (order, retries, split and merge, state). Runs unchanged against the native
// and the wasm package (PRIMEVOX_IMPL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import pv, { root } from './impl.mjs';

const { parse, Call, CallTracker, CallError, CALL_ERROR_CODES } = pv;
const dir = path.join(root, 'tests', 'calls');
const VECTORS = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f, JSON.parse(readFileSync(path.join(dir, f), 'utf8'))]);
const FORM = 'application/x-www-form-urlencoded';
const U = '3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d';

function delivery(d) {
  return [d.body !== undefined ? parse(d.body, d.contentType) : d.event, d.at];
}

test('there are call vectors', () => {
  assert.ok(VECTORS.length >= 15);
});

for (const [name, v] of VECTORS) {
  test(`call vector ${name}`, () => {
    const call = new Call();
    const good = [];
    v.deliveries.forEach((d, i) => {
      const [event, at] = delivery(d);
      const before = JSON.stringify(call);
      if (d.error !== undefined) {
        assert.throws(() => call.add(event, at), (e) => e instanceof CallError && e.code === d.error, `${i}`);
        assert.equal(JSON.stringify(call), before, 'an error changed the call');
      } else {
        assert.equal(call.add(event, at), d.new, `${i}`);
        good.push([event, at]);
      }
    });
    assert.deepEqual(call.summary(), v.record);
    const rev = new Call();
    for (const [e, at] of [...good].reverse()) rev.add(e, at);
    assert.deepEqual(rev.summary(), v.record);
    const a = new Call();
    const b = new Call();
    good.forEach(([e, at], i) => (i % 2 ? a : b).add(e, at));
    b.merge(Call.fromJSON(JSON.stringify(a)));
    assert.deepEqual(b.summary(), v.record);
    assert.deepEqual(Call.fromJSON(call.toJSON()).summary(), v.record);
    assert.deepEqual(JSON.parse(JSON.stringify(call)), call.toJSON());
  });
}

const ev = (body) => parse(body, FORM);
const HANGUP = ev(`eventType=HangupCall&containerId=1&tenantId=2&callUuid=${U.toUpperCase()}`);
const INBOUND = ev(`eventType=InboundCall&containerId=1&tenantId=2&callUuid=${U}&callerIdNum=5125550199`);

test('Call API', () => {
  const c = new Call();
  assert.equal(c.summary().callUuid, null);
  assert.equal(c.summary().outcome, 'in_progress');
  assert.equal(c.add(HANGUP, 20), true);
  assert.equal(c.add(HANGUP, 30), false);
  assert.equal(c.add(INBOUND, 10), true);
  const s = c.summary();
  assert.deepEqual([s.callUuid, s.outcome, s.ended, s.endedAt, s.deliveries], [U, 'missed', true, 20, 2]);
  assert.equal(JSON.stringify(c), JSON.stringify(Call.fromJSON(JSON.stringify(c))));
  assert.deepEqual(CALL_ERROR_CODES, ['not_a_call_event', 'call_mismatch', 'invalid_state']);
  assert.throws(() => c.add(HANGUP, -1), TypeError);
  assert.throws(() => c.add(HANGUP, 1.5), TypeError);
});

test('Call errors carry codes and change nothing', () => {
  const c = new Call();
  c.add(INBOUND, 1);
  const msg = parse('{"eventType":"inboundMessage","toNumber":"1","fromNumber":"2","containerID":"1","tenantID":"2"}', 'application/json');
  assert.throws(() => c.add(msg, 2), (e) => e instanceof CallError && e instanceof Error && e.code === 'not_a_call_event');
  assert.throws(() => c.add({ nonsense: true }, 2), (e) => e.code === 'not_a_call_event');
  const other = new Call();
  other.add(ev('eventType=HangupCall&containerId=1&tenantId=2&callUuid=other'), 2);
  assert.throws(() => c.merge(other), (e) => e.code === 'call_mismatch');
  assert.throws(() => c.add(other.toJSON().deliveries[0].event, 3), (e) => e.code === 'call_mismatch');
  for (const bad of ['', '{}', 'null', '{"version":1,"callUuid":"x","deliveries":[]}', { version: 2 }]) {
    assert.throws(() => Call.fromJSON(bad), (e) => e.code === 'invalid_state', JSON.stringify(bad));
  }
  assert.equal(c.summary().deliveries, 1);
});

test('CallTracker: completion, eviction, expiry', () => {
  const done = [];
  const t = new CallTracker({ maxCalls: 2, onComplete: (r) => done.push(r.callUuid) });
  let r = t.add(INBOUND, 10);
  assert.equal(r.record.callUuid, U);
  assert.equal(r.ended, false);
  r = t.add(HANGUP, 20);
  assert.deepEqual([r.ended, r.new, r.record.outcome, r.evicted.length], [true, true, 'missed', 0]);
  assert.equal(t.add(HANGUP, 25).ended, false);
  assert.deepEqual(done, [U]);
  t.add(ev('eventType=InboundCall&containerId=1&tenantId=2&callUuid=b'), 15);
  r = t.add(ev('eventType=InboundCall&containerId=1&tenantId=2&callUuid=c'), 30);
  assert.deepEqual(r.evicted.map((c) => c.summary().callUuid), ['b']);
  assert.ok(r.evicted[0] instanceof Call);
  assert.equal(t.size, 2);
  assert.equal(t.get(U.toUpperCase()).summary().deliveries, 2);
  assert.throws(() => t.add(ev('eventType=newThing&callUuid=x'), 1), (e) => e.code === 'not_a_call_event');
  assert.deepEqual(t.expire(41, 15).map((c) => c.summary().callUuid), [U]);
  assert.deepEqual(t.expire(45, 15), []);
  assert.deepEqual(t.drain().map((c) => c.summary().callUuid), ['c']);
  assert.equal(t.size, 0);
  assert.throws(() => new CallTracker({ maxCalls: 0 }), TypeError);
});

const KINDS = [
  'eventType=InboundCall&callerIdNum={n}&callerIdName={name}&didNumber={n}',
  'eventType=HangupCall&extNumber={n}&extName={name}',
  'eventType=ringAttempt&eventTarget=extension&extNumber={n}&extName={name}',
  'eventType=ExtensionAnswered&extensionNumber={n}&extensionName={name}',
  'eventType=inboundCallCompleted&extNumber={n}&extName={name}',
  'eventType=voicemailHangup&extNumber={n}&extName={name}',
  'eventType=outboundCall&extNumber={n}&numberDialed={n}',
  'eventType=ringAttempt&eventTarget=ringGroup&rgNumber={n}',
  'eventType=queueEntered&eventTarget=queue&queueNumber={n}',
];
const arbDelivery = fc
  .record({
    k: fc.constantFrom(...KINDS),
    n: fc.constantFrom('', '101', '102'),
    name: fc.constantFrom('', 'Ann', 'Bob'),
    id: fc.constantFrom('abc', 'ABC'),
    at: fc.integer({ min: 0, max: 5 }),
  })
  .map(({ k, n, name, id, at }) => [ev(`${k.replaceAll('{n}', n).replaceAll('{name}', name)}&containerId=1&tenantId=2&callUuid=${id}`), at]);

test('property: any order, retries, split and merge, and state give one record', () => {
  fc.assert(
    fc.property(fc.array(arbDelivery, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 14 }), fc.integer(), (ds, parts, cut, seed) => {
      const one = new Call();
      for (const [e, at] of ds) one.add(e, at);
      const mixed = [...ds, ...ds.slice(0, 2).map(([e, at]) => [e, at + 3])];
      let s = seed >>> 0 || 1;
      for (let i = mixed.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) >>> 0;
        const j = s % (i + 1);
        [mixed[i], mixed[j]] = [mixed[j], mixed[i]];
      }
      let calls = Array.from({ length: parts }, () => new Call());
      mixed.forEach(([e, at], i) => {
        if (i === cut) calls = calls.map((c) => Call.fromJSON(JSON.stringify(c)));
        calls[i % parts].add(e, at);
      });
      const merged = new Call();
      for (const c of calls) merged.merge(c);
      assert.deepEqual(merged.summary(), one.summary());
      assert.equal(JSON.stringify(merged), JSON.stringify(one));
    }),
    { seed: 20261201, numRuns: 200, endOnFailure: true },
  );
});
