// Types of the primevox-webhooks Node package: the shared JavaScript layer's (lib/*.d.ts).
export * from './lib/entry-node.js';
