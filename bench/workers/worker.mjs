// The Workers harness, run inside workerd (bundled by bench.mjs with esbuild; the .wasm stays a
// separate CompiledWasm module, as under wrangler). Times are taken and ratios computed inside
// the isolate; the driver only sends the corpus and prints what comes back.
//
//   POST /load     body: JSON [[body, contentType], ...]  -> checks every contender on every item
//   POST /run      body: JSON { subset, reps, read }            -> { rows: [markdown rows], inner, clock }
//   POST /batch    body: JSON { reps }                    -> { row } (parseMany, when exported)
import * as pv from '../../bindings-wasm/js/workerd.js';
import * as z from 'zod';
import { FIELDS, handParse, isJson, loopRead, makeZod, minimalParse } from '../node/alternatives.mjs';
import { median, paired, rows } from '../node/method.mjs';
import zodPkg from 'zod/package.json';

const enc = new TextEncoder();
const dec = new TextDecoder();
const zodParse = makeZod(z);
const PARSERS = [
  ['primevox-webhooks-wasm', (b, ct) => pv.parse(b, ct)],
  ['minimal: JSON.parse + property reads / URLSearchParams.get per documented field', (b, ct) => minimalParse(dec.decode(b), ct)],
  ['hand-written JSON.parse / URLSearchParams + alias map over every pair', (b, ct) => handParse(dec.decode(b), ct)],
  [`zod ${zodPkg.version} (discriminatedUnion)`, (b, ct) => zodParse(dec.decode(b), ct)],
];

let items = [];

function loop(parse) {
  return (set) => {
    let n = 0;
    for (let i = 0; i < set.length; i++) {
      if (parse(set[i][0], set[i][1]).kind !== undefined) n++;
    }
    return n;
  };
}

// The clock. workerd may freeze performance.now()/Date.now() during synchronous execution (as
// deployed Workers do, advancing them only across I/O) and may make them coarse. So: probe
// whether the clock moves during a busy loop; if it does not, end each timed block with an
// await of a 0 ms timer (I/O) before reading it. Either way each block runs the set `inner`
// times, `inner` chosen so that the SDK's block lasts >= MIN_BLOCK_MS (coarse ticks then cost
// < 1-2 % per repetition).
const MIN_BLOCK_MS = 100;
const tick = () => new Promise((r) => setTimeout(r, 0));
let clock = null;

async function probeClock() {
  if (clock !== null) return clock;
  await tick();
  const t0 = performance.now();
  let x = 0;
  for (let i = 0; i < 2e7; i++) x += i % 7;
  const sync = performance.now() - t0;
  await tick();
  const io = performance.now() - t0;
  // resolution: the smallest non-zero step among the first 20 seen
  let step = Infinity;
  let seen = 0;
  let last = performance.now();
  for (let i = 0; i < 2e6 && seen < 20; i++) {
    const t = performance.now();
    if (t !== last) {
      step = Math.min(step, t - last);
      seen++;
    }
    last = t;
  }
  clock = { advancesInSyncCode: sync > 0, syncMs: sync, acrossIoMs: io, resolutionMs: step, sink: x };
  return clock;
}

async function timeBlock(run, set, inner) {
  await tick();
  const t = performance.now();
  for (let j = 0; j < inner; j++) run(set);
  if (!clock.advancesInSyncCode) await tick();
  return (performance.now() - t) / 1000 / inner;
}

async function measure(set, contenders, reps) {
  await probeClock();
  for (const [, run] of contenders) run(set); // warm-up
  let inner = 1;
  const once = await timeBlock(contenders[0][1], set, 1);
  if (once * 1000 < MIN_BLOCK_MS) inner = Math.ceil(MIN_BLOCK_MS / Math.max(once * 1000, 0.5));
  const times = contenders.map(() => []);
  for (let rep = 0; rep < reps; rep++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + rep) % contenders.length;
      times[i].push(await timeBlock(contenders[i][1], set, inner));
    }
  }
  return { times, inner };
}

function check() {
  for (const [b, ct] of items) {
    const ours = pv.parse(b, ct);
    const want = JSON.stringify([ours.kind, ...FIELDS[ours.kind].map((f) => ours[f])]);
    for (const [name, parse] of PARSERS.slice(1)) {
      const e = parse(b, ct);
      const got = JSON.stringify([e.kind, ...FIELDS[e.kind].map((f) => e[f])]);
      if (got !== want) throw new Error(`${name} disagrees with the SDK:\n  sdk:  ${want}\n  them: ${got}\n${dec.decode(b)}`);
    }
  }
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    try {
      if (url.pathname === '/load') {
        items = (await request.json()).map(([body, ct]) => [enc.encode(body), ct]);
        check();
        return Response.json({ loaded: items.length, clock: await probeClock(), parseMany: typeof pv.parseMany === 'function' });
      }
      if (url.pathname === '/run') {
        const { subset, reps, read } = await request.json();
        const set = subset === 'JSON only' ? items.filter(([, ct]) => isJson(ct)) : subset === 'form only' ? items.filter(([, ct]) => !isJson(ct)) : items;
        // read: parse, then read every field (the headline); otherwise parse alone
        const contenders = PARSERS.map(([name, p]) => [name, read ? loopRead(p) : loop(p)]);
        const { times, inner } = await measure(set, contenders, reps);
        const label = subset + (read ? ', every field read' : ', fields never read');
        return Response.json({ rows: rows(label, set.length, PARSERS.map(([n]) => n), times), inner, n: set.length });
      }
      if (url.pathname === '/batch') {
        const { reps } = await request.json();
        const batch = [
          ['parseMany', () => pv.parseMany(items).length],
          // an array of results, as parseMany returns
          ['loop of parse', () => items.map(([b, ct]) => pv.parse(b, ct)).length],
        ];
        const { times } = await measure(items, batch, reps);
        const ns = ((median(times[0]) * 1e9) / items.length).toFixed(0);
        return Response.json({ row: `| mixed | parseMany vs loop of parse (throughput) | ${ns} | ${paired(times[1], times[0]).toFixed(2)}x |` });
      }
      return new Response('not found', { status: 404 });
    } catch (err) {
      return new Response(String(err && err.stack ? err.stack : err), { status: 500 });
    }
  },
};
