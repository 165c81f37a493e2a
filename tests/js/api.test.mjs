// The package's API against the shared vectors and the contract (README). Runs unchanged
// against the native and the wasm package (PRIMEVOX_IMPL=native|wasm).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import pv, { root, IMPL, entryPath, packageDir } from './impl.mjs';

const { parse, ParseError, encode, dedupKey, callerE164, ERROR_CODES, KINDS } = pv;

const VECTOR_DIR = path.join(root, 'tests', 'vectors');
const vectors = readdirSync(VECTOR_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ file: f, ...JSON.parse(readFileSync(path.join(VECTOR_DIR, f), 'utf8')) }));

function vectorBody(v) {
  return v.body_base64 !== undefined ? Buffer.from(v.body_base64, 'base64') : Buffer.from(v.body, 'utf8');
}

function vectorOptions(v) {
  if (!v.options) return undefined;
  const o = {};
  for (const [k, val] of Object.entries(v.options)) {
    const camel = k.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    o[camel] = val;
  }
  return o;
}

const KIND_LIST = [
  'message.inbound',
  'message.outbound',
  'call.inbound',
  'call.hangup',
  'extension.ringing',
  'extension.answered',
  'extension.hangup',
  'voicemail.left',
  'call.outbound',
  'ring_group.entered',
  'queue.entered',
  'unknown',
];
const CODE_LIST = [
  'empty_body',
  'body_too_large',
  'unsupported_content_type',
  'invalid_json',
  'invalid_form',
  'missing_event_type',
  'missing_field',
  'invalid_field',
  'unknown_event_type',
  'unknown_field',
];

const INBOUND_CALL =
  'eventType=InboundCall&eventTarget=phoneNumber&containerId=1001&tenantId=42&didNumber=%2B15125550100' +
  '&didDescription=Main+line&didGroup=&cidPrefix=&callUuid=0f8e5c62-4b7d-4c1e-9a3b-2d6f8e1c7a90' +
  '&callerIdNum=5125550199&callerIdName=JANE+DOE';
const FORM = 'application/x-www-form-urlencoded';

test(`loads the ${IMPL} package from ${path.relative(root, entryPath)}`, () => {
  for (const name of ['parse', 'encode', 'dedupKey', 'callerE164']) {
    assert.equal(typeof pv[name], 'function', name);
  }
  assert.equal(typeof ParseError, 'function');
});

describe(`shared vectors (${vectors.length}) through the JS API`, () => {
  // The real count when written (core/tests/vectors.rs holds the same floor).
  assert.ok(vectors.length >= 314, `only ${vectors.length} shared vectors`);
  assert.ok(vectors.filter((v) => v.expect.dedup_key !== undefined).length >= 30, 'dedup_key vectors');
  for (const v of vectors) {
    test(v.file, () => {
      const body = vectorBody(v);
      const opts = vectorOptions(v);
      const run = () => parse(body, v.content_type, opts);
      if (v.expect.event) {
        const event = run();
        assert.deepStrictEqual(event, v.expect.event, v.description);
        if (v.expect.dedup_key !== undefined) assert.equal(dedupKey(event), v.expect.dedup_key);
        // Key order is part of the canonical JSON: the plain object serialises to it.
        assert.equal(JSON.stringify(event), JSON.stringify(v.expect.event));
        // The same body as a string (when it is text) gives the same event.
        if (v.body !== undefined) assert.deepStrictEqual(parse(v.body, v.content_type, opts), event);
        // And as a bare Uint8Array (not a Buffer) and an ArrayBuffer.
        const u8 = new Uint8Array(body);
        assert.deepStrictEqual(parse(u8, v.content_type, opts), event);
        assert.deepStrictEqual(parse(u8.buffer, v.content_type, opts), event);
      } else {
        const want = v.expect.error;
        assert.throws(run, (err) => {
          assert.ok(err instanceof ParseError, `expected ParseError, got ${err && err.stack}`);
          assert.ok(err instanceof Error);
          assert.equal(err.code, want.code, `${v.description}: ${err.message}`);
          assert.equal(err.field, want.field === undefined ? null : want.field, v.description);
          assert.equal(typeof err.message, 'string');
          assert.ok(err.message.length > 0);
          return true;
        });
      }
    });
  }
});

