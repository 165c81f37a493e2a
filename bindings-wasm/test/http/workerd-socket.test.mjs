// The example Worker, bundled as `wrangler deploy` would upload it, served by workerd itself
// (Miniflare) on 127.0.0.1 without wrangler dev's proxy in front: the shared receiver vectors that
// need no options, over a raw socket. Among them the lying Content-Length and Expect:
// 100-continue cases (16.8), which must be answered at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { VECTORS, send, checkAnswer } from '../../../tests/js/receiver-vectors.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, '..', '..');
const workerDir = path.join(pkgDir, 'example-worker');
const wrangler = path.join(pkgDir, 'node_modules', '.bin', 'wrangler');

let mf;
let port;
let scratch;

before(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'primevox-workerd-'));
  const out = path.join(scratch, 'dist');
  execFileSync(wrangler, ['deploy', '--dry-run', '--outdir', out], {
    cwd: workerDir,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', XDG_CONFIG_HOME: scratch, CI: '1', NO_COLOR: '1' },
    stdio: 'ignore',
    timeout: 120_000,
  });
  const files = readdirSync(out);
  assert.ok(files.includes('index.js') && files.some((f) => f.endsWith('.wasm')), files.join(', '));
  mf = new Miniflare({
    scriptPath: path.join(out, 'index.js'),
    modules: true,
    modulesRoot: out,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    compatibilityDate: '2026-04-01',
    host: '127.0.0.1',
    port: 0,
  });
  port = Number((await mf.ready).port);
});

after(async () => {
  await mf?.dispose();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('the shared receiver vectors without options, on workerd\'s socket', async () => {
  const plain = VECTORS.filter((v) => v.options === undefined && v.handler === 'ok' && v.expect.optionError === undefined);
  assert.ok(plain.some((v) => v.name === 'declared-too-large-expect-continue'));
  for (const v of plain) {
    const started = Date.now();
    const answer = await send(port, v.request, 10_000).catch((err) => {
      throw new Error(`${v.file} ${v.name}: ${err.message}`);
    });
    checkAnswer(v, answer);
    if (v.name.startsWith('declared-too-large')) assert.ok(Date.now() - started < 5000, `${v.name} was not answered at once`);
  }
});
