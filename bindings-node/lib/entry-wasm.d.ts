export * from './common.js';
export * from './receivers-fetch.js';
