// Message texts cross the module as UTF-16 converted 16 bytes per step with WebAssembly SIMD
// (core ffi::js utf16): every kind of character at every offset of a step comes back as sent,
// from raw UTF-8 and from \u escapes.
import { test, expect } from 'vitest';
import { parse } from 'primevox-webhooks-wasm';

const CHARS = [
  0x41, 0x7f, 0x80, 0xe9, 0x3ff, 0x430, 0x7ff, 0x800, 0x4e2d, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f697, 0x10ffff,
].map((c) => String.fromCodePoint(c));

const escaped = (s) => s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function body(text, escape) {
  const t = JSON.stringify(text);
  return `{"eventType":"inboundMessage","toNumber":"+16717943433","fromNumber":"4704396178","containerID":"306660","tenantID":"20394","conversationID":"58357660","messageText":${escape ? escaped(t) : t}}`;
}

function texts() {
  const out = [];
  for (const a of CHARS) {
    for (const b of CHARS) {
      for (let pad = 0; pad < 17; pad += 3) out.push('x'.repeat(pad) + (a + b).repeat(1 + (pad % 7)) + 'tail text');
    }
  }
  // pseudo-random mixes, a fixed seed
  let x = 0x2545f491;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
  for (let n = 0; n < 2000; n++) {
    let s = 'm';
    const len = next() % 60;
    for (let k = 0; k < len; k++) {
      const r = next();
      s += r % 2 ? 'abc '[r % 4] : CHARS[(r >>> 3) % CHARS.length];
    }
    out.push(s);
  }
  return out;
}

test('every text comes back as sent, raw and \\u-escaped', () => {
  for (const text of texts()) {
    for (const escape of [false, true]) {
      const e = parse(new TextEncoder().encode(body(text, escape)), 'application/json');
      if (e.messageText !== text) expect(e.messageText).toBe(text);
      expect(e.toNumber).toBe('+16717943433');
    }
  }
});
