/** What `certguard policy test|lint` share: which bundle directory to use and how a load failure is reported. */
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { loadPolicyBundle, type PolicyBundle, PolicyLoadError } from '../rules/engine/policy-bundle.ts';

/** The directory argument when given, else the service's own (CERTGUARD_POLICIES_DIR, default ./policies of the project). */
export function bundleDir(argument: string | undefined): string {
  return argument === undefined ? loadConfig().policiesDir : path.resolve(argument);
}

/**
 * Runs `use` with the loaded bundle; a PolicyLoadError (in the bundle or in its test case files) is printed as
 * file:line:column: problem, and exits 1.
 */
export async function withBundle(dir: string, use: (bundle: PolicyBundle) => Promise<number>): Promise<number> {
  try {
    return await use(await loadPolicyBundle(dir));
  } catch (error) {
    if (!(error instanceof PolicyLoadError)) throw error;
    console.error(error.message);
    return 1;
  }
}
