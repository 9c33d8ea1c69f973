/**
 * Part of `npm run build`, after tsc: the migrated PGlite template (src/db/pglite-template.ts) in
 * dist/pglite-template/, so a service started on a new embedded data dir loads it instead of running initdb and
 * every migration (docs/operations.md#start-up-on-pglite). Plain JavaScript on the compiled dist/: the template's
 * name carries a key of the migrations' code as the service that loads it sees them, so it is built by that code.
 * Both forms: the tarball (loaded by a database in memory) and its data directory (copied into a new data dir on
 * disk, which is faster and holds nothing in memory). Kept while the migrations are unchanged: a rebuild then
 * costs nothing.
 */
const { builtTemplateDir, ensurePgliteTemplateDataDir } = await import('../dist/src/db/pglite-template.js');

const started = performance.now();
const file = await ensurePgliteTemplateDataDir(builtTemplateDir());
// stderr: `npm start` runs this (prestart), and its stdout is the service's JSON log stream.
process.stderr.write(`pglite template: ${file} (${Math.round(performance.now() - started)} ms)\n`);
