// verifyToken (the core's constant-time comparison): same answers in the native and the wasm
// package. The receivers' token and allow-list options are tested per package (native/ here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pv from './impl.mjs';

test('verifyToken', () => {
  assert.equal(pv.verifyToken('s3cret', 's3cret'), true);
  assert.equal(pv.verifyToken('s3cret', ['old', 's3cret']), true);
  assert.equal(pv.verifyToken('s3cre', 's3cret'), false);
  assert.equal(pv.verifyToken('s3cret!', 's3cret'), false);
  assert.equal(pv.verifyToken('', ''), false);
  assert.equal(pv.verifyToken(undefined, 's3cret'), false);
  assert.equal(pv.verifyToken(null, ['s3cret']), false);
  assert.equal(pv.verifyToken('é', 'é'), true);
  assert.throws(() => pv.verifyToken('a', 7), TypeError);
});
