// Workers side of the benchmark suite: runs worker.mjs inside workerd through Miniflare (the
// version bindings-wasm tests with), feeds it the corpus, prints the rows it computed inside the
// isolate, plus the .wasm size.
//
//   node bench/workers/bench.mjs CORPUS.jsonl [--reps N] [--n N] [--smoke]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { bundleWorker } from '../scripts/worker-bundle.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const WASM = path.join(root, 'bindings-wasm', 'pkg', 'primevox_webhooks_wasm_bg.wasm');

const a = { corpus: null, reps: 15, n: 10_000 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--reps') a.reps = Number(argv[++i]);
  else if (argv[i] === '--n') a.n = Number(argv[++i]);
  else if (argv[i] === '--smoke') {
    a.reps = 3;
    a.n = Math.min(a.n, 600);
  } else if (a.corpus === null) a.corpus = argv[i];
  else throw new Error(`unknown argument ${argv[i]}`);
}
if (a.corpus === null) throw new Error('usage: bench.mjs CORPUS.jsonl [--reps N] [--n N] [--smoke]');

const items = readFileSync(a.corpus, 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .slice(0, a.n)
  .map((l) => {
    const p = JSON.parse(l);
    return [p.body, p.content_type];
  });

// Bundle the Worker (zod and the shared alternatives inlined); the .wasm import stays a module.
const dist = path.join(here, 'dist');
await bundleWorker(build, path.join(here, 'worker.mjs'), dist);

const mf = new Miniflare({
  modulesRoot: dist,
  modules: [
    { type: 'ESModule', path: path.join(dist, 'worker.mjs') },
    { type: 'CompiledWasm', path: path.join(dist, 'primevox_webhooks_wasm_bg.wasm') },
  ],
  compatibilityDate: '2026-04-01',
  compatibilityFlags: ['nodejs_compat'],
});

async function post(route, body) {
  const r = await mf.dispatchFetch(`http://bench.local${route}`, { method: 'POST', body: JSON.stringify(body) });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${route}: ${r.status}\n${text}`);
  return JSON.parse(text);
}

try {
  const mfPkg = JSON.parse(readFileSync(path.join(here, 'node_modules', 'miniflare', 'package.json'), 'utf8'));
  const wdPkg = JSON.parse(readFileSync(path.join(here, 'node_modules', 'workerd', 'package.json'), 'utf8'));
  const loaded = await post('/load', items);
  const nJson = items.filter(([, ct]) => ct != null && ct.startsWith('application/json')).length;
  console.log(
    `Workers (workerd ${wdPkg.version} via Miniflare ${mfPkg.version}): ${items.length} payloads ` +
      `(${nJson} JSON, ${items.length - nJson} form), ${a.reps} repetitions, timed inside the isolate, load average ${os.loadavg()[0].toFixed(1)}\n`,
  );
  console.log('| subset | contender | median ns/event | SDK speed-up (paired median) |');
  console.log('|---|---|---:|---:|');
  const inner = [];
  // Headline: parse, then read every field; then parse alone.
  for (const read of [true, false]) {
    for (const subset of ['mixed', 'JSON only', 'form only']) {
      const r = await post('/run', { subset, reps: a.reps, read });
      inner.push(`${subset}${read ? ' (read)' : ''} x${r.inner}`);
      for (const row of r.rows) console.log(row);
    }
  }
  const notes = [];
  if (loaded.parseMany) console.log((await post('/batch', { reps: a.reps })).row);
  else notes.push('batch: the wasm package exports no parseMany; batch row not measured');
  const c = loaded.clock;
  notes.push(
    `isolate clock: performance.now ${c.advancesInSyncCode ? 'advances' : 'does NOT advance'} during synchronous code ` +
      `(busy loop: ${c.syncMs} ms sync, ${c.acrossIoMs} ms after a 0 ms timer), resolution ${c.resolutionMs} ms; ` +
      `each timed block repeats the set to last >= 100 ms (${inner.join(', ')})`,
  );
  const wasm = readFileSync(WASM);
  notes.push(`.wasm size: ${wasm.length} bytes raw, ${gzipSync(wasm, { level: 9 }).length} bytes gzip -9`);
  console.log('');
  for (const n of notes) console.log(`- ${n}`);
} finally {
  await mf.dispose();
}
