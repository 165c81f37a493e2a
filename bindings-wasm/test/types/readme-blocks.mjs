// Writes every ```ts block of bindings-wasm/README.md to test/types/.readme/ so that
// tsc --strict type-checks the README's examples as written (tests/ci/wasm.sh).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(path.join(here, '..', '..', 'README.md'), 'utf8');
const out = path.join(here, '.readme');
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
// Each block is named after the README section it is in: <section-slug>-<n>.ts.
const blocks = [];
let section = 'top';
const count = {};
for (const m of readme.matchAll(/^## (.*)$|```ts\n([\s\S]*?)```/gm)) {
  if (m[1] !== undefined) {
    section = m[1].toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    continue;
  }
  const n = (count[section] = (count[section] ?? -1) + 1);
  blocks.push([`${section}-${n}.ts`, m[2]]);
}
if (blocks.length === 0) throw new Error('no ts blocks in README.md');
for (const [name, code] of blocks) writeFileSync(path.join(out, name), code);
console.log(`${blocks.length} README TypeScript blocks written to ${path.relative(process.cwd(), out)}`);
