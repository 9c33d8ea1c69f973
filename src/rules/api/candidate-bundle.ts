/**
 * A candidate rule bundle sent in a request body ({ "manifest.yaml": "...", ... }). The loader reads
 * directories, so the files are written to a fresh temporary directory, loaded and type-checked exactly as
 * `policies/` would be, and the directory is always removed again. Nothing about a candidate is stored.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidRequestError } from '../../errors.ts';
import { loadPolicyBundle, PolicyLoadError, type PolicyBundle } from '../engine/policy-bundle.ts';

export interface CandidateBundleFiles {
  files: Record<string, string>;
}

/** A plain top-level bundle file name: no directory part, no "..", a lowercase .yaml/.yml extension. */
const BUNDLE_FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*\.ya?ml$/;

function assertPlainFileName(name: string): void {
  if (!BUNDLE_FILE_NAME.test(name) || name.includes('..')) {
    throw new InvalidRequestError(
      `Invalid bundle file name ${JSON.stringify(name.slice(0, 100))}: use plain names such as "manifest.yaml" or "transfer-certificate.yaml" (no paths)`,
    );
  }
}

export async function loadCandidateBundle(candidate: CandidateBundleFiles): Promise<PolicyBundle> {
  const names = Object.keys(candidate.files);
  for (const name of names) assertPlainFileName(name);
  const dir = await mkdtemp(path.join(tmpdir(), 'certguard-candidate-'));
  try {
    for (const name of names) await writeFile(path.join(dir, name), candidate.files[name]!, { flag: 'wx' });
    return await loadPolicyBundle(dir);
  } catch (error) {
    if (!(error instanceof PolicyLoadError)) throw error;
    throw new InvalidRequestError(`The candidate bundle does not load: ${withoutDirectory(error.message, dir)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Load errors name files by path; the temporary directory means nothing to the caller, the file name does. */
function withoutDirectory(message: string, dir: string): string {
  const prefixes = [dir, path.relative(process.cwd(), dir)].map((prefix) => prefix + path.sep);
  return prefixes.reduce((text, prefix) => text.split(prefix).join(''), message);
}
