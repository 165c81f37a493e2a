// Copies the event types generated once by the core (core/generated/events.d.ts) next to
// index.d.ts. The copy is a build product (git-ignored), never edited by hand.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// Also the generated event builder (event-builder.cjs), which makes event objects from the
// addon's layout of an event.
for (const name of ['events.d.ts', 'event-builder.cjs']) {
  const src = path.join(__dirname, '..', '..', 'core', 'generated', name);
  const dst = path.join(__dirname, '..', name);
  if (!fs.existsSync(src)) {
    if (fs.existsSync(dst)) continue; // building from a packed tarball: the copy ships with it
    console.error(`copy-types: ${src} not found (generate it with the core's codegen)`);
    process.exit(1);
  }
  const header = `// GENERATED: copied from core/generated/${name} by scripts/copy-types.js. Do not edit.\n`;
  fs.writeFileSync(dst, header + fs.readFileSync(src, 'utf8'));
}
