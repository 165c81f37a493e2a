// Entry for Node (no compiler needed): same API as the native package.
import './init-node.js';

export * from '../pkg/api.mjs';
