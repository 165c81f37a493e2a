// Runs inside a fresh Workers project that installed primevox-webhooks-wasm from its tarball in
// dist/ (tests/ci/release.sh): the README's Workers quick start (wrangler.toml + src/index.ts) is
// bundled by `wrangler deploy --dry-run --outdir` (upload size, raw and gzipped), then served by
// `wrangler dev` on 127.0.0.1 (workerd), where it answers real deliveries.
//
//   node workers_install.mjs REPO_ROOT WRANGLER      (cwd: the Workers project)
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import assert from 'node:assert/strict';

const root = resolve(process.argv[2]);
const wrangler = resolve(process.argv[3]);
const app = process.cwd();
const scratch = mkdtempSync(join(tmpdir(), 'primevox-wrangler-'));
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', XDG_CONFIG_HOME: scratch, CI: '1', NO_COLOR: '1' };

// The README's Workers quick start, as written.
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.split('## Workers quick start')[1].split('\n## ')[0];
const toml = section.split('```toml\n')[1].split('\n```')[0];
const ts = section.split('```ts\n')[1].split('\n```')[0];
assert.match(toml, /main = "src\/index.ts"/);
writeFileSync(join(app, 'wrangler.toml'), `${toml}\n`);
mkdirSync(join(app, 'src'), { recursive: true });
writeFileSync(join(app, 'src', 'index.ts'), `${ts}\n`);

// wrangler deploy --dry-run --outdir: the upload, measured.
const outdir = join(app, 'bundle');
rmSync(outdir, { recursive: true, force: true });
const deploy = spawnSync(wrangler, ['deploy', '--dry-run', '--outdir', outdir], {
  cwd: app, env, encoding: 'utf8', timeout: 180_000,
});
const deployOut = `${deploy.stdout}${deploy.stderr}`;
assert.equal(deploy.status, 0, deployOut);
const upload = deployOut.match(/Total Upload:\s*([\d.]+ KiB)\s*\/\s*gzip:\s*([\d.]+ KiB)/);
assert.ok(upload, `no upload size in:\n${deployOut}`);
// What is uploaded: the modules (wrangler also writes a README.md there).
const files = readdirSync(outdir).filter((f) => /\.(m?js|wasm)$/.test(f));
assert.ok(files.some((f) => f.endsWith('.wasm')), `no .wasm in the bundle: ${files}`);
const bundle = files.map((f) => readFileSync(join(outdir, f)));
const raw = bundle.reduce((n, b) => n + b.length, 0);
const gz = bundle.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
for (const f of files.filter((f) => f.endsWith('.js'))) {
  assert.ok(!readFileSync(join(outdir, f), 'utf8').includes(root), `${f} refers to the repository`);
}
console.log(`wrangler deploy --dry-run: Total Upload ${upload[1]} / gzip ${upload[2]}`);
console.log(`bundle (${files.join(', ')}): ${raw} bytes raw, ${gz} bytes gzip -9`);
writeFileSync(join(app, 'sizes.json'), JSON.stringify({ uploadRaw: upload[1], uploadGzip: upload[2], bundleRaw: raw, bundleGzip: gz, files }));

// wrangler dev on 127.0.0.1: real deliveries.
function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}
const port = await freePort();
const child = spawn(
  wrangler,
  ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(await freePort())],
  { cwd: app, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
);
let output = '';
child.stdout.on('data', (d) => (output += d));
child.stderr.on('data', (d) => (output += d));
const base = `http://127.0.0.1:${port}`;
try {
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
  const examples = readdirSync(join(root, 'examples')).filter((f) => /\.(json|form)$/.test(f)).sort();
  assert.ok(examples.length >= 11);
  for (const name of examples) {
    const type = name.endsWith('.json') ? 'application/json' : 'application/x-www-form-urlencoded';
    const res = await fetch(`${base}/`, {
      method: 'POST', body: readFileSync(join(root, 'examples', name)),
      headers: { 'content-type': type }, signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    assert.equal(res.status, 200, `${name}: ${text}`);
    assert.deepEqual(JSON.parse(text), { ok: true });
  }
  const bad = await fetch(`${base}/`, {
    method: 'POST', body: 'eventType=HangupCall&containerId=1&tenantId=2',
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, signal: AbortSignal.timeout(30_000),
  });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, 'missing_field');
  // The quick start's handler logged the inbound call (wrangler dev prints the Worker's console).
  const logDeadline = Date.now() + 10_000;
  while (!output.includes('call 3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d from +17375550142') && Date.now() < logDeadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(output.includes('call 3f2b8c1e-9d4a-4c7e-8b1a-2e5f6a7b8c9d from +17375550142'), output);
  console.log(`wrangler dev on 127.0.0.1:${port}: ${examples.length} deliveries answered 200, a bad one 400 missing_field`);
} finally {
  const exited = new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  try { process.kill(-child.pid, 'SIGTERM'); } catch {}
  const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} }, 10_000);
  await exited;
  clearTimeout(timer);
  rmSync(scratch, { recursive: true, force: true });
}
