export * from './common';
export * from './receivers-node';
