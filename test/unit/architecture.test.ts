/**
 * The layering of src/ (docs/architecture.md "Floors"), checked on every `npm test`: no import cycle, no import
 * from a lower floor up to a higher one, and no two folders importing each other. A failure names the files.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ImportGraph, importCycles, importSpecifiers, readImportGraph } from '../support/import-graph.ts';

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/**
 * Floors, lowest first; a module may import its own floor and the floors below. First matching pattern wins, and
 * every module must match one, so a new folder is placed on purpose. Keep in step with docs/architecture.md.
 */
const FLOORS: ReadonlyArray<{ floor: string; modules: RegExp[] }> = [
  { floor: '0 ground', modules: [/^errors\.ts$/, /^config\.ts$/, /^logger\.ts$/, /^request\//, /^db\//, /^rules\/engine\//] },
  { floor: '1 telemetry, rule tests', modules: [/^telemetry\//, /^rules\/testing\//] },
  { floor: '2 audit', modules: [/^audit\/(?!.*\.routes\.ts$)/] },
  { floor: '3 auth, decisions, rules runtime', modules: [/^auth\//, /^decisions\//, /^rules\/runtime\//] },
  { floor: '4 domains and their routes', modules: [/^certificates\//, /^iot-policies\//, /^rules\/api\//, /^audit\/.*\.routes\.ts$/] },
  { floor: '5 http wiring', modules: [/^http\//, /^app\.ts$/, /^bootstrap\.ts$/] },
  { floor: '6 entry points', modules: [/^main\.ts$/, /^cli\//, /^cluster\//] },
];

function floorOf(module: string): number {
  const floor = FLOORS.findIndex(({ modules }) => modules.some((pattern) => pattern.test(module)));
  if (floor < 0) throw new Error(`${module} is on no floor: add it to FLOORS (test/unit/architecture.test.ts) and docs/architecture.md`);
  return floor;
}

/** "lower -> higher" imports, as readable lines. */
function upwardImports(graph: ImportGraph): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      if (graph.has(to) && floorOf(to) > floorOf(from)) {
        found.push(`src/${from} (floor ${FLOORS[floorOf(from)]!.floor}) imports src/${to} (floor ${FLOORS[floorOf(to)]!.floor})`);
      }
    }
  }
  return found;
}

/** Folders whose sub-folders are units of their own (rules/engine, rules/api: different floors). */
const SPLIT_FOLDERS = new Set(['rules']);

/** A module's folder as a unit: `audit/chain/x.ts` -> `audit`, `rules/api/x.ts` -> `rules/api`, `app.ts` -> `app.ts`. */
function folderOf(module: string): string {
  const parts = module.split('/');
  return SPLIT_FOLDERS.has(parts[0]!) && parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Folder pairs that import each other (through any modules), with one import each way as the example. */
function mutualFolders(graph: ImportGraph): string[] {
  const example = new Map<string, string>();
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const pair = `${folderOf(from)} -> ${folderOf(to)}`;
      if (folderOf(from) !== folderOf(to) && graph.has(to) && !example.has(pair)) example.set(pair, `src/${from} imports src/${to}`);
    }
  }
  const found: string[] = [];
  for (const [pair, line] of example) {
    const [a, b] = pair.split(' -> ');
    const back = example.get(`${b} -> ${a}`);
    if (back && a! < b!) found.push(`${a} and ${b} import each other: ${line}; ${back}`);
  }
  return found;
}

describe('architecture: the import graph of src/', () => {
  const graph = readImportGraph(SRC);

  test('the graph is read: every import form, type-only included, and prose in comments ignored', () => {
    assert.deepEqual(
      importSpecifiers(
        [
          "import type { A } from './a.ts';",
          "import {\n  b,\n  type C,\n} from '../b.ts';",
          "export * from './c.ts';",
          "import './d.ts';",
          "const e = await import('./e.ts');",
          "import x from 'express';",
          "// import { f } from './f.ts';",
          "/* export { g } from './g.ts'; */",
        ].join('\n'),
      ),
      ['./a.ts', '../b.ts', './c.ts', './d.ts', './e.ts'],
    );
    assert.ok(graph.size > 100, `only ${graph.size} modules read from ${SRC}`);
    assert.ok(graph.get('app.ts')?.includes('http/throttle.ts'), 'app.ts -> http/throttle.ts not read');
  });

  test('every module is on a floor', () => {
    const unplaced = [...graph.keys()].filter((m) => FLOORS.every(({ modules }) => !modules.some((p) => p.test(m))));
    assert.deepEqual(unplaced, [], 'modules on no floor (add them to FLOORS and docs/architecture.md)');
  });

  test('no import cycle', () => {
    assert.deepEqual(importCycles(graph), [], 'import cycles (each list is one cycle)');
  });

  test('no import from a lower floor up to a higher one', () => {
    assert.deepEqual(upwardImports(graph), []);
  });

  test('no two folders import each other', () => {
    assert.deepEqual(mutualFolders(graph), []);
  });

  test('docs/architecture.md names every folder of src/ in its folder map', () => {
    const doc = readFileSync(path.join(SRC, '..', 'docs', 'architecture.md'), 'utf8');
    const folders = (dir: string, prefix = ''): string[] =>
      readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .flatMap((entry) => [`${prefix}${entry.name}/`, ...folders(path.join(dir, entry.name), `${prefix}${entry.name}/`)]);
    const missing = folders(SRC).filter((folder) => !new RegExp(`^\\s+${folder.split('/').at(-2)}/\\s`, 'm').test(doc));
    assert.deepEqual(missing, [], 'folders missing from the folder map of docs/architecture.md');
  });

  test('the checks fail on a bad graph', () => {
    const bad: ImportGraph = new Map([
      ['errors.ts', ['app.ts']],
      ['app.ts', ['errors.ts']],
      ['audit/a.ts', ['auth/b.ts']],
      ['auth/b.ts', ['audit/c.ts']],
      ['audit/c.ts', []],
    ]);
    assert.deepEqual(importCycles(bad), [['app.ts', 'errors.ts']]);
    assert.deepEqual(upwardImports(bad), [
      'src/errors.ts (floor 0 ground) imports src/app.ts (floor 5 http wiring)',
      'src/audit/a.ts (floor 2 audit) imports src/auth/b.ts (floor 3 auth, decisions, rules runtime)',
    ]);
    assert.deepEqual(mutualFolders(bad), [
      'app.ts and errors.ts import each other: src/app.ts imports src/errors.ts; src/errors.ts imports src/app.ts',
      'audit and auth import each other: src/audit/a.ts imports src/auth/b.ts; src/auth/b.ts imports src/audit/c.ts',
    ]);
  });
});
