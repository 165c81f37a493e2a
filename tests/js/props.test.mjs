// Property tests (fast-check): encode -> parse is the identity; arbitrary input only ever
// throws ParseError. Runs unchanged against the native and the wasm package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import pv from './impl.mjs';

const { parse, ParseError, encode, dedupKey, KINDS } = pv;

const SEED = Number(process.env.PRIMEVOX_PROP_SEED || 20261127);
const RUNS = Number(process.env.PRIMEVOX_PROP_RUNS || 400);
const params = (n = RUNS) => ({ seed: SEED, numRuns: n, endOnFailure: true });

// The contract's table (README): wire eventType, eventTarget, fields (* = required).
const SPECS = {
  'message.inbound': { type: 'inboundMessage', json: true, fields: ['containerId*', 'tenantId*', 'conversationId', 'toNumber*', 'fromNumber*', 'messageText'] },
  'message.outbound': { type: 'outboundMessage', json: true, fields: ['containerId*', 'tenantId*', 'conversationId', 'toNumber*', 'fromNumber*', 'messageText'] },
  'call.inbound': { type: 'InboundCall', target: 'phoneNumber', fields: ['containerId*', 'tenantId*', 'didNumber', 'didDescription', 'didGroup', 'cidPrefix', 'callUuid*', 'callerIdNum', 'callerIdName'] },
  'call.hangup': { type: 'HangupCall', fields: ['containerId*', 'tenantId*', 'callUuid*', 'callerIdNum', 'callerIdName', 'extensionNumber', 'extensionName'] },
  'extension.ringing': { type: 'ringAttempt', target: 'extension', fields: ['containerId*', 'tenantId*', 'callUuid*', 'callerIdNum', 'extensionNumber', 'extensionName'] },
  'extension.answered': { type: 'ExtensionAnswered', fields: ['containerId*', 'tenantId*', 'callUuid*', 'callerIdNum', 'callerIdName', 'extensionNumber', 'extensionName'] },
  'extension.hangup': { type: 'inboundCallCompleted', fields: ['containerId*', 'tenantId*', 'callUuid*', 'callerIdNum', 'callerIdName', 'extensionNumber', 'extensionName'] },
  'voicemail.left': { type: 'voicemailHangup', fields: ['containerId*', 'tenantId*', 'callUuid*', 'callerIdNum', 'callerIdName', 'extensionNumber', 'extensionName'] },
  'call.outbound': { type: 'outboundCall', fields: ['containerId*', 'tenantId*', 'callUuid*', 'extensionNumber', 'extensionName', 'numberDialed'] },
  'ring_group.entered': { type: 'ringAttempt', target: 'ringGroup', fields: ['containerId*', 'tenantId*', 'callUuid*', 'callerIdNum', 'ringGroupNumber'] },
  'queue.entered': { type: 'queueEntered', target: 'queue', fields: ['containerId*', 'tenantId*', 'callUuid*', 'callerIdNum', 'queueNumber'] },
};
const ALIASES = {
  containerId: ['containerId', 'containerID'],
  tenantId: ['tenantId', 'tenantID'],
  conversationId: ['conversationId', 'conversationID'],
  extensionNumber: ['extensionNumber', 'extNumber'],
  extensionName: ['extensionName', 'extName'],
  ringGroupNumber: ['ringGroupNumber', 'rgNumber'],
};
const PHONE = new Set(['toNumber', 'fromNumber', 'didNumber', 'callerIdNum', 'numberDialed']);

// Text of every kind: ASCII with the form's reserved characters, control characters, any
// Unicode scalar value (emoji, non-Latin scripts), no lone surrogates.
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'ab &=+%#?"\\\n\t\r{}[]:,;/ 0123456789éü€😀中'), minLength: 1, maxLength: 20 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
  fc.stringMatching(/^\+?[0-9]{1,15}$/),
);
// A value the parser can produce: non-empty; a phone field is never " <digits>" (the parser
// turns that back into "+<digits>").
const valueFor = (name) => (PHONE.has(name) ? text.filter((s) => !/^ [0-9]+$/.test(s)) : text);
const extraName = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_0123456789'), minLength: 1, maxLength: 10 }).map((s) => `x_${s}`);
const jsonValue = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(extraName, text, { maxKeys: 2, noNullPrototype: true }));

// A canonical event built directly (not through parse).
const builtEvent = fc.constantFrom(...Object.keys(SPECS)).chain((kind) => {
  const spec = SPECS[kind];
  const parts = { kind: fc.constant(kind), eventType: fc.constant(spec.type) };
  for (const f of spec.fields) {
    const name = f.replace('*', '');
    parts[name] = f.endsWith('*') ? valueFor(name) : fc.option(valueFor(name), { nil: null });
  }
  parts.extra = fc.array(fc.tuple(extraName, spec.json ? jsonValue : text), { maxLength: 3 });
  return fc.record(parts, { noNullPrototype: true });
});

