// Router / HandlerError, the same rules as Python's pv.Router; runs against the native and the
// wasm package (PRIMEVOX_IMPL=native|wasm).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pv from './impl.mjs';

const { Router, HandlerError, parse, KINDS } = pv;

const FORM = 'application/x-www-form-urlencoded';
const HANGUP = parse('eventType=HangupCall&containerId=1&tenantId=2&callUuid=u-1', FORM);
const INBOUND = parse(
  'eventType=InboundCall&eventTarget=phoneNumber&containerId=1&tenantId=2&didNumber=%2B15125550100&callUuid=u-1&callerIdNum=5125550199',
  FORM,
);
const UNKNOWN = parse('{"eventType":"somethingNew","x":1}', 'application/json');

test('Router and HandlerError are exported', () => {
  assert.equal(typeof Router, 'function');
  assert.equal(typeof HandlerError, 'function');
  assert.ok(new HandlerError([new Error('x')]) instanceof Error);
});

test("a kind's handlers run in registration order, then onAny", async () => {
  const seen = [];
  const router = new Router()
    .onAny(() => seen.push('any1'))
    .on('call.hangup', () => seen.push('h1'))
    .on(['call.inbound', 'call.hangup'], () => seen.push('h2'))
    .onAny(() => seen.push('any2'))
    .on('call.inbound', () => seen.push('inbound'));
  await router.dispatch(HANGUP);
  assert.deepEqual(seen, ['h1', 'h2', 'any1', 'any2']);
  seen.length = 0;
  await router.dispatch(INBOUND);
  assert.deepEqual(seen, ['h2', 'inbound', 'any1', 'any2']);
});

test('handlers get the event; async handlers are awaited in order', async () => {
  const seen = [];
  const router = new Router();
  router.on('call.hangup', async (e) => {
    await new Promise((r) => setTimeout(r, 20));
    seen.push(`slow ${e.callUuid}`);
  });
  router.on('call.hangup', (e) => seen.push(`fast ${e.kind}`));
  assert.equal(await router.dispatch(HANGUP), undefined);
  assert.deepEqual(seen, ['slow u-1', 'fast call.hangup']);
});

test('unknown events reach on("unknown") and onAny', async () => {
  const seen = [];
  const router = new Router()
    .on('unknown', (e) => seen.push(`unknown:${e.eventType}`))
    .on('call.hangup', () => seen.push('hangup'))
    .onAny(() => seen.push('any'));
  await router.dispatch(UNKNOWN);
  assert.deepEqual(seen, ['unknown:somethingNew', 'any']);
});

test('bad registrations throw at once', () => {
  const router = new Router();
  assert.throws(() => router.on('call.nope', () => {}), { name: 'RangeError', message: /"call.nope" is not an event kind/ });
  assert.throws(() => router.on(['call.hangup', 'nope'], () => {}), /"nope"/);
  assert.throws(() => router.on([], () => {}), /empty/);
  assert.throws(() => router.on(42, () => {}), TypeError);
  assert.throws(() => router.on('call.hangup', 'not a function'), { name: 'TypeError', message: /handler must be a function/ });
  assert.throws(() => router.on('call.hangup'), TypeError);
  assert.throws(() => router.onAny(null), TypeError);
  assert.throws(() => router.onError({}), TypeError);
  assert.throws(() => router.onCallCompleted(3), TypeError);
  for (const bad of [0, -1, NaN, '5', true]) {
    assert.throws(() => new Router({ timeoutMs: bad }), /timeoutMs/);
  }
  // every kind is accepted
  for (const k of KINDS) router.on(k, () => {});
  assert.equal(router.handlersFor(HANGUP).length, 1);
});

test('a failure lets the others run, then onError per failure and HandlerError with every error', async () => {
  const seen = [];
  const reported = [];
  const boom1 = new Error('first');
  const boom2 = new TypeError('second');
  const router = new Router()
    .on('call.hangup', () => {
      throw boom1;
    })
    .on('call.hangup', () => seen.push('after'))
    .onAny(async () => {
      throw boom2;
    })
    .onAny(() => seen.push('any'))
    .onError((err, ev) => reported.push([err, ev]))
    .onError(async (err) => seen.push(`onError:${err.message}`));
  await assert.rejects(router.dispatch(HANGUP), (err) => {
    assert.ok(err instanceof HandlerError);
    assert.equal(err.name, 'HandlerError');
    assert.equal(err.code, 'handler_failed');
    assert.deepEqual(err.errors, [boom1, boom2]);
    assert.equal(err.event, HANGUP);
    assert.equal(err.cause, boom1);
    assert.match(err.message, /2 handlers failed for call\.hangup/);
    return true;
  });
  assert.deepEqual(seen, ['after', 'any', 'onError:first', 'onError:second']);
  assert.deepEqual(reported, [[boom1, HANGUP], [boom2, HANGUP]]);
});

