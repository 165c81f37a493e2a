// examples/node/express-receiver.mjs, run as written (node, PORT=0), receives real POSTs.
// Needs examples/node installed (npm ci there links bindings-node); tests/ci/node.sh does it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { root, IMPL } from '../impl.mjs';

if (IMPL !== 'native') throw new Error('tests/js/native/ is for PRIMEVOX_IMPL=native only');

const exampleDir = path.join(root, 'examples', 'node');

test('examples/node/express-receiver.mjs answers 200 / 400 and handles a retried delivery once', async (t) => {
  assert.ok(existsSync(path.join(exampleDir, 'node_modules', 'express')), 'run npm ci in examples/node first');
  const child = spawn(process.execPath, ['express-receiver.mjs'], {
    cwd: exampleDir,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGTERM');
  });
  const lines = [];
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`example did not start: ${stderr}`)), 15_000);
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        const m = /^listening on (.*)$/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(JSON.parse(m[1]).port);
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`example exited with ${code}: ${stderr}`)));
  });
  const url = `http://127.0.0.1:${port}/primevox`;
  const body =
    'eventType=InboundCall&eventTarget=phoneNumber&containerId=1001&tenantId=42&didNumber=%2B15125550100' +
    '&callUuid=0f8e5c62-4b7d-4c1e-9a3b-2d6f8e1c7a90&callerIdNum=5125550199&callerIdName=JANE+DOE';
  const send = (b) =>
    fetch(url, {
      method: 'POST',
      body: b,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      signal: AbortSignal.timeout(10_000),
    });
  assert.equal((await send(body)).status, 200);
  assert.equal((await send(body)).status, 200); // the retry
  const bad = await send('eventType=InboundCall&containerId=1001');
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, 'missing_field');
  // Give the child's stdout a moment to arrive, bounded.
  for (let i = 0; i < 50 && lines.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  const logged = lines.filter((l) => l.startsWith('{'));
  assert.deepStrictEqual(logged.map((l) => JSON.parse(l)), [{ kind: 'call.inbound', caller: '+15125550199' }]);
});
