export * from './common.js';
export * from './receivers-node.js';
