// The Durable Object calls example (example-calls/) under `wrangler dev` on 127.0.0.1 (workerd
// with Miniflare's local Durable Objects): real HTTP POSTs of one call's deliveries, out of order,
// retried and concurrent, then the record its object keeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, '..', '..');
const workerDir = path.join(pkgDir, 'example-calls');
const wrangler = path.join(pkgDir, 'node_modules', '.bin', 'wrangler');
const FORM = 'application/x-www-form-urlencoded';
const UUID = '7C1D2E3F-0000-4000-8000-00000000CA11';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

let child;
let base;
let output = '';
let scratch;

before(async () => {
  const port = await freePort();
  scratch = mkdtempSync(path.join(tmpdir(), 'primevox-wrangler-calls-'));
  child = spawn(
    wrangler,
    ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(await freePort()), '--persist-to', path.join(scratch, 'state')],
    {
      cwd: workerDir,
      detached: true, // its own process group: wrangler starts workerd, we stop both by group id
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', XDG_CONFIG_HOME: scratch, CI: '1', NO_COLOR: '1' },
    },
  );
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  base = `http://127.0.0.1:${port}`;
  // Bounded wait for the server: at most 90 s, polling every 250 ms.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`);
    try {
      const res = await fetch(`${base}/`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 405) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`wrangler dev did not answer within 90 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
});

after(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, 5000);
    await exited;
    clearTimeout(timer);
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function post(body, contentType = FORM) {
  const res = await fetch(`${base}/`, {
    method: 'POST',
    body,
    headers: { 'content-type': contentType },
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, json: await res.json() };
}

const inbound = (id) => `eventType=InboundCall&eventTarget=phoneNumber&containerId=1&tenantId=2&didNumber=15125550100&callUuid=${id}&callerIdNum=17375550142`;
const ring = (id, ext) => `eventType=ringAttempt&eventTarget=extension&containerId=1&tenantId=2&extNumber=${ext}&extName=Ext+${ext}&callUuid=${id}&callerIdNum=17375550142`;
const hangup = (id) => `eventType=HangupCall&containerId=1&tenantId=2&extNumber=&extName=&callUuid=${id}&callerIdNum=17375550142`;

test('one object per call: out of order, retried, case-different ids, concurrent deliveries', async () => {
  let r = await post(hangup(UUID));
  assert.equal(r.status, 200);
  assert.equal(r.json.call.outcome, 'missed');
  // The rest of the call at once: 12 ringAttempts and a retried InboundCall, in parallel.
  const bodies = [inbound(UUID.toLowerCase()), inbound(UUID.toLowerCase())];
  for (let i = 0; i < 12; i++) bodies.push(ring(i % 2 ? UUID : UUID.toLowerCase(), 100 + i));
  const answers = await Promise.all(bodies.map((b) => post(b)));
  assert.deepEqual(answers.map((a) => a.status), bodies.map(() => 200));
  const res = await fetch(`${base}/calls/${UUID}`, { signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 200);
  const record = await res.json();
  assert.equal(record.callUuid, UUID.toLowerCase());
  assert.equal(record.outcome, 'missed');
  assert.equal(record.ended, true);
  assert.equal(record.didNumber, '15125550100');
  assert.equal(record.deliveries, 14); // hangup + one InboundCall (the other is a retry) + 12 rings
  assert.deepEqual(record.extensionsRung.map((e) => e.extensionNumber).sort(), Array.from({ length: 12 }, (_, i) => String(100 + i)));
});

test('messages are acknowledged and not routed; unknown calls 404; bad payloads 400', async () => {
  const r = await post('{"eventType":"inboundMessage","toNumber":"1","fromNumber":"2","containerID":"1","tenantID":"2"}', 'application/json');
  assert.deepEqual([r.status, r.json], [200, { ok: true }]);
  const res = await fetch(`${base}/calls/never-seen`, { signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 404);
  await res.arrayBuffer();
  assert.equal((await post('eventType=HangupCall&containerId=1&tenantId=2')).status, 400);
});
