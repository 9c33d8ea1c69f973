import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isSeq } from 'yaml';
import { environmentFor, type OperationEnvironment } from './cel-environment.ts';
import { knownOperations } from './input-schema.ts';
import { PolicyLoadError } from './policy-load-error.ts';
import { compileRule, type CompiledRule, type RuleIdRegistry } from './rule-compiler.ts';
import { YamlObject } from './yaml-object.ts';
import { YamlFile } from './yaml-source.ts';

export const MANIFEST_FILE = 'manifest.yaml';
export const PARAMS_FILE = 'params.yaml';

export interface CompiledOperation {
  readonly environment: OperationEnvironment;
  readonly rules: readonly CompiledRule[];
}

export interface BundleContents {
  readonly dir: string;
  /** Every file the bundle was read from (manifest, params, rule files), by name, as read. */
  readonly sources: ReadonlyMap<string, string>;
  readonly name: string;
  readonly revision: string;
  readonly description?: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly operations: ReadonlyMap<string, CompiledOperation>;
}

/** Reads and compiles a bundle directory. Any problem is a PolicyLoadError naming the file, rule and position. */
export async function readBundle(dir: string): Promise<BundleContents> {
  const sources = new Map<string, string>();
  const openYaml = (name: string) => openYamlInto(sources, dir, name);
  const manifest = await readManifest(dir, openYaml);
  const params = await readParams(openYaml);
  const operations = new Map<string, CompiledOperation>();
  const ids: RuleIdRegistry = new Map();
  const definedIn = new Map<string, string>();
  for (const fileName of await ruleFileNames(dir)) {
    const file = await openYaml(fileName);
    if (!file) continue;
    const { environment, rules } = compileRuleFile(file, ids, definedIn);
    operations.set(environment.operation, { environment, rules });
  }
  return { dir, sources, ...manifest, params, operations };
}

type YamlOpener = (name: string) => Promise<YamlFile | undefined>;

async function readManifest(dir: string, openYaml: YamlOpener) {
  const file = await openYaml(MANIFEST_FILE);
  if (!file) {
    throw new PolicyLoadError({ file: displayPath(path.join(dir, MANIFEST_FILE)) }, 'missing manifest: a bundle needs manifest.yaml with name and revision');
  }
  const manifest = YamlObject.from(file, file.root, 'the manifest', ['name', 'revision', 'description']);
  const description = manifest.optionalString('description')?.value;
  return {
    name: manifest.requiredString('name').value,
    revision: manifest.requiredString('revision').value,
    ...(description !== undefined && { description }),
  };
}

/** params.yaml is optional; an empty file means no params. */
async function readParams(openYaml: YamlOpener): Promise<Record<string, unknown>> {
  const file = await openYaml(PARAMS_FILE);
  if (!file || file.root === null || file.root === undefined) return {};
  // Params are free-form (the rules define what they read), so there is no closed key set to check here.
  if (!isMap(file.root)) throw file.error('params must be a YAML mapping', file.root);
  return file.toJS() as Record<string, unknown>;
}

function compileRuleFile(file: YamlFile, ids: RuleIdRegistry, definedIn: Map<string, string>): CompiledOperation {
  const ruleFile = YamlObject.from(file, file.root, 'a rule file', ['operation', 'rules']);
  const operationNode = ruleFile.requiredString('operation');
  const operation = operationNode.value;
  const environment = environmentFor(operation);
  if (!environment) {
    throw ruleFile.error(`operation: no input schema for "${operation}" (known: ${knownOperations().join(', ')})`, operationNode);
  }
  const other = definedIn.get(operation);
  if (other) throw ruleFile.error(`operation: ${operation} already has a rule file (${other})`, operationNode);
  definedIn.set(operation, file.display);

  if (!ruleFile.has('rules')) throw ruleFile.error('missing required key "rules"');
  const rulesNode = ruleFile.raw('rules');
  if (!isSeq(rulesNode)) throw ruleFile.error('rules: must be a YAML list of rules', rulesNode);
  const rules = rulesNode.items.map((node) => compileRule(file, node, environment, ids));
  return { environment, rules };
}

/** Every top-level *.yaml / *.yml except the manifest and params; subfolders (e.g. test cases) are not rules. */
async function ruleFileNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => entry.name)
    .filter((name) => name !== MANIFEST_FILE && name !== PARAMS_FILE)
    .sort();
}

/** Parses a bundle file (recording its text in `sources`), or returns undefined when it does not exist. */
async function openYamlInto(sources: Map<string, string>, dir: string, name: string): Promise<YamlFile | undefined> {
  const absolute = path.join(dir, name);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PolicyLoadError({ file: displayPath(absolute) }, `cannot read: ${(error as Error).message}`);
  }
  sources.set(name, text);
  return YamlFile.parse(displayPath(absolute), text);
}

/** Paths in messages are relative to the working directory when inside it ("policies/x.yaml"), else absolute. */
export function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}
