// The shared call vectors (tests/calls/*.json) and the Call / CallTracker API inside workerd.
import { describe, test, expect } from 'vitest';
import { env } from 'cloudflare:workers';
import { parse, Call, CallTracker, CallError } from 'primevox-webhooks-wasm';

const CALLS = JSON.parse(env.CALLS_JSON);

test('call vectors reach workerd', () => {
  expect(navigator.userAgent).toBe('Cloudflare-Workers');
  expect(CALLS.length).toBeGreaterThanOrEqual(15);
});

describe('shared call vectors', () => {
  for (const v of CALLS) {
    test(v.file, () => {
      const call = new Call();
      const good = [];
      v.deliveries.forEach((d) => {
        const event = d.body !== undefined ? parse(d.body, d.contentType) : d.event;
        if (d.error !== undefined) {
          const before = JSON.stringify(call);
          let err;
          try {
            call.add(event, d.at);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(CallError);
          expect(err.code).toBe(d.error);
          expect(JSON.stringify(call)).toBe(before);
        } else {
          expect(call.add(event, d.at)).toBe(d.new);
          good.push([event, d.at]);
        }
      });
      expect(call.summary()).toStrictEqual(v.record);
      // Through the state (as a Durable Object would keep it), in reverse order, and merged.
      const rev = new Call();
      for (const [e, at] of [...good].reverse()) rev.add(e, at);
      expect(Call.fromJSON(JSON.stringify(rev)).summary()).toStrictEqual(v.record);
      const a = new Call();
      const b = new Call();
      good.forEach(([e, at], i) => (i % 2 ? a : b).add(e, at));
      a.merge(b);
      expect(a.summary()).toStrictEqual(v.record);
    });
  }
});

test('CallTracker in workerd: completion hook', () => {
  const done = [];
  const t = new CallTracker({ onComplete: (r) => done.push(r.outcome) });
  const form = 'application/x-www-form-urlencoded';
  t.add(parse('eventType=InboundCall&containerId=1&tenantId=2&callUuid=w-1', form), 1);
  const r = t.add(parse('eventType=HangupCall&containerId=1&tenantId=2&callUuid=W-1', form), 2);
  expect(r.ended).toBe(true);
  expect(done).toStrictEqual(['missed']);
  expect(t.size).toBe(1);
});
