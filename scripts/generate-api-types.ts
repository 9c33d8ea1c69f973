/**
 * `npm run generate:types`: TypeScript types for every request and response in openapi/certguard.yaml (the single
 * source of request shape), written to src/request/api-types.generated.ts with openapi-typescript. The file is checked
 * in so the service needs no build step; test/unit/api-types-generated.test.ts fails when it is out of date.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const SPEC_FILE = path.join(ROOT, 'openapi', 'certguard.yaml');
export const API_TYPES_FILE = path.join(ROOT, 'src', 'request', 'api-types.generated.ts');

const HEADER = `/**
 * GENERATED from openapi/certguard.yaml by \`npm run generate:types\` (scripts/generate-api-types.ts, openapi-typescript).
 * Do not edit: change the spec and regenerate; test/unit/api-types-generated.test.ts fails when this file is stale.
 */

`;

/** The file's full text, as the script would write it now. */
export async function generateApiTypes(): Promise<string> {
  const ast = await openapiTS(pathToFileURL(SPEC_FILE), { silent: true });
  return HEADER + astToString(ast);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(API_TYPES_FILE, await generateApiTypes());
  console.log(`wrote ${path.relative(process.cwd(), API_TYPES_FILE)} from ${path.relative(process.cwd(), SPEC_FILE)}`);
}
