/**
 * Policy test case files (`<bundle>/tests/*.yaml`): read, checked against the bundle (operations, rule ids) and
 * turned into cases ready to run. Any problem is a PolicyLoadError with file:line:column, like a rule file's.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isSeq } from 'yaml';
import { displayPath } from '../engine/bundle-reader.ts';
import { knownOperations, operationSchema } from '../engine/input-schema.ts';
import type { PolicyBundle } from '../engine/policy-bundle.ts';
import type { PolicyInput } from '../engine/policy-input.ts';
import { PolicyLoadError } from '../engine/policy-load-error.ts';
import { readExpectation, type PolicyTestExpectation } from './policy-test-expect.ts';
import { readCaseInput } from './policy-test-input.ts';
import { openMapping, plainValue } from './policy-test-yaml.ts';
import { YamlObject } from '../engine/yaml-object.ts';
import { YamlFile } from '../engine/yaml-source.ts';

export interface PolicyTestCase {
  /** The case file, as error messages name it (relative to the working directory when inside it). */
  file: string;
  name: string;
  operation: string;
  input: PolicyInput;
  /** Keys that replace params.yaml's keys of the same name for this case only. */
  params?: Readonly<Record<string, unknown>>;
  expect: PolicyTestExpectation;
}

const FILE_KEYS = ['operation', 'description', 'cases'];
const CASE_KEYS = ['name', 'description', 'operation', 'params', 'input', 'expect'];

/** `<bundle.dir>/tests`: where a bundle keeps its own test cases. */
export function defaultTestsDir(bundle: PolicyBundle): string {
  return path.join(bundle.dir, 'tests');
}

/** Reads every `*.yaml` / `*.yml` directly in `testsDir`, in name order; a missing directory means no cases. */
export async function loadPolicyTests(bundle: PolicyBundle, testsDir = defaultTestsDir(bundle)): Promise<PolicyTestCase[]> {
  const cases: PolicyTestCase[] = [];
  for (const name of await caseFileNames(testsDir)) {
    const absolute = path.join(testsDir, name);
    let text: string;
    try {
      text = await readFile(absolute, 'utf8');
    } catch (error) {
      throw new PolicyLoadError({ file: displayPath(absolute) }, `cannot read: ${(error as Error).message}`);
    }
    cases.push(...readPolicyTestFile(YamlFile.parse(displayPath(absolute), text), bundle));
  }
  return cases;
}

async function caseFileNames(testsDir: string): Promise<string[]> {
  try {
    const entries = await readdir(testsDir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new PolicyLoadError({ file: displayPath(testsDir) }, `cannot read: ${(error as Error).message}`);
  }
}

/** Parses one case file; an empty file has no cases. */
export function readPolicyTestFile(file: YamlFile, bundle: PolicyBundle): PolicyTestCase[] {
  if (file.root === null || file.root === undefined) return [];
  const top = YamlObject.from(file, file.root, 'a policy test file', FILE_KEYS);
  const defaultOperation = top.optionalString('operation');
  if (defaultOperation) checkOperation(top, defaultOperation.value, defaultOperation);
  if (!top.has('cases')) throw top.error('missing required key "cases"');
  const list = top.raw('cases');
  if (!isSeq(list)) throw top.error('cases: must be a YAML list of test cases', list);

  const firstLine = new Map<string, number>();
  return list.items.map((node) => {
    const object = YamlObject.from(file, node, 'a test case', CASE_KEYS);
    const nameNode = object.requiredString('name');
    const first = firstLine.get(nameNode.value);
    if (first !== undefined) throw object.error(`name: duplicate case name "${nameNode.value}" in this file (first at line ${first})`, nameNode);
    firstLine.set(nameNode.value, file.positionOf(node)?.line ?? 0);
    return readCase(object, defaultOperation?.value, bundle);
  });
}

function readCase(object: YamlObject, defaultOperation: string | undefined, bundle: PolicyBundle): PolicyTestCase {
  const name = object.requiredString('name').value;
  const operationNode = object.optionalString('operation');
  const operation = operationNode?.value ?? defaultOperation;
  if (operation === undefined) throw object.error('missing required key "operation" (or give one for the whole file)');
  const schema = checkOperation(object, operation, operationNode);
  const testCase: PolicyTestCase = {
    file: object.file.display,
    name,
    operation,
    input: readCaseInput(object, operation, schema),
    expect: readExpectation(object, operation, bundle.rulesFor(operation)),
  };
  const params = openMapping(object, 'params');
  if (params) testCase.params = Object.fromEntries(params.map(({ key, value }) => [key, plainValue(value)]));
  return testCase;
}

function checkOperation(object: YamlObject, operation: string, node: unknown) {
  const schema = operationSchema(operation);
  if (!schema) throw object.error(`operation: no input schema for "${operation}" (known: ${knownOperations().join(', ')})`, node);
  return schema;
}
