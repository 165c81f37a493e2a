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
