/**
 * Part of `npm run build`, after tsc: the migrated PGlite template (src/db/pglite-template.ts) in
 * dist/pglite-template/, so a service started on a new embedded data dir loads it instead of running initdb and
 * every migration (docs/operations.md#start-up-on-pglite). Plain JavaScript on the compiled dist/: the template's
 * name carries a key of the migrations' code as the service that loads it sees them, so it is built by that code.
 * Kept while the migrations are unchanged: a rebuild then costs nothing.
 */
const { builtTemplateDir, ensurePgliteTemplate } = await import('../dist/src/db/pglite-template.js');

const started = performance.now();
const file = await ensurePgliteTemplate(builtTemplateDir());
// stderr: `npm start` runs this (prestart), and its stdout is the service's JSON log stream.
process.stderr.write(`pglite template: ${file} (${Math.round(performance.now() - started)} ms)\n`);
