#!/usr/bin/env node
// The `certguard` command, wherever it is called from. It runs the compiled CLI (dist/, `npm run build`), as the
// production image does. In a development checkout whose dist/ is missing or older than the TypeScript sources, it
// runs the sources through tsx (a development dependency) instead, so a stale build is never what answers.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = path.join(root, 'dist', 'src', 'cli', 'main.js');
const buildStamp = path.join(root, 'dist', '.tsbuildinfo');

/** The newest modification time of a .ts file under `dir` (0 when the folder is absent, as in the image). */
function newestSource(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    newest = Math.max(newest, statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

function buildIsCurrent() {
  if (!existsSync(compiled) || !existsSync(buildStamp)) return false;
  const builtAt = statSync(buildStamp).mtimeMs;
  return newestSource(path.join(root, 'src')) <= builtAt && newestSource(path.join(root, 'migrations')) <= builtAt;
}

if (buildIsCurrent()) {
  await import(pathToFileURL(compiled).href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('certguard: dist/ is missing or out of date and tsx is not installed: run `npm run build` first.\n');
    process.exit(1);
  }
  register();
  await import('../src/cli/main.ts');
}
