// Loads the package under test. PRIMEVOX_IMPL=native (default) -> bindings-node,
// PRIMEVOX_IMPL=wasm -> bindings-wasm's Node entry (from its package.json "exports").
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const IMPL = process.env.PRIMEVOX_IMPL || 'native';

const PACKAGE_DIRS = { native: 'bindings-node', wasm: 'bindings-wasm' };
if (!(IMPL in PACKAGE_DIRS)) throw new Error(`PRIMEVOX_IMPL must be native or wasm, not ${IMPL}`);
export const packageDir = path.join(root, PACKAGE_DIRS[IMPL]);

// The ESM entry a Node user gets from `import ... from '<package>'`.
function entryOf(dir) {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const pick = (e) => {
    if (typeof e === 'string') return e;
    if (e && typeof e === 'object') {
      for (const cond of ['node', 'import', 'default']) {
        const r = pick(e[cond]);
        if (r) return r;
      }
    }
    return undefined;
  };
  let entry;
  if (pkg.exports !== undefined) {
    const dot = typeof pkg.exports === 'string' || !('.' in pkg.exports) ? pkg.exports : pkg.exports['.'];
    entry = pick(dot);
  }
  entry = entry || pkg.module || pkg.main || 'index.js';
  return path.join(dir, entry);
}

export const entryPath = entryOf(packageDir);
const mod = await import(pathToFileURL(entryPath).href);
export const impl = mod.default && mod.parse === undefined ? mod.default : mod;
export default impl;
