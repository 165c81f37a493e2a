// examples/node/router-receiver.mjs (shown in the README), run as written (node, PORT=0): three
// kinds routed and a completed call reported, over real POSTs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root, IMPL } from '../impl.mjs';

if (IMPL !== 'native') throw new Error('tests/js/native/ is for PRIMEVOX_IMPL=native only');

const exampleDir = path.join(root, 'examples', 'node');
const examples = path.join(root, 'examples');
const FORM = 'application/x-www-form-urlencoded';

test('examples/node/router-receiver.mjs routes three kinds and reports a completed call', async (t) => {
  const child = spawn(process.execPath, ['router-receiver.mjs'], {
    cwd: exampleDir,
    env: { ...process.env, PORT: '0', PRIMEVOX_TOKEN: 's3cret-token' },
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
  const send = (body, contentType, token = 's3cret-token') =>
    fetch(`http://127.0.0.1:${port}/primevox?token=${token}`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
      signal: AbortSignal.timeout(10_000),
    });
  const inbound = readFileSync(path.join(examples, 'inbound-call.form'), 'utf8');
  const uuid = /callUuid=([^&\s]+)/.exec(inbound)[1];
  for (const [file, type] of [
    ['inbound-call.form', FORM],
    ['inbound-message.json', 'application/json'],
    ['voicemail-left.form', FORM],
  ]) {
    const r = await send(readFileSync(path.join(examples, file)), type);
    assert.equal(r.status, 200, file);
    assert.deepEqual(await r.json(), { ok: true });
  }
  const hangup = `eventType=HangupCall&containerId=3547&tenantId=118&callUuid=${uuid}`;
  assert.equal((await send(hangup, FORM, 'wrong')).status, 401);
  assert.equal((await send(hangup, FORM)).status, 200);
  for (let i = 0; i < 100 && !lines.some((l) => l.includes('ended')); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(lines.some((l) => l.startsWith('call from +')), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('text from ')), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('voicemail for extension ')), lines.join('\n'));
  assert.ok(lines.includes(`call ${uuid} ended: missed, 2 deliveries`), lines.join('\n'));
  assert.equal(stderr, '');
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const code = readFileSync(path.join(exampleDir, 'router-receiver.mjs'), 'utf8').trimEnd();
  assert.ok(readme.includes('```js\n' + code + '\n```'), 'the README shows examples/node/router-receiver.mjs verbatim');
  // The Workers block is type-checked in bindings-wasm/README.md (tests/ci/wasm.sh): the same text here.
  const wasmReadme = readFileSync(path.join(root, 'bindings-wasm', 'README.md'), 'utf8');
  const routing = wasmReadme.split('### Routing events')[1].split('```ts\n')[1].split('```')[0];
  assert.ok(routing.includes('new Router('), 'bindings-wasm/README.md has the Workers router block');
  assert.ok(readme.includes('```ts\n' + routing + '```'), 'the README shows the Workers router block of bindings-wasm/README.md');
});

test('a Router is a receiver handler: failures answer 500 handler_failed, answerFirst answers 200 first', async () => {
  const { Router, httpHandler, parse } = (await import('../impl.mjs')).default;
  const http = await import('node:http');
  const body = readFileSync(path.join(examples, 'inbound-call.form'));
  const seen = [];
  const router = new Router().on('call.inbound', (e) => {
    seen.push(e.callUuid);
    if (seen.length > 1) throw new Error('deliberate');
  });
  const errors = [];
  for (const [answerFirst, want] of [[false, 200], [false, 500], [true, 200]]) {
    const server = http.createServer(httpHandler(router, { answerFirst, onError: (e) => errors.push(e) }));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const r = await fetch(`http://127.0.0.1:${server.address().port}/`, {
        method: 'POST',
        body,
        headers: { 'content-type': FORM },
        signal: AbortSignal.timeout(10_000),
      });
      const answer = await r.json();
      assert.equal(r.status, want, JSON.stringify(answer));
      if (want === 500) assert.equal(answer.error.code, 'handler_failed');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }
  for (let i = 0; i < 100 && errors.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(seen.length, 3);
  assert.equal(errors.length, 2); // the 500, and the failure after the answer-first 200
  assert.ok(errors.every((e) => e.name === 'HandlerError'));
  assert.equal(parse(body, FORM).callUuid, seen[0]);
  assert.throws(() => httpHandler({ dispatch: 1 }), /onEvent must be a function or a Router/);
  assert.throws(() => httpHandler(router, { answerFirst: 'yes' }), /answerFirst must be a boolean/);
});
