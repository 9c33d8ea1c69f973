/**
 * Validating Kubernetes manifests offline, the two checks `kubectl apply --validate=strict` makes before a cluster
 * sees them:
 * - the schema: each object against the OpenAPI schema of its apiVersion/kind, with the validators
 *   kubernetes-models generated from Kubernetes' own OpenAPI document (types, required fields, enums, formats);
 * - unknown fields: those validators accept properties the schema does not name (the schema leaves
 *   additionalProperties open, and so would a server without strict field validation, silently dropping a typo
 *   like `readinesProbe`). So each object is also type-checked by the TypeScript compiler as an object literal of
 *   kubernetes-models' interface for its kind, whose excess-property check names every unknown field at any depth.
 * The model of a kind is found by its import path, `kubernetes-models/<apiVersion>/<kind>`: a kind it does not
 * know fails as a problem, never passes unchecked.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import YAML from 'yaml';
import { PROJECT_ROOT } from '../../src/config.ts';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** Every YAML document of a multi-document file, as plain objects; a YAML syntax error throws. */
export function parseManifests(file: string): Manifest[] {
  return YAML.parseAllDocuments(readFileSync(file, 'utf8')).map((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
    return document.toJS() as Manifest;
  });
}

const label = (manifest: Manifest) => `${manifest.kind} ${manifest.metadata?.name ?? '(unnamed)'}`;

/** kubernetes-models' module of a kind: `v1/Service`, `apps/v1/Deployment`. */
const modulePath = (manifest: Manifest) => `kubernetes-models/${manifest.apiVersion}/${manifest.kind}`;

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** Schema problems of one object (empty = valid), including "no model for this apiVersion/kind". */
export async function schemaProblems(manifest: Manifest): Promise<string[]> {
  if (typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string') return [`a document without apiVersion and kind`];
  let Model: ModelClass | undefined;
  try {
    Model = ((await import(modulePath(manifest))) as Record<string, ModelClass>)[manifest.kind];
  } catch {
    Model = undefined;
  }
  if (Model === undefined) return [`${label(manifest)}: kubernetes-models has no ${manifest.apiVersion} ${manifest.kind}`];
  try {
    new Model(manifest).validate();
    return [];
  } catch (error) {
    return [`${label(manifest)}: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/**
 * Fields no schema names, for all objects in one compiler run (~4 s: the compiler loads the kubernetes-models
 * declarations once). Each problem names the object and the compiler's message ("'pathh' does not exist in type
 * 'IHTTPGetAction'").
 */
export function unknownFieldProblems(manifests: Manifest[]): string[] {
  // A virtual file beside the real ones, so kubernetes-models resolves from the project's node_modules.
  const file = path.join(PROJECT_ROOT, 'test', 'support', '__manifests_typecheck__.ts');
  const lines = manifests.map((manifest, i) => {
    const typeName = `I${manifest.kind}`;
    return `import type { ${typeName} as T${i} } from '${modulePath(manifest)}';\nexport const m${i}: T${i} = ${JSON.stringify(manifest)};`;
  });
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const readSource = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) =>
    name === file ? ts.createSourceFile(name, source, languageVersion) : readSource(name, languageVersion, ...rest);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (diagnostic.file?.fileName !== file || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const manifest = manifests[Math.floor(line / 2)];
    return manifest === undefined ? message : `${label(manifest)}: ${message}`;
  });
}
