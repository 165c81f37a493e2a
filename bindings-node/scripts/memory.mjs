// Resident memory while parsing many events: `node --expose-gc scripts/memory.mjs [N]`
// (default 1,000,000). Prints one JSON line: rss before/after (MB) after a warm-up and a GC.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const pv = require('../index.js');

const N = Number(process.argv[2] || 1_000_000);
const bodies = [
  [Buffer.from('eventType=InboundCall&eventTarget=phoneNumber&containerId=1001&tenantId=42&didNumber=%2B15125550100&didDescription=Main+line&callUuid=0f8e5c62-4b7d-4c1e-9a3b-2d6f8e1c7a90&callerIdNum=5125550199&callerIdName=JOS%C3%89&x=1'), 'application/x-www-form-urlencoded'],
  [Buffer.from('{"eventType":"inboundMessage","toNumber":"+15125550100","fromNumber":"+17375550142","containerID":"3547","tenantID":"118","messageText":"hi \\"there\\" \\ud83d\\ude00","n":[1,2,{"a":null}]}'), 'application/json'],
  [Buffer.from('eventType=InboundCall&containerId=1001'), 'application/x-www-form-urlencoded'], // error path
];
function run(n) {
  let k = 0;
  for (let i = 0; i < n; i++) {
    const [b, ct] = bodies[i % bodies.length];
    try {
      k += pv.parse(b, ct).kind.length;
    } catch (e) {
      k += e.code.length;
    }
    if (i % 1000 === 0) k += pv.parseMany([[b, ct]]).length + pv.dedupKey(pv.parse(bodies[0][0], bodies[0][1])).length;
  }
  return k;
}
const mb = () => process.memoryUsage().rss / 1048576;
run(Math.min(N, 100_000));
globalThis.gc?.();
const before = mb();
run(N);
globalThis.gc?.();
const after = mb();
console.log(JSON.stringify({ events: N, rssBeforeMB: +before.toFixed(1), rssAfterMB: +after.toFixed(1), growthMB: +(after - before).toFixed(1) }));
