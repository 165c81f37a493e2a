// Node side of the benchmark suite: the native package (bindings-node) against hand-written
// JSON.parse / URLSearchParams code, zod 4 and a compiled ajv schema (see alternatives.mjs).
//
//   node --expose-gc bench/node/bench.mjs CORPUS.jsonl [--reps N] [--n N] [--smoke] [--profile | --profile-minimal] [--subset json|form|mixed]
//
// Method (copied from bench/src/main.rs): one warm-up pass per contender, then every repetition
// runs every contender once over the whole set, the order rotating each repetition; the figure
// per contender is the median over repetitions (CPU time of the process, see cpuClock); the SDK speed-up is the median of the
// per-repetition ratio other/SDK (paired). Bodies are Buffers, as a receiver gets them; the
// alternatives decode them with toString() (the SDK reads the bytes). Every contender must
// accept every payload and agree with the SDK on the kind and every canonical field first.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import Ajv from 'ajv';
import { FIELDS, handParse, isJson, loopRead, makeAjv, makeZod, minimalParse } from './alternatives.mjs';
import { median, paired, rows } from './method.mjs';

const require = createRequire(import.meta.url);
const pv = require('../../bindings-node/index.js');
const zodPkg = require('zod/package.json');
const ajvPkg = require('ajv/package.json');

function args() {
  const a = { corpus: null, reps: 15, n: 10_000, profile: false, memChild: null };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === '--reps') a.reps = Number(argv[++i]);
    else if (x === '--n') a.n = Number(argv[++i]);
    else if (x === '--smoke') {
      a.reps = 3;
      a.n = Math.min(a.n, 600);
    } else if (x === '--profile') a.profile = true;
    else if (x === '--profile-minimal') {
      a.profile = true;
      a.profileWho = 'minimal';
    } else if (x === '--subset') a.subset = argv[++i];
    else if (x === '--mem-child') a.memChild = argv[++i];
    else if (a.corpus === null) a.corpus = x;
    else throw new Error(`unknown argument ${x}`);
  }
  if (a.corpus === null) throw new Error('usage: bench.mjs CORPUS.jsonl [--reps N] [--n N] [--smoke]');
  return a;
}

const gc = globalThis.gc ?? (() => {});

function load(path, n) {
  const items = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    const p = JSON.parse(line);
    items.push([Buffer.from(p.body, 'utf8'), p.content_type]);
    if (items.length === n) break;
  }
  return items;
}

const zodParse = makeZod(z);
const ajvParse = makeAjv(Ajv);
const SDK = 'primevox-webhooks (native)';
const PARSERS = [
  [SDK, (b, ct) => pv.parse(b, ct)],
  ['minimal: JSON.parse + property reads / URLSearchParams.get per documented field', (b, ct) => minimalParse(b.toString(), ct)],
  ['hand-written JSON.parse / URLSearchParams + alias map over every pair', (b, ct) => handParse(b.toString(), ct)],
  [`zod ${zodPkg.version} (discriminatedUnion)`, (b, ct) => zodParse(b.toString(), ct)],
  [`ajv ${ajvPkg.version} (compiled schema per eventType)`, (b, ct) => ajvParse(b.toString(), ct)],
];

function loop(parse) {
  return (items) => {
    let n = 0;
    for (let i = 0; i < items.length; i++) {
      if (parse(items[i][0], items[i][1]).kind !== undefined) n++;
    }
    return n;
  };
}

// Clocks in seconds. CPU time of the process (user + system; Node 20 has no per-thread CPU
// clock): on a shared, oversubscribed machine wall time mostly measures the other tenants.
// Wall time for the batch row, whose point is to use more than one thread.
const cpuClock = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const wallClock = () => Number(process.hrtime.bigint()) / 1e9;

function measure(items, contenders, reps, clock = cpuClock) {
  const times = contenders.map(() => []);
  for (const [, run] of contenders) run(items); // warm-up
  for (let rep = 0; rep < reps; rep++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + rep) % contenders.length;
      gc();
      const t = clock();
      contenders[i][1](items);
      times[i].push(clock() - t);
    }
  }
  return times;
}

