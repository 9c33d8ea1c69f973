/**
 * Checks that keep the documentation true to the code (issue 13): facts that live in code (configuration
 * variables, the policy revision, the shipped rule ids) and the links between the Markdown files.
 * Every check is a pure function over text that returns a list of problems (empty = fine), so the unit test can
 * run it on the real files and also on broken samples, proving each check can fail.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** README.md and every docs/*.md, as paths relative to the repository root. */
export function markdownFiles(root = REPO_ROOT): string[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

export function read(file: string, root = REPO_ROOT): string {
  return readFileSync(path.join(root, file), 'utf8');
}

/** The text with fenced code blocks blanked (line count kept), so examples are not read as headings or links. */
export function withoutFences(markdown: string): string {
  const lines = markdown.split('\n');
  let fence: string | undefined;
  return lines
    .map((line) => {
      const marker = /^\s*(```|~~~)/.exec(line)?.[1];
      if (fence === undefined && marker) {
        fence = marker;
        return '';
      }
      if (fence !== undefined) {
        if (marker === fence) fence = undefined;
        return '';
      }
      return line;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Configuration variables

/**
 * The environment variables src/config.ts reads: `env.X`, `env['X']` and the validating helpers' `(env, 'X'`
 * (integer, boolean, host, ...). A dynamic `env[name]` inside a helper is covered by its callers' literal names.
 */
export function configVariables(configSource: string): Set<string> {
  const names = new Set<string>();
  const patterns = [/\benv\.([A-Z][A-Z0-9_]*)\b/g, /\benv\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g, /\(\s*env\s*,\s*['"]([A-Z][A-Z0-9_]*)['"]/g];
  for (const pattern of patterns) for (const match of configSource.matchAll(pattern)) names.add(match[1]!);
  return names;
}

export interface TableRow {
  cells: string[];
  line: number;
}

const splitRow = (line: string) =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());

/** The rows of every Markdown table whose header cells start with `header` (case-insensitive). */
export function tablesRows(markdown: string, header: string[]): TableRow[] {
  const lines = withoutFences(markdown).split('\n');
  const wanted = header.map((cell) => cell.toLowerCase());
  const rows: TableRow[] = [];
  for (let start = 0; start < lines.length; start++) {
    const line = lines[start]!;
    if (!line.trim().startsWith('|') || (start > 0 && lines[start - 1]!.trim().startsWith('|'))) continue;
    const cells = splitRow(line).map((cell) => cell.toLowerCase());
    if (wanted.some((cell, i) => cells[i] !== cell)) continue;
    for (let i = start + 2; i < lines.length && lines[i]!.trim().startsWith('|'); i++) {
      rows.push({ cells: splitRow(lines[i]!), line: i + 1 });
    }
  }
  return rows;
}

/** The rows of the first Markdown table whose header cells are exactly `header` (case-insensitive). */
export function tableRows(markdown: string, header: string[]): TableRow[] {
  const lines = withoutFences(markdown).split('\n');
  const wanted = JSON.stringify(header.map((cell) => cell.toLowerCase()));
  const start = lines.findIndex((line) => line.trim().startsWith('|') && JSON.stringify(splitRow(line).map((cell) => cell.toLowerCase())) === wanted);
  if (start < 0) return [];
  const rows: TableRow[] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.trim().startsWith('|'); i++) {
    rows.push({ cells: splitRow(lines[i]!), line: i + 1 });
  }
  return rows;
}

const VARIABLE = /^[A-Z][A-Z0-9_]*$/;

/** The variables named in the first column of the configuration table (`| variable | default | meaning |`). */
export function documentedVariables(markdown: string): Map<string, TableRow> {
  const documented = new Map<string, TableRow>();
  for (const row of tableRows(markdown, ['variable', 'default', 'meaning'])) {
    for (const match of row.cells[0]!.matchAll(/`([^`]+)`/g)) {
      if (VARIABLE.test(match[1]!)) documented.set(match[1]!, row);
    }
  }
  return documented;
}

/** Variables read but not documented, and documented but unknown to config.ts (OTEL_* are the SDK's). */
export function configTableProblems(configSource: string, markdown: string): string[] {
  const read = configVariables(configSource);
  const documented = documentedVariables(markdown);
  const problems: string[] = [];
  if (read.size === 0) problems.push('no environment variable found in src/config.ts (did its reading style change?)');
  if (documented.size === 0) problems.push('no configuration table (| variable | default | meaning |) found');
  for (const name of read) if (!documented.has(name)) problems.push(`${name} is read by src/config.ts but not in the configuration table`);
  for (const [name, row] of documented) {
    if (!read.has(name) && !name.startsWith('OTEL_'))
      problems.push(`${name} (line ${row.line}) is in the configuration table but src/config.ts never reads it`);
  }
  return problems;
}

/**
 * The documented defaults that can be checked, in every table headed `| variable | default | … |`: a default cell
 * made only of backticked literals (one per variable of the row, `unset` allowed), optionally followed by a
 * parenthesis. Cells in words ("twice the rate") and the OpenTelemetry SDK's OTEL_* variables are skipped.
 */
export function documentedDefaults(markdown: string): Array<{ variable: string; value: string; line: number }> {
  const defaults: Array<{ variable: string; value: string; line: number }> = [];
  for (const row of tablesRows(markdown, ['variable', 'default'])) {
    const variables = [...row.cells[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((name) => VARIABLE.test(name));
    if (variables.some((name) => name.startsWith('OTEL_'))) continue;
    const cell = row.cells[1]!.replace(/\s*\([^)]*\)\s*$/, '');
    const items = cell.split(/\s*,\s*/);
    if (items.length !== variables.length) continue;
    if (!items.every((item) => item === 'unset' || /^`[^`<>*]+`$/.test(item))) continue;
    items.forEach((item, i) => {
      if (item !== 'unset') defaults.push({ variable: variables[i]!, value: item.slice(1, -1), line: row.line });
    });
  }
  return defaults;
}

// ---------------------------------------------------------------------------------------------------------------
// Policy revision and rule ids

export function manifestRevision(root = REPO_ROOT): string {
  return String((parse(read('policies/manifest.yaml', root)) as { revision: unknown }).revision);
}

/** Every revision-like string (`2026-11-26.3`) quoted in the given files that is not the manifest's. */
export function revisionProblems(files: Map<string, string>, revision: string): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    for (const match of text.matchAll(/\b\d{4}-\d{2}-\d{2}\.\d+\b/g)) {
      if (match[0] !== revision) problems.push(`${file} quotes revision ${match[0]}, the manifest says ${revision}`);
    }
  }
  return problems;
}

export interface ShippedRule {
  file: string;
  id: string;
  action: string;
  errorType: string;
}

/** The rules of the bundle's rule files (every top-level *.yaml but manifest and params), in file order. */
export function bundleRules(root = REPO_ROOT): ShippedRule[] {
  const dir = path.join(root, 'policies');
  const files = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name) && name !== 'manifest.yaml' && name !== 'params.yaml')
    .sort();
  return files.flatMap((file) => {
    const content = parse(readFileSync(path.join(dir, file), 'utf8')) as { rules: Array<{ id: string; action?: string; errorType: string }> };
    return content.rules.map((rule) => ({ file, id: rule.id, action: rule.action ?? 'enforce', errorType: rule.errorType }));
  });
}

/** The rule table (`| file | rule | action | refuses with |`): an empty file cell repeats the previous file. */
export function documentedRules(markdown: string): ShippedRule[] {
  let file = '';
  return tableRows(markdown, ['file', 'rule', 'action', 'refuses with']).map(({ cells }) => {
    file = /`([^`]+)`/.exec(cells[0]!)?.[1] ?? file;
    return { file, id: /`([^`]+)`/.exec(cells[1]!)?.[1] ?? cells[1]!, action: cells[2]!, errorType: /`([^`]+)`/.exec(cells[3]!)?.[1] ?? cells[3]! };
  });
}

/** Differences between the documented rule table and the rule files: ids, order, action, error type. */
export function ruleTableProblems(documented: ShippedRule[], shipped: ShippedRule[]): string[] {
  if (documented.length === 0) return ['no rule table (| file | rule | action | refuses with |) found'];
  const key = (rule: ShippedRule) => `${rule.file} ${rule.id}`;
  const problems: string[] = [];
  const shippedByKey = new Map(shipped.map((rule) => [key(rule), rule]));
  const documentedKeys = new Set(documented.map(key));
  for (const rule of documented) {
    const real = shippedByKey.get(key(rule));
    if (!real) {
      problems.push(`rule ${rule.id} of ${rule.file} is documented but not in the rule files`);
      continue;
    }
    if (rule.action !== real.action) problems.push(`rule ${rule.id}: documented action ${rule.action}, the file says ${real.action}`);
    const errorType = real.action === 'enforce' ? real.errorType : '—';
    if (rule.errorType !== errorType) problems.push(`rule ${rule.id}: documented error ${rule.errorType}, the file says ${errorType}`);
  }
  for (const rule of shipped) if (!documentedKeys.has(key(rule))) problems.push(`rule ${rule.id} of ${rule.file} is missing from the rule table`);
  const order = (rules: ShippedRule[], file: string) =>
    rules
      .filter((rule) => rule.file === file)
      .map((rule) => rule.id)
      .join(', ');
  for (const file of new Set(shipped.map((rule) => rule.file))) {
    if (problems.length === 0 && order(documented, file) !== order(shipped, file)) {
      problems.push(`${file}: documented order ${order(documented, file)}, the file's order ${order(shipped, file)}`);
    }
  }
  return problems;
}

/** The params keys the shipped rules read (`params.key`, `"key" in params`), in their expressions. */
export function paramsKeysRead(root = REPO_ROOT): Set<string> {
  const dir = path.join(root, 'policies');
  const keys = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name) && name !== 'manifest.yaml' && name !== 'params.yaml')) {
    const content = parse(readFileSync(path.join(dir, file), 'utf8')) as { rules: Array<{ expression: string }> };
    for (const { expression } of content.rules) {
      for (const match of expression.matchAll(/\bparams\.([A-Za-z_][A-Za-z0-9_]*)|"([A-Za-z_][A-Za-z0-9_]*)"\s+in\s+params\b/g))
        keys.add(match[1] ?? match[2]!);
    }
  }
  return keys;
}

/** The params table (`| key | type | read by | effect |`) must list exactly the keys the rules read. */
export function paramsTableProblems(markdown: string, read: Set<string>): string[] {
  const documented = new Set(tableRows(markdown, ['key', 'type', 'read by', 'effect']).map(({ cells }) => /`([^`]+)`/.exec(cells[0]!)?.[1] ?? cells[0]!));
  if (documented.size === 0) return ['no params table (| key | type | read by | effect |) found'];
  return [
    ...[...read].filter((key) => !documented.has(key)).map((key) => `params.${key} is read by a shipped rule but not in the params table`),
    ...[...documented].filter((key) => !read.has(key)).map((key) => `params.${key} is in the params table but no shipped rule reads it`),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Links and anchors

/** GitHub's heading anchor (github-slugger): lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a Markdown file offers: its headings' slugs, duplicates numbered -1, -2 as GitHub does. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of withoutFences(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** Inline links `[text](target)` outside code, with their line numbers. */
export function links(markdown: string): Array<{ target: string; line: number }> {
  const found: Array<{ target: string; line: number }> = [];
  withoutFences(markdown)
    .split('\n')
    .forEach((text, i) => {
      const outsideCode = text.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
      for (const match of outsideCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        found.push({ target: match[1]!, line: i + 1 });
      }
    });
  return found;
}

/**
 * Every relative link must name an existing file or folder and, with `#anchor`, a heading of that Markdown file.
 * `files` maps repository-relative Markdown paths to their text; `exists` answers for any other path.
 */
export function linkProblems(files: Map<string, string>, exists: (repoPath: string) => boolean): string[] {
  const problems: string[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (file: string, text: string) => {
    if (!anchorCache.has(file)) anchorCache.set(file, anchors(text));
    return anchorCache.get(file)!;
  };
  for (const [file, text] of files) {
    for (const { target, line } of links(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
      const [rawPath, anchor] = target.split('#', 2) as [string, string | undefined];
      const resolved = rawPath === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(rawPath)));
      const where = `${file}:${line}`;
      if (resolved.startsWith('..')) {
        problems.push(`${where}: ${target} points outside the repository`);
        continue;
      }
      const content = files.get(resolved) ?? (resolved.endsWith('.md') && exists(resolved) ? read(resolved) : undefined);
      if (content === undefined && !exists(resolved.replace(/\/$/, ''))) {
        problems.push(`${where}: ${target}: no such file ${resolved}`);
        continue;
      }
      if (anchor !== undefined && resolved.endsWith('.md') && content !== undefined && !anchorsOf(resolved, content).has(anchor)) {
        problems.push(`${where}: ${target}: ${resolved} has no heading with anchor #${anchor}`);
      }
    }
  }
  return problems;
}

const REPO_PATH = /`((?:src|test|bench|bin|migrations|policies|deploy|openapi|config|docs|\.ci)\/[A-Za-z0-9._/-]*)`/g;

/** Repository paths quoted as code (`src/x/y.ts`) outside code blocks must exist (source files move; docs drift). */
export function codePathProblems(files: Map<string, string>, exists: (repoPath: string) => boolean): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    withoutFences(text)
      .split('\n')
      .forEach((line, i) => {
        for (const match of line.matchAll(REPO_PATH)) {
          if (!exists(match[1]!.replace(/\/$/, ''))) problems.push(`${file}:${i + 1}: \`${match[1]}\` does not exist`);
        }
      });
  }
  return problems;
}

export const repoPathExists = (repoPath: string) => existsSync(path.join(REPO_ROOT, repoPath));
