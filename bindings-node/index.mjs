// ESM entry point: the same objects as the CommonJS entry (one copy of the native addon).
import cjs from './index.js';

export const {
  parse,
  parseMany,
  ParseError,
  encode,
  dedupKey,
  callerE164,
  verifyToken,
  ERROR_CODES,
  KINDS,
  expressMiddleware,
  keepRawBody,
  fastifyPlugin,
  httpHandler,
} = cjs;
export default cjs;
