// The example Worker (example-worker/, the README quick start) under `wrangler dev` on
// 127.0.0.1, receiving real HTTP POSTs in both encodings from this test client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, '..', '..');
const root = path.resolve(pkgDir, '..');
const workerDir = path.join(pkgDir, 'example-worker');
const wrangler = path.join(pkgDir, 'node_modules', '.bin', 'wrangler');

import { VECTORS, send, checkAnswer } from '../../../tests/js/receiver-vectors.mjs';

const FORM = 'application/x-www-form-urlencoded';
const CALL = readFileSync(path.join(root, 'examples', 'inbound-call.form'), 'utf8').trim();
const MESSAGE = readFileSync(path.join(root, 'examples', 'inbound-message.json'), 'utf8');
const HANGUP = readFileSync(path.join(root, 'examples', 'call-hangup.form'), 'utf8').trim();

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
  scratch = mkdtempSync(path.join(tmpdir(), 'primevox-wrangler-'));
  child = spawn(
    wrangler,
    ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(await freePort())],
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

async function post(body, contentType) {
  const res = await fetch(`${base}/`, {
    method: 'POST',
    body,
    headers: contentType ? { 'content-type': contentType } : {},
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, type: res.headers.get('content-type'), json: await res.json() };
}

test('form-encoded call event: 200 {"ok":true}', async () => {
  const r = await post(CALL, FORM);
  assert.equal(r.status, 200);
  assert.deepStrictEqual(r.json, { ok: true });
  const r2 = await post(HANGUP, `${FORM}; charset=UTF-8`);
  assert.equal(r2.status, 200);
});

test('JSON message event: 200 {"ok":true}', async () => {
  const r = await post(MESSAGE, 'application/json');
  assert.equal(r.status, 200);
  assert.deepStrictEqual(r.json, { ok: true });
});

test('raw bytes (non-UTF-8 escape) still parse: 200', async () => {
  const r = await post(Buffer.from(`${CALL}&note=%FF`), FORM);
  assert.equal(r.status, 200);
});

test('bad payloads: 400 with the error code', async () => {
  let r = await post('eventType=InboundCall&containerId=1&tenantId=2', FORM);
  assert.equal(r.status, 400);
  assert.match(r.type, /^application\/json/);
  assert.equal(r.json.error.code, 'missing_field');
  assert.equal(r.json.error.field, 'callUuid');
  r = await post('{"eventType":"inboundMessage",', 'application/json');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_json');
  r = await post('', FORM);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'empty_body');
  r = await post('x'.repeat(70_000), FORM);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'body_too_large');
});

// The shared receiver vectors that need no options and a handler that returns normally, over a
// raw socket to the Worker under wrangler dev (real HTTP: lying Content-Length, Expect:
// 100-continue, chunked bodies, methods).
const PLAIN = VECTORS.filter((v) => v.options === undefined && v.handler === 'ok' && v.expect.optionError === undefined);
// wrangler dev's local proxy chain (in Node and Miniflare, in front of the Worker) forwards a
// request only once its declared body has arrived, so a lying Content-Length never reaches the
// Worker here; and after a body the Worker stops reading (over the limit), or a compressed one,
// its next request fails with "Network connection lost" before the Worker runs. These vectors
// run on workerd's own socket (workerd-socket.test.mjs), where the Worker answers them at once.
const PROXY_WAITS = ['declared-too-large', 'declared-too-large-expect-continue', 'chunked-too-large'];
const viaProxy = (v) => !PROXY_WAITS.includes(v.name) && v.request.headers?.['content-encoding'] === undefined;

test('the example Worker answers the shared receiver vectors over real HTTP', async () => {
  assert.ok(PLAIN.length >= 15, `only ${PLAIN.length} plain vectors`);
  assert.ok(PROXY_WAITS.every((n) => PLAIN.some((v) => v.name === n)));
  const port = Number(new URL(base).port);
  const failed = [];
  for (const v of PLAIN.filter(viaProxy)) {
    const answer = await send(port, { ...v.request, path: '/' }, 10_000).catch((err) => ({ status: 0, body: 'null', headers: {}, err }));
    const what = `${v.file} ${v.name}: ${answer.body}`;
    if (answer.err || answer.status !== v.expect.status) {
      failed.push(`${what} (${answer.status} ${answer.err?.message ?? ''})`);
      continue;
    }
    checkAnswer(v, answer);
  }
  assert.deepStrictEqual(failed, []);
});

test('the worker ran its handler (its log lines)', async () => {
  // Logs reach wrangler's output asynchronously: bounded wait.
  const deadline = Date.now() + 10_000;
  while (!/call 3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d from \+17375550142/.test(output) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.match(output, /call 3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d from \+17375550142 to \+15125550100/);
  assert.match(output, /text from /);
});

test('README quick starts are exactly the example Worker that ran here', () => {
  // bindings-wasm/README.md always has it; the project README too once it carries the Workers
  // quick start (its wrangler.toml block names the example Worker).
  const toml = readFileSync(path.join(workerDir, 'wrangler.toml'), 'utf8');
  const ts = readFileSync(path.join(workerDir, 'src', 'index.ts'), 'utf8');
  let checked = 0;
  for (const file of [path.join(pkgDir, 'README.md'), path.join(root, 'README.md')]) {
    const readme = readFileSync(file, 'utf8');
    const at = readme.indexOf('name = "primevox-webhooks-example"');
    if (at < 0) {
      assert.notEqual(file, path.join(pkgDir, 'README.md'), 'bindings-wasm/README.md lost its quick start');
      continue;
    }
    const from = readme.lastIndexOf('```toml\n', at);
    const tomlBlock = readme.slice(from + 8, readme.indexOf('```', from + 8));
    assert.equal(tomlBlock, toml, `${path.relative(root, file)}: wrangler.toml block`);
    const tsFrom = readme.indexOf('```ts\n', from);
    const tsBlock = readme.slice(tsFrom + 6, readme.indexOf('```', tsFrom + 6));
    assert.equal(tsBlock, ts, `${path.relative(root, file)}: src/index.ts block`);
    checked++;
  }
  assert.ok(checked >= 1);
});
