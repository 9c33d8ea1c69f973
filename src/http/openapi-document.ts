/**
 * The API contract (openapi/certguard.yaml) as one parsed object per process. Parsing its YAML cost ~150-300 ms
 * of a start-up on the shared 2-core machine, and the app used to do it twice (docs/operations.md#start-up-on-pglite);
 * `npm run build` therefore also writes it as JSON (scripts/build-openapi-document.mjs), which parses in ~2 ms.
 *
 * The JSON's name carries a hash of the YAML's text, as the PGlite template's carries one of the migrations: an
 * edited contract never serves a stale JSON copy, it falls back to parsing the YAML (as under tsx, without a build).
 * Readers share the object, so none may change it: the validator gets a copy (openapi-validation.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { PROJECT_ROOT } from '../config.ts';

export const OPENAPI_SPEC_PATH = path.join(PROJECT_ROOT, 'openapi', 'certguard.yaml');

/** Where `npm run build` puts the JSON copy; the image ships it in dist/. */
export function builtOpenApiDocumentDir(): string {
  return path.join(PROJECT_ROOT, 'dist', 'openapi');
}

function jsonCopyPath(dir: string, yamlText: string): string {
  const key = createHash('sha256').update(yamlText).digest('hex').slice(0, 16);
  return path.join(dir, `certguard-${key}.json`);
}

/** Reads the contract at `specPath`: from its JSON copy in `jsonDir` if there is one for this text, else the YAML. */
export function readOpenApiDocument(specPath: string = OPENAPI_SPEC_PATH, jsonDir: string = builtOpenApiDocumentDir()): OpenApiDocument {
  const yamlText = readFileSync(specPath, 'utf8');
  const jsonCopy = jsonCopyPath(jsonDir, yamlText);
  return existsSync(jsonCopy) ? JSON.parse(readFileSync(jsonCopy, 'utf8')) : YAML.parse(yamlText);
}

/**
 * The contract as parsed: its readers (operation-resolver.ts, strict-numbers.ts) each declare the part they read,
 * and the validator checks the whole against the OpenAPI schema.
 */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, typed by each reader for the part it reads
export type OpenApiDocument = any;

let document: OpenApiDocument;

/** The parsed contract; read on the first call only. Never change the object: it is shared. */
export function openApiDocument(): OpenApiDocument {
  document ??= readOpenApiDocument();
  return document;
}

/**
 * Writes the JSON copy for today's contract into `dir` (temporary name, then rename) and removes the copies of
 * earlier contracts; returns its path.
 */
export function writeOpenApiDocumentJson(dir: string = builtOpenApiDocumentDir(), specPath: string = OPENAPI_SPEC_PATH): string {
  const yamlText = readFileSync(specPath, 'utf8');
  const target = jsonCopyPath(dir, yamlText);
  mkdirSync(dir, { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(YAML.parse(yamlText)));
  renameSync(temporary, target);
  for (const file of readdirSync(dir)) {
    if (/^certguard-[0-9a-f]{16}\.json$/.test(file) && file !== path.basename(target)) rmSync(path.join(dir, file));
  }
  return target;
}
