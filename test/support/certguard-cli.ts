/** Runs the `certguard` command as a user or CI runs it (bin/certguard.js in a child process) and keeps its exit code. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/config.ts';

const execFileAsync = promisify(execFile);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `env` replaces the environment (only PATH is kept), so the developer's own variables do not leak into a test. */
export async function certguardCli(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliRun> {
  const child = execFileAsync(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'certguard.js'), ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env },
  });
  if (input !== undefined) child.child.stdin?.end(input);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
