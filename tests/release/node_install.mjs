// Runs inside a fresh npm project that installed the tarballs of dist/ (tests/ci/release.sh), with
// no Rust on PATH: the addon is the platform package's (napi-rs layout, resolved through the main
// package's optionalDependencies), the package works from CommonJS and ESM, and the README's Node
// quick start (an Express receiver) answers real deliveries on 127.0.0.1.
//
//   node node_install.mjs REPO_ROOT        (copied into the npm project and run there)
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import assert from 'node:assert/strict';

const root = resolve(process.argv[2]);
const app = process.cwd();
const require = createRequire(join(app, 'package.json'));

for (const tool of ['cargo', 'rustc']) {
  assert.throws(() => execFileSync('which', [tool], { stdio: 'pipe' }), `${tool} is on PATH`);
}

// Installed from the tarballs, not linked to the repository.
const main = join(app, 'node_modules', 'primevox-webhooks');
const platform = join(app, 'node_modules', 'primevox-webhooks-linux-x64-gnu');
const mainPkg = JSON.parse(readFileSync(join(main, 'package.json'), 'utf8'));
assert.equal(mainPkg.optionalDependencies['primevox-webhooks-linux-x64-gnu'], mainPkg.version);
assert.ok(!readdirSync(main).some((f) => f.endsWith('.node')), 'the main package carries no .node');
assert.ok(existsSync(join(platform, 'primevox-webhooks.linux-x64-gnu.node')));

// CommonJS: the one .node loaded is the platform package's.
const pv = require('primevox-webhooks');
const addons = Object.keys(require.cache).filter((k) => k.endsWith('.node'));
assert.deepEqual(addons, [join(platform, 'primevox-webhooks.linux-x64-gnu.node')]);
assert.ok(!addons[0].startsWith(root + sep), addons[0]);
console.log(`addon loaded from ${addons[0].slice(app.length + 1)}`);
const call = readFileSync(join(root, 'examples', 'inbound-call.form'));
assert.equal(pv.parse(call, 'application/x-www-form-urlencoded').kind, 'call.inbound');

// ESM: the same API.
const esm = await import('primevox-webhooks');
assert.equal(esm.parse(call, 'application/x-www-form-urlencoded').kind, 'call.inbound');
assert.equal(typeof esm.expressMiddleware, 'function');

// The README's Node quick start: its Express receiver, saved as express-receiver.mjs.
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.split('## Node quick start')[1].split('\n## ')[0];
const block = section.split('```js\n')[1].split('\n```')[0];
writeFileSync(join(app, 'express-receiver.mjs'), `${block}\n`);

const child = spawn(process.execPath, ['express-receiver.mjs'], {
  cwd: app,
  env: { ...process.env, PORT: '0' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (d) => { out += d; });
try {
  const deadline = Date.now() + 30_000;
  let port;
  while (!port) {
    const m = out.match(/listening on (\{.*\})/);
    if (m) port = JSON.parse(m[1]).port;
    else if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the receiver did not start: ${out}`);
    else await new Promise((r) => setTimeout(r, 50));
  }
  const url = `http://127.0.0.1:${port}/primevox`;
  const examples = readdirSync(join(root, 'examples')).filter((f) => /\.(json|form)$/.test(f)).sort();
  assert.ok(examples.length >= 11);
  for (const name of examples) {
    const body = readFileSync(join(root, 'examples', name));
    const type = name.endsWith('.json') ? 'application/json' : 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': type }, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    assert.equal(res.status, 200, `${name}: ${text}`);
    assert.deepEqual(JSON.parse(text), { ok: true });
  }
  const bad = await fetch(url, {
    method: 'POST',
    body: 'eventType=HangupCall&containerId=1&tenantId=2',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    signal: AbortSignal.timeout(30_000),
  });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.code, 'missing_field');
  // The handler ran once per delivery (retries of one delivery share a dedup key).
  await new Promise((r) => setTimeout(r, 100));
  const handled = out.split('\n').filter((l) => l.startsWith('{"kind"')).map((l) => JSON.parse(l));
  const kinds = examples.map((name) => pv.parse(readFileSync(join(root, 'examples', name)),
    name.endsWith('.json') ? 'application/json' : 'application/x-www-form-urlencoded').kind);
  assert.deepEqual(handled.map((h) => h.kind), kinds);
  console.log(`Express receiver on 127.0.0.1:${port}: ${examples.length} deliveries answered 200 and handled, a bad one 400 missing_field`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
}
