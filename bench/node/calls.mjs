// The calls rows for Node (or, with --wasm, the wasm package's Node entry): deliveries per second
// through CallTracker (events parsed beforehand) over the calls corpus (`pvbench calls-corpus`).
//
//   node bench/node/calls.mjs CALLS.jsonl [--reps N] [--wasm]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const a = { corpus: null, reps: 15, wasm: false };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--reps') a.reps = Number(argv[++i]);
  else if (argv[i] === '--wasm') a.wasm = true;
  else if (a.corpus === null) a.corpus = argv[i];
  else throw new Error(`unknown argument ${argv[i]}`);
}
const entry = a.wasm ? path.join(root, 'bindings-wasm', 'js', 'node.js') : path.join(root, 'bindings-node', 'index.mjs');
const pv = await import(pathToFileURL(entry).href);
const { parse, CallTracker } = pv.parse ? pv : pv.default;

const events = readFileSync(a.corpus, 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => {
    const r = JSON.parse(l);
    return [parse(r.body, r.contentType), r.at];
  });

function run() {
  const t = new CallTracker();
  for (const [e, at] of events) t.add(e, at);
  return t;
}
run();
const times = [];
for (let i = 0; i < a.reps; i++) {
  const t0 = process.cpuUsage();
  run();
  const d = process.cpuUsage(t0);
  times.push((d.user + d.system) / 1e6);
}
times.sort((x, y) => x - y);
const ns = (times[times.length >> 1] * 1e9) / events.length;
const calls = run().drain();
const sizes = calls.map((c) => Buffer.byteLength(JSON.stringify(c)));
const label = a.wasm ? 'wasm package (Node entry)' : 'Node';
console.log(`| calls (${calls.length} calls, ${events.length} deliveries) | CallTracker.add${a.wasm ? ' (wasm)' : ''} | ${ns.toFixed(0)} | ${(1e9 / ns).toFixed(0)} deliveries/s |`);
console.log(`- calls (${label}): ${(1e9 / ns).toFixed(0)} deliveries/s through CallTracker.add (events parsed beforehand); state JSON per call: mean ${(sizes.reduce((x, y) => x + y, 0) / sizes.length).toFixed(0)} bytes, max ${Math.max(...sizes)} bytes`);
