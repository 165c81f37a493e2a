// worker_threads: several workers parse at once (each loads its own copy of the package) and
// every result matches the one computed on the main thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pv, { root } from './impl.mjs';

const VECTOR_DIR = path.join(root, 'tests', 'vectors');

function loadCases() {
  return readdirSync(VECTOR_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(VECTOR_DIR, f), 'utf8')))
    .map((v) => ({
      body: v.body_base64 !== undefined ? Buffer.from(v.body_base64, 'base64').toString('base64') : Buffer.from(v.body).toString('base64'),
      contentType: v.content_type,
      options: v.options
        ? Object.fromEntries(Object.entries(v.options).map(([k, x]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), x]))
        : undefined,
    }));
}

// Runs in each worker: parse every case `rounds` times, return one outcome per case.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const url = require('node:url').pathToFileURL(workerData.implModule).href;
  const { default: pv } = await import(url);
  const out = [];
  for (let r = 0; r < workerData.rounds; r++) {
    workerData.cases.forEach((c, i) => {
      let res;
      try { res = { event: JSON.stringify(pv.parse(Buffer.from(c.body, 'base64'), c.contentType, c.options)) }; }
      catch (e) { res = { error: e instanceof pv.ParseError ? e.code + ':' + e.field : 'NOT A ParseError: ' + e }; }
      if (r === 0) out.push(res);
      else if (JSON.stringify(out[i]) !== JSON.stringify(res)) throw new Error('result changed between rounds for case ' + i);
    });
  }
  parentPort.postMessage(out);
})().catch((e) => { throw e; });
`;

function outcome(c) {
  try {
    return { event: JSON.stringify(pv.parse(Buffer.from(c.body, 'base64'), c.contentType, c.options)) };
  } catch (e) {
    return { error: e instanceof pv.ParseError ? `${e.code}:${e.field}` : `NOT A ParseError: ${e}` };
  }
}

test('4 worker_threads parse all vectors concurrently with the main thread and agree with it', async () => {
  const cases = loadCases();
  const expected = cases.map(outcome);
  const implModule = path.join(path.dirname(new URL(import.meta.url).pathname), 'impl.mjs');
  const workers = Array.from({ length: 4 }, () =>
    new Worker(WORKER_SOURCE, { eval: true, workerData: { implModule, cases, rounds: 25 }, env: process.env }),
  );
  const results = workers.map(
    (w) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          w.terminate();
          reject(new Error('worker timed out'));
        }, 60_000);
        w.once('message', (m) => {
          clearTimeout(timer);
          resolve(m);
        });
        w.once('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      }),
  );
  // Keep the main thread parsing too while the workers run.
  for (let r = 0; r < 10; r++) assert.deepStrictEqual(cases.map(outcome), expected);
  const all = await Promise.all(results);
  await Promise.all(workers.map((w) => w.terminate()));
  for (const got of all) assert.deepStrictEqual(got, expected);
});
