/**
 * The import graph of src/, read with a regex (no parser, no dependency): every `import ... from`, `export ... from`,
 * bare `import '...'` and dynamic `import('...')` with a relative specifier. Type-only imports are edges too: a type
 * cycle is still two modules that cannot be understood one without the other. Used by test/unit/architecture.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Module path relative to src/ (`audit/audit.repository.ts`) -> the src/ modules it imports. */
export type ImportGraph = Map<string, string[]>;

const IMPORT = /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//g;
const LINE_COMMENT = /^\s*\/\/.*$/gm;

function sourceFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full, base);
    return entry.name.endsWith('.ts') ? [path.relative(base, full).split(path.sep).join('/')] : [];
  });
}

/** The relative specifiers a module's text imports (comments removed first, so prose cannot add an edge). */
export function importSpecifiers(text: string): string[] {
  const code = text.replace(BLOCK_COMMENT, '').replace(LINE_COMMENT, '');
  return [...code.matchAll(IMPORT)].map((m) => (m[1] ?? m[2])!).filter((s) => s.startsWith('.'));
}

/** Reads every .ts module under `srcDir`; imports leaving src/ (migrations/index.ts) are not edges of this graph. */
export function readImportGraph(srcDir: string): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of sourceFiles(srcDir)) {
    const targets = importSpecifiers(readFileSync(path.join(srcDir, file), 'utf8'))
      .map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)))
      .filter((target) => !target.startsWith('../'));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components with more than one module (or a module importing itself): the import cycles. */
export function importCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