describe('API surface', () => {
  test('KINDS and ERROR_CODES are the core lists, frozen', () => {
    assert.deepStrictEqual([...KINDS], KIND_LIST);
    assert.deepStrictEqual([...ERROR_CODES], CODE_LIST);
    assert.ok(Object.isFrozen(KINDS));
    assert.ok(Object.isFrozen(ERROR_CODES));
  });

  test('parse returns a plain object whose JSON is the canonical JSON', () => {
    const e = parse(INBOUND_CALL, FORM);
    assert.equal(Object.getPrototypeOf(e), Object.prototype);
    assert.equal(
      JSON.stringify(e),
      '{"kind":"call.inbound","eventType":"InboundCall","containerId":"1001","tenantId":"42",' +
        '"didNumber":"+15125550100","didDescription":"Main line","didGroup":null,"cidPrefix":null,' +
        '"callUuid":"0f8e5c62-4b7d-4c1e-9a3b-2d6f8e1c7a90","callerIdNum":"5125550199",' +
        '"callerIdName":"JANE DOE","extra":[]}',
    );
  });

  test('canonical string escaping survives JSON.stringify byte for byte', () => {
    const body =
      '{"eventType":"inboundMessage","toNumber":"1","fromNumber":"2","containerID":"1","tenantID":"2",' +
      '"messageText":"a\\u0001b\\u001fc\\u007fd\\u2028e\\"f\\\\g\\n\\t\\b\\f\\r/\\ud83d\\ude00"}';
    assert.equal(
      JSON.stringify(parse(body, 'application/json')),
      '{"kind":"message.inbound","eventType":"inboundMessage","containerId":"1","tenantId":"2",' +
        '"conversationId":null,"toNumber":"1","fromNumber":"2",' +
        '"messageText":"a\\u0001b\\u001fc\u007fd\u2028e\\"f\\\\g\\n\\t\\b\\f\\r/\u{1F600}","extra":[]}',
    );
  });

  test('content type is optional (decided from the body) and null is the same as absent', () => {
    const a = parse(INBOUND_CALL);
    assert.deepStrictEqual(parse(INBOUND_CALL, null), a);
    assert.deepStrictEqual(parse(INBOUND_CALL, undefined, {}), a);
    assert.equal(a.kind, 'call.inbound');
  });

  test('ParseError: code, field, message, name, instanceof Error', () => {
    try {
      parse('eventType=InboundCall&containerId=1&tenantId=2', FORM);
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ParseError);
      assert.ok(err instanceof Error);
      assert.equal(err.name, 'ParseError');
      assert.equal(err.code, 'missing_field');
      assert.equal(err.field, 'callUuid');
      assert.match(String(err), /^ParseError: /);
      assert.ok(typeof err.stack === 'string');
    }
    assert.throws(() => parse(''), (e) => e instanceof ParseError && e.code === 'empty_body' && e.field === null);
    assert.throws(
      () => parse('{}', 'multipart/form-data; boundary=x'),
      (e) => e instanceof ParseError && e.code === 'unsupported_content_type',
    );
  });

  test('options: strict and maxBodyBytes reach the core', () => {
    const body = 'eventType=inboundcall&containerId=1&tenantId=2&callUuid=x';
    assert.equal(parse(body, FORM).kind, 'call.inbound');
    assert.throws(() => parse(body, FORM, { strict: true }), (e) => e.code === 'unknown_event_type');
    assert.throws(() => parse(INBOUND_CALL, FORM, { maxBodyBytes: 10 }), (e) => e.code === 'body_too_large');
    assert.equal(parse(INBOUND_CALL, FORM, { maxBodyBytes: Buffer.byteLength(INBOUND_CALL) }).kind, 'call.inbound');
  });

  test('bad argument types are TypeErrors, not ParseErrors', () => {
    assert.throws(() => parse(42), TypeError);
    assert.throws(() => parse({}), TypeError);
    assert.throws(() => parse(INBOUND_CALL, 7), TypeError);
    assert.throws(() => parse(INBOUND_CALL, FORM, { maxBodyBytes: -1 }), TypeError);
    assert.throws(() => parse(INBOUND_CALL, FORM, { strict: 'yes' }), TypeError);
  });

  test('a Buffer slice is read at its own offset', () => {
    const big = Buffer.from(`xxxx${INBOUND_CALL}yyyy`);
    const slice = big.subarray(4, 4 + Buffer.byteLength(INBOUND_CALL));
    assert.deepStrictEqual(parse(slice, FORM), parse(INBOUND_CALL, FORM));
  });
});

