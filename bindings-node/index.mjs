// ESM entry point: the same objects as the CommonJS entry (one copy of the native addon).
export * from './api.cjs';
import cjs from './api.cjs';
export default cjs;
