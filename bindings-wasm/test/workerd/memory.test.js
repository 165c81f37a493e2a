// Inside workerd: many parses (good and bad, strings and bytes, one isolate) leave the module's
// linear memory flat.
import { test, expect } from 'vitest';
import { parse, ParseError } from 'primevox-webhooks-wasm';
import { memoryBytes } from '../../pkg/primevox_webhooks_wasm.js';

const enc = new TextEncoder();
const BODIES = [
  ['eventType=InboundCall&containerId=1001&tenantId=42&callUuid=0f8e5c62-4b7d-4c1e-9a3b-2d6f8e1c7a90&callerIdName=Jos%C3%A9', 'application/x-www-form-urlencoded'],
  [JSON.stringify({ eventType: 'inboundMessage', containerID: '1', tenantID: '2', toNumber: '+15125550100', fromNumber: '+17375550142', messageText: 'héllo 😀 '.repeat(150) }), 'application/json'],
  ['eventType=InboundCall&containerId=1', 'application/x-www-form-urlencoded'],
  ['{"eventType":', 'application/json'],
  ['x'.repeat(70_000), null],
];

test('50000 parses: the module memory does not grow after warm-up', () => {
  const run = (n) => {
    let errors = 0;
    for (let i = 0; i < n; i++) {
      const [b, ct] = BODIES[i % BODIES.length];
      try {
        parse(i % 2 ? enc.encode(b) : b, ct);
      } catch (e) {
        expect(e).toBeInstanceOf(ParseError);
        errors++;
      }
    }
    return errors;
  };
  run(5_000);
  const before = memoryBytes();
  const errors = run(50_000);
  expect(errors).toBe(30_000);
  expect(memoryBytes()).toBe(before);
}, 120_000);
