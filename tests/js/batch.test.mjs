// parseMany: results and errors in order, one per item, equal to parse() item by item; a bad
// item never affects the others. Runs unchanged against the native and the wasm package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pv, { root } from './impl.mjs';

const { parse, parseMany, ParseError } = pv;
const VECTOR_DIR = path.join(root, 'tests', 'vectors');
const vectors = readdirSync(VECTOR_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(path.join(VECTOR_DIR, f), 'utf8')));
const body = (v) => (v.body_base64 !== undefined ? Buffer.from(v.body_base64, 'base64') : Buffer.from(v.body, 'utf8'));

function one(b, ct, opts) {
  try {
    return parse(b, ct, opts);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
}

function assertSame(got, want, where) {
  if (want instanceof ParseError) {
    assert.ok(got instanceof ParseError, `${where}: expected ParseError ${want.code}, got ${JSON.stringify(got)}`);
    assert.equal(got.code, want.code, where);
    assert.equal(got.field, want.field, where);
    assert.equal(got.message, want.message, where);
  } else {
    assert.deepStrictEqual(got, want, where);
  }
}

test('parseMany over every vector (default and strict options) equals parse item by item', () => {
  for (const opts of [undefined, { strict: true }]) {
    const items = vectors.map((v) => [body(v), v.content_type]);
    const got = parseMany(items, opts);
    assert.equal(got.length, items.length);
    items.forEach(([b, ct], i) => assertSame(got[i], one(b, ct, opts), `item ${i}`));
  }
});

test('a large batch (spread over threads) keeps order; strings, Uint8Arrays and missing content types', () => {
  const good = vectors.filter((v) => v.expect.event && !v.options);
  const items = [];
  for (let i = 0; i < 3000; i++) {
    const v = good[i % good.length];
    const b = body(v);
    if (i % 7 === 3) items.push([`eventType=InboundCall&containerId=${i}`, 'application/x-www-form-urlencoded']);
    else if (i % 5 === 0 && v.body !== undefined) items.push([v.body, v.content_type]);
    else if (i % 5 === 1) items.push([new Uint8Array(b), v.content_type]);
    else if (i % 5 === 2 && v.content_type === null) items.push([b]);
    else items.push([b, v.content_type]);
  }
  const got = parseMany(items);
  assert.equal(got.length, items.length);
  let errors = 0;
  items.forEach(([b, ct], i) => {
    assertSame(got[i], one(b, ct), `item ${i}`);
    if (got[i] instanceof ParseError) errors += 1;
  });
  assert.equal(errors, items.filter((_, i) => i % 7 === 3).length);
});

test('parseMany edge cases', () => {
  assert.deepStrictEqual(parseMany([]), []);
  const [bad] = parseMany([['', null]]);
  assert.ok(bad instanceof ParseError);
  assert.equal(bad.code, 'empty_body');
  const [big] = parseMany([['eventType=x&a=1', null]], { maxBodyBytes: 4 });
  assert.equal(big.code, 'body_too_large');
  assert.throws(() => parseMany('nope'), TypeError);
  assert.throws(() => parseMany([42]), TypeError);
  assert.throws(() => parseMany([['a=b', 7]]), TypeError);
});
