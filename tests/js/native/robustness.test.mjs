// Native addon robustness: a panic inside the addon reaches JS as an Error (the process and the
// addon keep working), and parsing many events keeps resident memory flat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import pv, { packageDir, IMPL } from '../impl.mjs';

if (IMPL !== 'native') throw new Error('tests/js/native/ is for PRIMEVOX_IMPL=native only');
const native = createRequire(path.join(packageDir, 'index.js'))('./native.js');

test('a panic in the addon is a JS Error, not an abort; the addon keeps working', () => {
  for (let i = 0; i < 3; i++) {
    assert.throws(
      () => native.__panicForTests(),
      (e) => e instanceof Error && !(e instanceof pv.ParseError) && /internal error.*deliberate panic/.test(e.message),
    );
  }
  assert.equal(pv.parse('eventType=queueEntered&containerId=1&tenantId=2&callUuid=u').kind, 'queue.entered');
  // The deepest path: nesting far beyond max_depth is an error, not a stack overflow.
  const deep = `{"eventType":"inboundMessage","x":${'['.repeat(100000)}${']'.repeat(100000)}}`;
  assert.throws(() => pv.parse(deep, 'application/json', { maxBodyBytes: 1 << 20 }), (e) => e.code === 'invalid_json');
});

test('parsing 150,000 events (events, errors, batches, helpers) keeps RSS flat (< 16 MB growth)', () => {
  const out = execFileSync(process.execPath, ['--expose-gc', path.join(packageDir, 'scripts', 'memory.mjs'), '150000'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const r = JSON.parse(out.trim().split('\n').pop());
  assert.equal(r.events, 150000);
  assert.ok(r.growthMB < 16, `RSS grew by ${r.growthMB} MB`);
});
