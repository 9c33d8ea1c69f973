/**
 * The identity of a bundle's content: SHA-256 over its files (manifest, params, rule files) in name order, with
 * line endings normalised. Stamped on every decision beside the revision, so a decision names exactly the rules
 * that made it even when someone edited the files without bumping the revision.
 */
import { createHash } from 'node:crypto';

export function canonicalBundleContent(sources: ReadonlyMap<string, string>): string {
  const files = [...sources.entries()].map(([name, text]) => [name, text.replace(/\r\n?/g, '\n')] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(files);
}

export function bundleHash(sources: ReadonlyMap<string, string>): string {
  return createHash('sha256').update(canonicalBundleContent(sources)).digest('hex');
}
