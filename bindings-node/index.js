'use strict';
// primevox-webhooks for Node.js. The API is the shared JavaScript layer (lib/, bundled into
// api.cjs at build time) over the napi addon (engine.js).
module.exports = require('./api.cjs');
