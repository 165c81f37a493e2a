// Every shared vector (tests/vectors/*.json) inside workerd, with the result the Rust core gives.
import { describe, test, expect } from 'vitest';
import { env } from 'cloudflare:workers';
import { parse, ParseError, dedupKey } from 'primevox-webhooks-wasm';

const VECTORS = JSON.parse(env.VECTORS_JSON);

function bodyOf(v) {
  if (v.body_base64 === undefined) return v.body;
  return Uint8Array.from(atob(v.body_base64), (c) => c.charCodeAt(0));
}

function optionsOf(v) {
  if (!v.options) return undefined;
  const o = {};
  for (const [k, val] of Object.entries(v.options)) o[k.replace(/_([a-z])/g, (_, c) => c.toUpperCase())] = val;
  return o;
}

test('runs inside workerd', () => {
  expect(navigator.userAgent).toBe('Cloudflare-Workers');
  // The real count when written (core/tests/vectors.rs holds the same floor).
  expect(VECTORS.length).toBeGreaterThanOrEqual(314);
  expect(VECTORS.filter((v) => v.expect.dedup_key !== undefined).length).toBeGreaterThanOrEqual(30);
});

describe('shared vectors', () => {
  for (const v of VECTORS) {
    test(v.file, () => {
      const body = bodyOf(v);
      const run = () => parse(body, v.content_type, optionsOf(v));
      if (v.expect.event) {
        const event = run();
        expect(event).toStrictEqual(v.expect.event);
        if (v.expect.dedup_key !== undefined) expect(dedupKey(event)).toBe(v.expect.dedup_key);
        // Key order is part of the canonical JSON.
        expect(JSON.stringify(event)).toBe(JSON.stringify(v.expect.event));
        // Bytes and text give the same event.
        const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
        expect(parse(bytes, v.content_type, optionsOf(v))).toStrictEqual(event);
      } else {
        let err;
        try {
          run();
        } catch (e) {
          err = e;
        }
        expect(err, v.description).toBeInstanceOf(ParseError);
        expect(err.code, `${v.description}: ${err.message}`).toBe(v.expect.error.code);
        expect(err.field, v.description).toBe(v.expect.error.field ?? null);
      }
    });
  }
});

// parse() builds the object from the fast path (values + offsets table); the core's canonical
// JSON is the contract. Both must give the same object with keys in the same order, for every
// vector (whatever the vector expects) and for mixed-script, escaped and non-string values.
describe('fast path equals JSON.parse(canonical JSON)', async () => {
  const glue = await import('../../pkg/primevox_webhooks_wasm.js');
  const canonical = (b, ct, o) => {
    const r = typeof b === 'string'
      ? glue.parse_text(b, ct, o.strict, o.maxBodyBytes, o.maxDepth)
      : glue.parse_bytes(b, ct, o.strict, o.maxBodyBytes, o.maxDepth);
    return r.startsWith('!') ? null : JSON.parse(r);
  };
  const extraBodies = [
    '{"eventType":"inboundMessage","containerId":1,"tenantId":"2","toNumber":"+1","fromNumber":"+2","messageText":"h\\u00e9 \\ud83d\\ude00 \\"q\\" \\n x","n":1.50,"b":true,"z":null,"o":{"a":[1,"é"]},"messageText":"dup"}',
    'eventType=InboundCall&containerId=1&tenantId=2&callUuid=u&callerIdName=Jos%C3%A9+%F0%9F%98%80+%E4%B8%AD&x=%FF&callerIdNum=+15125550199&x=2',
    'eventType=somethingNew&%F0%9F%98%80=%E2%82%AC&a=&b',
  ];
  test.each([...VECTORS.map((v) => v.file), ...extraBodies.map((_, i) => `extra-${i}`)])('%s', (name) => {
    let body;
    let ct = null;
    let o = {};
    const v = VECTORS.find((x) => x.file === name);
    if (v) {
      body = bodyOf(v);
      ct = v.content_type;
      o = optionsOf(v) ?? {};
    } else {
      body = extraBodies[Number(name.slice(6))];
    }
    const full = { strict: false, maxBodyBytes: 65536, maxDepth: 32, ...o };
    const want = canonical(body, ct ?? undefined, full);
    let got;
    try {
      got = parse(body, ct, o);
    } catch (e) {
      got = null;
    }
    expect(got).toStrictEqual(want);
    expect(JSON.stringify(got)).toBe(JSON.stringify(want));
  });
});