describe('helpers', () => {
  const okVectors = vectors.filter((v) => v.expect.event);

  test('encode then parse gives the event back, for every accepted vector', () => {
    for (const v of okVectors) {
      const event = parse(vectorBody(v), v.content_type, vectorOptions(v));
      const wire = encode(event);
      assert.equal(typeof wire.contentType, 'string', v.file);
      assert.equal(typeof wire.body, 'string', v.file);
      assert.deepStrictEqual(parse(wire.body, wire.contentType), event, v.file);
    }
  });

  test('encode uses the documented wire formats', () => {
    assert.match(encode(parse(INBOUND_CALL, FORM)).contentType, /^application\/x-www-form-urlencoded/);
    const msg = parse(
      '{"eventType":"inboundMessage","toNumber":"+15125550100","fromNumber":"+17375550142","containerID":"1","tenantID":"2"}',
      'application/json',
    );
    assert.match(encode(msg).contentType, /^application\/json/);
  });

  test('dedupKey: a non-empty string, stable across re-encodings, different across deliveries', () => {
    const keys = new Set();
    for (const v of okVectors) {
      const event = parse(vectorBody(v), v.content_type, vectorOptions(v));
      const k = dedupKey(event);
      assert.equal(typeof k, 'string');
      assert.ok(k.length > 0);
      const wire = encode(event);
      assert.equal(dedupKey(parse(wire.body, wire.contentType)), k, v.file);
      assert.equal(dedupKey(JSON.parse(JSON.stringify(event))), k, v.file);
      keys.add(k);
    }
    const a = parse(INBOUND_CALL, FORM);
    const b = parse(INBOUND_CALL.replace('0f8e5c62', '1f8e5c62'), FORM);
    assert.notEqual(dedupKey(a), dedupKey(b));
    assert.ok(keys.size > 1);
  });

  test('callerE164', () => {
    const call = (num) => parse(`eventType=InboundCall&containerId=1&tenantId=2&callUuid=u&callerIdNum=${num}`, FORM);
    assert.equal(callerE164(call('5125550199')), '+15125550199');
    assert.equal(callerE164(call('15125550199')), '+15125550199');
    assert.equal(callerE164(call('%2B15125550199')), '+15125550199');
    assert.equal(callerE164(call('%2B442071234567')), '+442071234567');
    assert.equal(callerE164(call('anonymous')), null);
    assert.equal(callerE164(parse('eventType=InboundCall&containerId=1&tenantId=2&callUuid=u', FORM)), null);
    const msg = parse(
      '{"eventType":"inboundMessage","toNumber":"+15125550100","fromNumber":"7375550142","containerID":"1","tenantID":"2"}',
      'application/json',
    );
    assert.equal(callerE164(msg), '+17375550142');
  });

  test('helpers reject things that are not events with ParseError or TypeError', () => {
    assert.throws(() => encode(null), TypeError);
    assert.throws(() => dedupKey('nope'), TypeError);
    assert.throws(() => encode({ kind: 'call.inbound' }), ParseError);
    assert.throws(() => callerE164({ hello: 1 }), ParseError);
  });
});

// parse() and parseMany build objects from the event's layout (values + offsets table,
// core/src/ffi/js.rs). The addon's parseManyTagged (not part of the API) answers the core's
// canonical JSON instead: both must give the same object, keys in the same order, for every vector
// (whatever it expects) and for mixed-script, escaped and non-string values. (The wasm package has
// no canonical-JSON export: there the vectors' expected events are the check.)
const nativeAddon = IMPL === 'native' ? createRequire(import.meta.url)(path.join(packageDir, 'native.js')) : null;

function viaCanonicalJson(body, ct, o) {
  const [text] = nativeAddon.parseManyTagged(
    [typeof body === 'string' ? Buffer.from(body, 'utf8') : body],
    [ct ?? null],
    o?.strict,
    o?.maxBodyBytes,
    o?.maxDepth,
  );
  const r = JSON.parse(text);
  return 'error' in r ? new ParseError(r.error.code, r.error.message, r.error.field) : r.ok;
}

describe('the layout path equals the canonical JSON', { skip: IMPL !== 'native' && 'no canonical-JSON export in the wasm package' }, () => {
  const extraBodies = [
    '{"eventType":"inboundMessage","containerId":1,"tenantId":"2","toNumber":"+1","fromNumber":"+2","messageText":"h\\u00e9 \\ud83d\\ude00 \\"q\\" \\n x","n":1.50,"b":true,"z":null,"o":{"a":[1,"é"]},"messageText":"dup"}',
    'eventType=InboundCall&containerId=1&tenantId=2&callUuid=u&callerIdName=Jos%C3%A9+%F0%9F%98%80+%E4%B8%AD&x=%FF&callerIdNum=+15125550199&x=2',
    'eventType=somethingNew&%F0%9F%98%80=%E2%82%AC&a=&b',
  ];
  const cases = [
    ...vectors.map((v) => [v.file, vectorBody(v), v.content_type, vectorOptions(v)]),
    ...extraBodies.map((b, i) => [`extra-${i}`, b, null, undefined]),
  ];
  for (const [name, body, ct, o] of cases) {
    test(name, () => {
      const viaMany = viaCanonicalJson(body, ct, o);
      let viaParse;
      try {
        viaParse = parse(body, ct, o);
      } catch (e) {
        viaParse = e;
      }
      if (viaMany instanceof ParseError) {
        assert.ok(viaParse instanceof ParseError, name);
        assert.equal(viaParse.code, viaMany.code, name);
        assert.equal(viaParse.field, viaMany.field, name);
      } else {
        assert.deepStrictEqual(viaParse, viaMany, name);
        assert.equal(JSON.stringify(viaParse), JSON.stringify(viaMany), name);
      }
    });
  }
});
