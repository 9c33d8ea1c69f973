/**
 * Runs the real AWS CLI v2 (Debian's awscli, /usr/bin/aws) against a test service, with the demo credentials in
 * its environment and no config files, as a user would from a shell.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestCredential } from './sign-request.ts';

/** Call it by full path: a pip-installed AWS CLI v1 earlier on PATH would shadow Debian's v2. */
export const AWS_CLI = process.env.CERTGUARD_TEST_AWS_CLI ?? '/usr/bin/aws';
export const awsCliInstalled = existsSync(AWS_CLI);

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  json: Record<string, unknown> | undefined;
}

export function awsIot(endpoint: string, credential: TestCredential, args: string[]): Promise<CliResult> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: '/nonexistent',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_ACCESS_KEY_ID: credential.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_MAX_ATTEMPTS: '1',
  };
  return new Promise((resolve) => {
    execFile(AWS_CLI, ['--endpoint-url', endpoint, '--output', 'json', 'iot', ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      let json: Record<string, unknown> | undefined;
      try {
        json = stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : undefined;
      } catch {
        json = undefined;
      }
      resolve({ exitCode, stdout, stderr, json });
    });
  });
}
