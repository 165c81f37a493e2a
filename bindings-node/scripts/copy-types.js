// Copies the event types generated once by the core (core/generated/events.d.ts) next to
// index.d.ts. The copy is a build product (git-ignored), never edited by hand.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const src = path.join(__dirname, '..', '..', 'core', 'generated', 'events.d.ts');
const dst = path.join(__dirname, '..', 'events.d.ts');
if (!fs.existsSync(src)) {
  if (fs.existsSync(dst)) process.exit(0); // building from a packed tarball: the copy ships with it
  console.error(`copy-types: ${src} not found (generate it with the core's codegen)`);
  process.exit(1);
}
const header = '// GENERATED: copied from core/generated/events.d.ts by scripts/copy-types.js. Do not edit.\n';
fs.writeFileSync(dst, header + fs.readFileSync(src, 'utf8'));
