// examples/node/parse-many-workers.mjs (the worker-threads recipe): its pool returns exactly what a
// loop of `parse` gives, item for item, over every language-neutral vector with a text body (plus
// the same bodies as Buffers), errors included. Equality only; its speed is measured, not tested.
// Needs examples/node installed (npm ci there links bindings-node); tests/ci/node.sh does it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { root, IMPL } from '../impl.mjs';

if (IMPL !== 'native') throw new Error('tests/js/native/ is for PRIMEVOX_IMPL=native only');

const exampleDir = path.join(root, 'examples', 'node');
// The package exactly as the example resolves it, so ParseError is the same class.
const pkg = await import(
  pathToFileURL(createRequire(path.join(exampleDir, 'x.js')).resolve('primevox-webhooks')).href
);
const { createParsePool } = await import(pathToFileURL(path.join(exampleDir, 'parse-many-workers.mjs')).href);

const vectorsDir = path.join(root, 'tests', 'vectors');
const items = [];
for (const f of readdirSync(vectorsDir).filter((f) => f.endsWith('.json')).sort()) {
  const v = JSON.parse(readFileSync(path.join(vectorsDir, f), 'utf8'));
  if (typeof v.body === 'string' && typeof v.content_type === 'string' && v.options === undefined) {
    items.push([v.body, v.content_type]);
  }
}
const batch = [...items, ...items.map(([b, ct]) => [Buffer.from(b, 'utf8'), ct])];

function loopOfParse(list) {
  return list.map(([b, ct]) => {
    try {
      return pkg.parse(b, ct);
    } catch (e) {
      return e;
    }
  });
}

test('the worker pool gives the same results as a loop of parse, in order', async (t) => {
  assert.ok(items.length > 100, `expected the vectors, found ${items.length}`);
  const expected = loopOfParse(batch);
  const errors = expected.filter((r) => r instanceof pkg.ParseError).length;
  assert.ok(errors > 10 && errors < batch.length - 10, 'the batch mixes events and errors');
  for (const size of [1, 2, 3]) {
    const pool = createParsePool(size);
    t.after(() => pool.close());
    const got = await pool.parseMany(batch);
    assert.equal(got.length, batch.length);
    for (let i = 0; i < batch.length; i++) {
      const e = expected[i];
      if (e instanceof pkg.ParseError) {
        assert.ok(got[i] instanceof pkg.ParseError, `item ${i}: expected ParseError ${e.code}`);
        assert.deepEqual([got[i].code, got[i].field, got[i].message], [e.code, e.field, e.message], `item ${i}`);
      } else {
        assert.deepEqual(got[i], e, `item ${i} (${size} workers)`);
        assert.equal(JSON.stringify(got[i]), JSON.stringify(e), `item ${i}: canonical JSON`);
      }
    }
    const kinds = await pool.kinds(batch);
    assert.deepEqual(kinds, expected.map((r) => (r instanceof pkg.ParseError ? `error:${r.code}` : r.kind)));
    // An empty batch and a batch smaller than the pool.
    assert.deepEqual(await pool.parseMany([]), []);
    assert.deepEqual(await pool.parseMany(batch.slice(0, 1)), expected.slice(0, 1));
  }
});