// A wire payload as PrimeVOX might send it (either encoding, alias spellings, extras), which
// may or may not be valid.
function formEncode(pairs) {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`).join('&');
}
const wirePayload = fc
  .record({
    kind: fc.constantFrom(...Object.keys(SPECS)),
    asJson: fc.boolean(),
    withTarget: fc.boolean(),
    required: fc.array(fc.tuple(fc.nat(1), text), { minLength: 5, maxLength: 5 }),
    dropRequired: fc.oneof({ arbitrary: fc.constant(-1), weight: 8 }, { arbitrary: fc.nat(4), weight: 1 }),
    values: fc.array(fc.tuple(fc.nat(20), fc.nat(1), fc.oneof(text, fc.constant(''))), { maxLength: 8 }),
    extra: fc.array(fc.tuple(fc.oneof(extraName, fc.constantFrom('eventTarget', 'rgNumber', 'extNumber', 'containerid', 'foo')), jsonValue), { maxLength: 3 }),
    ct: fc.constantFrom(null, 'application/json', 'application/x-www-form-urlencoded; charset=UTF-8', 'text/plain'),
  })
  .map(({ kind, asJson, withTarget, required, dropRequired, values, extra, ct }) => {
    const spec = SPECS[kind];
    const pairs = [['eventType', spec.type]];
    if (spec.target && withTarget) pairs.push(['eventTarget', spec.target]);
    // Usually every required field (in a random spelling), sometimes one missing.
    spec.fields
      .filter((f) => f.endsWith('*'))
      .forEach((f, i) => {
        if (dropRequired === i) return;
        const name = f.replace('*', '');
        const spellings = ALIASES[name] || [name];
        pairs.push([spellings[required[i][0] % spellings.length], required[i][1]]);
      });
    for (const [fi, ai, v] of values) {
      const name = spec.fields[fi % spec.fields.length].replace('*', '');
      const spellings = ALIASES[name] || [name];
      pairs.push([spellings[ai % spellings.length], v]);
    }
    for (const e of extra) pairs.push(e);
    const body = asJson ? JSON.stringify(Object.fromEntries(pairs)) : formEncode(pairs);
    return { body, ct: ct === null ? (asJson ? 'application/json' : null) : ct };
  });

function tryParse(body, ct, opts) {
  try {
    return { event: parse(body, ct, opts) };
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    return { error: err };
  }
}

test('encode then parse is the identity (events built field by field)', () => {
  fc.assert(
    fc.property(builtEvent, (event) => {
      const wire = encode(event);
      const back = parse(wire.body, wire.contentType);
      assert.deepStrictEqual(back, event);
      assert.equal(JSON.stringify(back), JSON.stringify(event));
      assert.equal(dedupKey(back), dedupKey(event));
    }),
    params(),
  );
});

test('encode then parse is the identity (events parsed from generated wire payloads)', () => {
  let accepted = 0;
  fc.assert(
    fc.property(wirePayload, fc.boolean(), ({ body, ct }, strict) => {
      const r = tryParse(body, ct, { strict });
      if (r.error) return;
      accepted += 1;
      assert.ok(KINDS.includes(r.event.kind));
      const wire = encode(r.event);
      assert.deepStrictEqual(parse(wire.body, wire.contentType), r.event);
      assert.equal(dedupKey(parse(wire.body, wire.contentType)), dedupKey(r.event));
    }),
    params(),
  );
  assert.ok(accepted > RUNS / 4, `only ${accepted} of ${RUNS} generated payloads were accepted`);
});

const contentType = fc.oneof(
  fc.constantFrom(undefined, null, '', 'application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/vnd.x+json; charset=latin1', 'APPLICATION/JSON;;;'),
  fc.string({ maxLength: 30 }),
);

test('arbitrary bytes only ever throw ParseError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), contentType, fc.boolean(), (bytes, ct, strict) => {
      const r = tryParse(bytes, ct, { strict });
      if (r.event) assert.ok(KINDS.includes(r.event.kind));
      else assert.ok(pv.ERROR_CODES.includes(r.error.code), r.error.code);
    }),
    params(RUNS * 3),
  );
});

test('mutated valid payloads only ever throw ParseError', () => {
  const mutated = fc
    .tuple(wirePayload, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(2)), { minLength: 1, maxLength: 8 }))
    .map(([{ body, ct }, edits]) => {
      const bytes = [...Buffer.from(body)];
      for (const [pos, byte, op] of edits) {
        const i = bytes.length === 0 ? 0 : pos % bytes.length;
        if (op === 0) bytes[i] = byte;
        else if (op === 1) bytes.splice(i, 0, byte);
        else bytes.splice(i, 1);
      }
      return { bytes: Uint8Array.from(bytes), ct };
    });
  fc.assert(
    fc.property(mutated, fc.boolean(), ({ bytes, ct }, strict) => {
      const r = tryParse(bytes, ct, { strict });
      if (r.event) {
        assert.ok(KINDS.includes(r.event.kind));
        const wire = encode(r.event);
        assert.deepStrictEqual(parse(wire.body, wire.contentType), r.event);
      }
    }),
    params(RUNS * 2),
  );
});

test('arbitrary strings (lone surrogates included) only ever throw ParseError', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary-ascii', maxLength: 200 }), fc.string({ unit: fc.constantFrom('\ud800', '\udfff', 'a', '{', '"', '=', '&', '%'), maxLength: 50 }), contentType, (a, b, ct) => {
      tryParse(a + b, ct);
      tryParse(`{"eventType":"inboundMessage","x":"${b}"}`, ct);
    }),
    params(),
  );
});
