/** What `certguard policy test|lint|eval` share: which bundle directory to use and how a load failure is reported. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { loadPolicyBundle, type PolicyBundle, PolicyLoadError } from '../rules/engine/policy-bundle.ts';
import { EXIT_CANNOT_RUN, EXIT_FINDING } from './cli-args.ts';

/** The directory argument when given, else the service's own (CERTGUARD_POLICIES_DIR, default ./policies of the project). */
export function bundleDir(argument: string | undefined): string {
  return argument === undefined ? loadConfig().policiesDir : path.resolve(argument);
}

/**
 * Runs `use` with the loaded bundle. A directory that is not there (or not a directory) cannot be checked: exit 3.
 * A PolicyLoadError (in the bundle or in its test case files) is a finding, printed as file:line:column: problem,
 * exit 1.
 */
export async function withBundle(dir: string, use: (bundle: PolicyBundle) => Promise<number>): Promise<number> {
  const found = await stat(dir).catch((error: Error) => error);
  if (found instanceof Error || !found.isDirectory()) {
    console.error(`certguard: cannot read the policy bundle ${dir}: ${found instanceof Error ? found.message : 'not a directory'}`);
    return EXIT_CANNOT_RUN;
  }
  try {
    return await use(await loadPolicyBundle(dir));
  } catch (error) {
    if (!(error instanceof PolicyLoadError)) throw error;
    console.error(error.message);
    return EXIT_FINDING;
  }
}