test('a thrown non-Error and a failing onError handler are kept', async () => {
  const router = new Router()
    .on('call.hangup', () => {
      throw 'a string';
    })
    .onError(() => {
      throw new Error('reporter down');
    });
  await assert.rejects(router.dispatch(HANGUP), (err) => {
    assert.equal(err.errors.length, 2);
    assert.equal(err.errors[0].message, 'a string');
    assert.equal(err.errors[1].message, 'reporter down');
    return true;
  });
});

test('no failure, no onError', async () => {
  const called = [];
  const router = new Router().onError((e) => called.push(e)).on('call.hangup', () => {});
  await router.dispatch(HANGUP);
  assert.deepEqual(called, []);
});

test('dispatch rejects what is not an event', async () => {
  await assert.rejects(new Router().dispatch(null), TypeError);
  await assert.rejects(new Router().dispatch({ nope: 1 }), TypeError);
});

test('a handler that never settles is bounded by timeoutMs', async () => {
  const seen = [];
  const router = new Router({ timeoutMs: 100 });
  router.on('call.hangup', function forever() {
    return new Promise(() => {});
  });
  router.onAny(() => seen.push('still ran'));
  const started = Date.now();
  await assert.rejects(router.dispatch(HANGUP), (err) => {
    assert.equal(err.errors.length, 1);
    assert.equal(err.errors[0].name, 'TimeoutError');
    assert.match(err.errors[0].message, /forever did not finish within 100 ms/);
    return true;
  });
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 90 && elapsed < 5000, `${elapsed} ms`);
  assert.deepEqual(seen, ['still ran']);
  assert.equal(new Router().timeoutMs, 30000);
  assert.equal(new Router({ timeoutMs: null }).timeoutMs, Infinity);
});

const MESSAGE = parse(
  '{"eventType":"inboundMessage","containerId":"1","tenantId":"2","conversationId":"c","toNumber":"+15125550100","fromNumber":"+15125550199","messageText":"hi"}',
  'application/json',
);

test('onCallCompleted runs once, with the record, when a call ends', async () => {
  const records = [];
  const seen = [];
  const router = new Router().onCallCompleted((record) => records.push(record)).onAny((e) => seen.push(e.kind));
  assert.ok(router.calls instanceof pv.CallTracker);
  await router.dispatch(INBOUND);
  await router.dispatch(MESSAGE); // not a call: no record, no error
  assert.deepEqual(records, []);
  await router.dispatch(HANGUP);
  assert.equal(records.length, 1);
  assert.equal(records[0].callUuid, 'u-1');
  assert.equal(records[0].ended, true);
  assert.equal(records[0].outcome, 'missed');
  assert.equal(records[0].deliveries, 2);
  await router.dispatch(HANGUP); // a retry of the delivery that ended it
  assert.equal(records.length, 1);
  assert.deepEqual(seen, ['call.inbound', 'message.inbound', 'call.hangup', 'call.hangup']);
});

test('a given call store, its failures and failing onCallCompleted handlers', async () => {
  const fed = [];
  const tracker = new pv.CallTracker();
  const store = {
    async add(event, atMs) {
      fed.push([event.kind, atMs]);
      if (event.kind === 'call.hangup' && fed.length > 2) throw new Error('store down');
      return tracker.add(event, atMs);
    },
  };
  const reported = [];
  const router = new Router({ calls: store })
    .onCallCompleted(async (record) => {
      throw new Error(`cannot file ${record.callUuid}`);
    })
    .onError((err) => reported.push(err.message));
  const before = Date.now();
  await router.dispatch(INBOUND);
  assert.equal(fed[0][0], 'call.inbound');
  assert.ok(fed[0][1] >= before && fed[0][1] <= Date.now());
  await assert.rejects(router.dispatch(HANGUP), (err) => {
    assert.deepEqual(err.errors.map((e) => e.message), ['cannot file u-1']);
    return true;
  });
  await assert.rejects(router.dispatch(HANGUP), (err) => {
    assert.deepEqual(err.errors.map((e) => e.message), ['store down']);
    return true;
  });
  assert.deepEqual(reported, ['cannot file u-1', 'store down']);
  assert.throws(() => new Router({ calls: {} }), /calls/);
  // dispatchCallCompleted runs the handlers directly (for a store that reports ends itself)
  const got = [];
  await new Router().onCallCompleted((r) => got.push(r.callUuid)).dispatchCallCompleted({ callUuid: 'x' });
  assert.deepEqual(got, ['x']);
});
