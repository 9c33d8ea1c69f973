/**
 * Part of `npm run build`, after tsc: the API contract as JSON in dist/openapi/, so a start parses JSON instead of
 * the YAML (src/http/openapi-document.ts, docs/operations.md#start-up-on-pglite). Plain JavaScript on the compiled
 * dist/, like build-pglite-template.mjs: the file's name is keyed by the code that reads it.
 */
const { writeOpenApiDocumentJson } = await import('../dist/src/http/openapi-document.js');

// stderr: `npm start` runs this (prestart), and its stdout is the service's JSON log stream.
process.stderr.write(`openapi document: ${writeOpenApiDocumentJson()}\n`);
