// Types of the ESM entry (index.mjs): the same named exports as the CommonJS entry (index.d.ts),
// and the whole API as the default export.
import * as api from './lib/entry-node.js';
export * from './lib/entry-node.js';
export default api;