function check(items) {
  for (const [b, ct] of items) {
    const ours = pv.parse(b, ct);
    const want = JSON.stringify([ours.kind, ...FIELDS[ours.kind].map((f) => ours[f])]);
    for (const [name, parse] of PARSERS.slice(1)) {
      let e;
      try {
        e = parse(b, ct);
      } catch (err) {
        throw new Error(`${name} rejected a corpus payload: ${err.message}\n${b}`);
      }
      const got = JSON.stringify([e.kind, ...FIELDS[e.kind].map((f) => e[f])]);
      if (got !== want) throw new Error(`${name} disagrees with the SDK:\n  sdk:  ${want}\n  them: ${got}\n${b}`);
    }
  }
}

/**
 * JS heap + external growth per event while every result is held, after a full GC; one child
 * process per contender so that none inherits another's heap.
 */
function memChild(items, name) {
  const parse = PARSERS.find(([n]) => n === name)[1];
  parse(items[0][0], items[0][1]);
  gc();
  gc();
  const m0 = process.memoryUsage();
  const kept = items.map(([b, ct]) => parse(b, ct));
  gc();
  gc();
  const m1 = process.memoryUsage();
  const bytes = m1.heapUsed + m1.external - (m0.heapUsed + m0.external);
  console.log(`${(bytes / kept.length).toFixed(0)} B/event (rss ${(m1.rss / 2 ** 20).toFixed(0)} MiB)`);
}

function memory(a) {
  return PARSERS.map(([name]) => {
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), a.corpus, '--n', String(a.n), '--mem-child', name], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`memory child for ${name} failed:\n${r.stderr}`);
    return `${name}: ${r.stdout.trim()}`;
  });
}

function main() {
  const a = args();
  const items = load(a.corpus, a.n);
  if (a.memChild) return memChild(items, a.memChild);
  if (a.profile) {
    // Only the SDK (every field read), on --subset json|form|mixed, for --cpu-prof.
    const set = a.subset === 'json' ? items.filter(([, ct]) => isJson(ct)) : a.subset === 'form' ? items.filter(([, ct]) => !isJson(ct)) : items;
    const run = loopRead(PARSERS[a.profileWho === 'minimal' ? 1 : 0][1]);
    for (let i = 0; i < a.reps; i++) run(set);
    return;
  }
  check(items);
  const json = items.filter(([, ct]) => isJson(ct));
  const form = items.filter(([, ct]) => !isJson(ct));
  console.log(
    `Node ${process.version}: ${items.length} payloads (${json.length} JSON, ${form.length} form), ` +
      `${a.reps} repetitions, ${os.availableParallelism()} cores; CPU time of the process (batch row: wall time), ` +
      `load average ${os.loadavg()[0].toFixed(1)}${globalThis.gc ? '' : ' (no --expose-gc)'}\n`,
  );
  console.log('| subset | contender | median ns/event | SDK speed-up (paired median) |');
  console.log('|---|---|---:|---:|');
  // Headline: parse, then read every field; then parse alone.
  const read = PARSERS.map(([name, p]) => [name, loopRead(p)]);
  const plain = PARSERS.map(([name, p]) => [name, loop(p)]);
  for (const [contenders, suffix] of [[read, ', every field read'], [plain, ', fields never read']]) {
    for (const [label, set] of [['mixed', items], ['JSON only', json], ['form only', form]]) {
      if (set.length === 0) continue;
      const times = measure(set, contenders, a.reps);
      for (const r of rows(label + suffix, set.length, contenders.map(([name]) => name), times)) console.log(r);
    }
  }
  const notes = [];
  if (typeof pv.parseMany === 'function') {
    const pairs = items.map(([b, ct]) => [b, ct]);
    const batch = [
      ['parseMany', () => pv.parseMany(pairs).length],
      // an array of results, as parseMany returns
      ['loop of parse', () => pairs.map(([b, ct]) => pv.parse(b, ct)).length],
    ];
    const times = measure(items, batch, a.reps, wallClock);
    console.log(
      `| mixed | parseMany vs loop of parse (throughput) | ${((median(times[0]) * 1e9) / items.length).toFixed(0)} | ` +
        `${paired(times[1], times[0]).toFixed(2)}x |`,
    );
  } else {
    notes.push('batch: the native package exports no parseMany yet; batch row not measured');
  }
  notes.push(`JS heap + external growth while holding all results: ${memory(a).join('; ')}`);
  console.log('');
  for (const n of notes) console.log(`- ${n}`);
}

main();
