// A million events through the package's Node entry: the module's linear memory and the
// process's resident memory stay flat (bounds stated below), good and bad payloads alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseMany, ParseError } from 'primevox-webhooks-wasm';
import { memoryBytes } from '../../pkg/primevox_webhooks_wasm.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dir = path.join(root, 'examples');
const items = readdirSync(dir)
  .filter((f) => /\.(form|json)$/.test(f))
  .map((f) => [readFileSync(path.join(dir, f)), f.endsWith('.json') ? 'application/json' : 'application/x-www-form-urlencoded']);
items.push([Buffer.from('eventType=InboundCall&containerId=1'), 'application/x-www-form-urlencoded']); // missing_field
items.push([Buffer.from('{"eventType":'), 'application/json']); // invalid_json

const N = Number(process.env.PRIMEVOX_MEMORY_EVENTS || 1_000_000);

test(`${N} parses: wasm memory flat, RSS growth under 32 MB`, () => {
  const run = (n) => {
    let errors = 0;
    for (let i = 0; i < n; i++) {
      const [b, ct] = items[i % items.length];
      try {
        parse(i % 2 ? b : b.toString('utf8'), ct);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        errors++;
      }
    }
    return errors;
  };
  run(20_000); // warm up: the allocator reaches its working size
  globalThis.gc?.();
  const wasmBefore = memoryBytes();
  const rssBefore = process.memoryUsage().rss;
  const errors = run(N);
  parseMany(Array.from({ length: 1000 }, (_, i) => items[i % items.length]));
  globalThis.gc?.();
  const wasmAfter = memoryBytes();
  const rssAfter = process.memoryUsage().rss;
  console.log(`wasm memory ${wasmBefore} -> ${wasmAfter} bytes; rss ${(rssBefore / 2 ** 20).toFixed(1)} -> ${(rssAfter / 2 ** 20).toFixed(1)} MB; ${errors} errors`);
  let bad = 0;
  for (let i = 0; i < N; i++) if (i % items.length >= items.length - 2) bad++;
  assert.equal(errors, bad);
  assert.equal(wasmAfter, wasmBefore, 'the module memory grew');
  assert.ok(rssAfter - rssBefore < 32 * 2 ** 20, `rss grew by ${((rssAfter - rssBefore) / 2 ** 20).toFixed(1)} MB`);
});
