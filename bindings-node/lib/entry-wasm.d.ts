export * from './common';
export * from './receivers-fetch';
