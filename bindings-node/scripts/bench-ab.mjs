// Quick check of the hand-off chosen in index.js (run after `npm run build`): the core's
// canonical JSON text, then JSON.parse in JS, against a hand-written JSON.parse /
// URLSearchParams baseline doing comparable work. (Building the object property by property in
// Rust through N-API was measured too, at 1.3x the time of this on the mixed corpus, and dropped;
// so was creating the result string as Latin-1 when ASCII: no measurable gain.)
// Not a test and not the benchmark suite of bench/: a quick figure on this machine.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const native = require('../native.js');
const pv = require('../index.js');

const FORM = 'application/x-www-form-urlencoded';
const calls = [];
for (let i = 0; i < 400; i++) {
  calls.push([
    Buffer.from(
      `eventType=InboundCall&eventTarget=phoneNumber&containerId=${3000 + i}&tenantId=118&didNumber=%2B1512555${String(1000 + i).slice(-4)}` +
        `&didDescription=Main+line+%26+sales&didGroup=Sales&cidPrefix=&callUuid=0f8e5c62-4b7d-4c1e-9a3b-2d6f8e1c${String(1000 + i).padStart(4, '0')}` +
        `&callerIdNum=1512555${String(2000 + i).slice(-4)}&callerIdName=JOS%C3%89+GARC%C3%8DA`,
    ),
    FORM,
  ]);
  calls.push([
    Buffer.from(
      `eventType=HangupCall&containerId=${3000 + i}&tenantId=118&extNumber=${100 + (i % 50)}&extName=Front+Desk&callUuid=b7e2a914-61c3-4f0d-a5e8-93d7c2b1${String(i).padStart(4, '0')}&callerIdName=WIRELESS+CALLER&callerIdNum=12145550187`,
    ),
    FORM,
  ]);
}
const msgs = [];
for (let i = 0; i < 200; i++) {
  msgs.push([
    Buffer.from(
      JSON.stringify({
        eventType: 'inboundMessage',
        toNumber: '+15125550100',
        fromNumber: `+1737555${String(i).padStart(4, '0')}`,
        containerID: '3547',
        tenantID: '118',
        conversationID: String(88000 + i),
        messageText: `Hi "team" — order #${i} is ready 😀\nsee you soon. ${'x'.repeat(i % 120)}`,
      }),
    ),
    'application/json',
  ]);
}
const corpus = [...calls, ...msgs];

// Hand-written baseline: what a user would write without the SDK.
const REQ = { InboundCall: ['containerId', 'tenantId', 'callUuid'], HangupCall: ['containerId', 'tenantId', 'callUuid'], inboundMessage: ['containerId', 'tenantId', 'toNumber', 'fromNumber'] };
const RENAME = { containerID: 'containerId', tenantID: 'tenantId', conversationID: 'conversationId', extNumber: 'extensionNumber', extName: 'extensionName' };
function handWritten(buf, ct) {
  const text = buf.toString('utf8');
  let src;
  if (ct === 'application/json') src = JSON.parse(text);
  else src = Object.fromEntries(new URLSearchParams(text));
  const out = { eventType: src.eventType };
  for (const [k, v] of Object.entries(src)) out[RENAME[k] || k] = v === '' ? null : v;
  const req = REQ[src.eventType];
  if (!req) throw new Error('unknown event');
  for (const r of req) if (out[r] == null) throw new Error(`missing ${r}`);
  return out;
}

const variants = {
  json_text_then_JSON_parse: (b, ct) => JSON.parse(native.parseBytes(b, ct)),
  index_js_parse: (b, ct) => pv.parse(b, ct),
  hand_written: handWritten,
};

function time(fn, data, reps) {
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < reps; r++) for (const [b, ct] of data) sink += fn(b, ct).eventType.length;
  return [Number(process.hrtime.bigint() - t0) / (reps * data.length), sink];
}
for (const [name, fn] of Object.entries(variants)) time(fn, corpus, 20); // warm up
const results = {};
for (const subset of ['mixed', 'form', 'json']) {
  const data = subset === 'mixed' ? corpus : subset === 'form' ? calls : msgs;
  const per = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let rep = 0; rep < 11; rep++) for (const [name, fn] of Object.entries(variants)) per[name].push(time(fn, data, 10)[0]);
  const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  results[subset] = Object.fromEntries(Object.entries(per).map(([k, v]) => [k, `${med(v).toFixed(0)} ns`]));
}
console.table(results);

// parseMany against parse in a loop, same corpus (ratio of throughputs).
{
  const items = corpus.map(([b, ct]) => [b, ct]);
  const single = () => items.map(([b, ct]) => pv.parse(b, ct));
  const batch = () => pv.parseMany(items);
  const ratios = [];
  for (let rep = 0; rep < 11; rep++) {
    let t0 = process.hrtime.bigint();
    for (let k = 0; k < 5; k++) single();
    const ts = Number(process.hrtime.bigint() - t0);
    t0 = process.hrtime.bigint();
    for (let k = 0; k < 5; k++) batch();
    const tb = Number(process.hrtime.bigint() - t0);
    ratios.push(ts / tb);
  }
  ratios.sort((a, b) => a - b);
  console.log(`parseMany throughput / parse-loop throughput (median of 11 paired reps): ${ratios[5].toFixed(2)}x`);
}
