// A failure inside the WebAssembly module (a trap: a panic in the core, memory exhausted) is an
// ordinary Error in the Worker, and the instance is reset: the next call works.
import { test, expect } from 'vitest';
import { parse, ParseError } from 'primevox-webhooks-wasm';
import { AllowList } from 'primevox-webhooks-wasm';
import engine from '../../js/engine.js';

const trapForTests = () => engine.trapForTests();

const CALL = 'eventType=InboundCall&containerId=1&tenantId=2&callUuid=u';

test('a trap becomes an Error (not a ParseError) and the module is reset', () => {
  expect(parse(CALL).kind).toBe('call.inbound');
  for (let i = 0; i < 3; i++) {
    let err;
    try {
      trapForTests();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ParseError);
    expect(err.message).toMatch(/the module was reset/);
    expect(err.cause).toBeInstanceOf(WebAssembly.RuntimeError);
    // The next calls work, on a fresh instance.
    expect(parse(CALL).kind).toBe('call.inbound');
    expect(() => parse('')).toThrow(ParseError);
  }
});

test('the deepest parse paths (nesting at the limit, huge bodies) answer, never trap', () => {
  const deep = (n) => `{"eventType":"x","a":${'['.repeat(n)}${']'.repeat(n)}}`;
  expect(parse(deep(30), 'application/json').kind).toBe('unknown');
  expect(() => parse(deep(100000), 'application/json', { maxBodyBytes: 1 << 20 })).toThrow(ParseError);
  const many = `eventType=InboundCall&containerId=1&tenantId=2&callUuid=u${'&x=%'.repeat(15000)}`;
  expect(parse(many, 'application/x-www-form-urlencoded').extra.length).toBe(15000);
  expect(() => parse('a'.repeat(5 << 20))).toThrow(expect.objectContaining({ code: 'body_too_large' }));
  expect(parse(CALL).kind).toBe('call.inbound');
});

test('an AllowList made before a reset keeps working after it', () => {
  const allow = new AllowList(['203.0.113.0/24']);
  expect(allow.contains('203.0.113.5')).toBe(true);
  expect(() => trapForTests()).toThrow(/the module was reset/);
  expect(allow.contains('203.0.113.5')).toBe(true);
  expect(allow.contains('192.0.2.1')).toBe(false);
});

test('content types held by the module between calls: each call parses with its own, across a reset', () => {
  const JSON_BODY = '{"eventType":"inboundMessage","containerID":"1","tenantID":"2","toNumber":"+1","fromNumber":"+2"}';
  const forms = ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'Application/X-WWW-Form-Urlencoded'];
  const jsons = ['application/json', 'application/json;charset=UTF-8', 'application/json; charset=utf-8'];
  const others = ['application/xml', 'text/html', 'multipart/form-data; boundary=x'];
  const code = (f) => {
    try {
      f();
    } catch (e) {
      return e.code;
    }
    return 'none';
  };
  // More distinct content types than the module holds, in turns, each with the other kind of
  // body too: the content type of each call is the one used.
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < forms.length; i++) {
      expect(parse(CALL, forms[i]).kind).toBe('call.inbound');
      expect(code(() => parse(JSON_BODY, forms[i], { strict: true }))).toBe('missing_event_type');
      expect(parse(JSON_BODY, jsons[i]).kind).toBe('message.inbound');
      expect(code(() => parse(CALL, jsons[i], { strict: true }))).toBe('invalid_json');
      expect(code(() => parse(CALL, others[i]))).toBe('unsupported_content_type');
      expect(parse(new TextEncoder().encode(CALL), forms[i]).kind).toBe('call.inbound');
      expect(parse(CALL).kind).toBe('call.inbound');
      expect(code(() => parse(new TextEncoder().encode(JSON_BODY), others[i]))).toBe('unsupported_content_type');
    }
    if (round === 1) expect(() => trapForTests()).toThrow(/the module was reset/);
  }
});
