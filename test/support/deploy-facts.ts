/**
 * Facts the deployment files (deploy/compose.yaml, deploy/kubernetes/) must agree with, read from their sources
 * rather than restated: the environment variables certguard reads (src/config.ts and the OpenTelemetry
 * bootstrap), and what the production image (Dockerfile, its last stage) sets and contains.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.ts';
import { configVariables } from './docs-facts.ts';

/**
 * Every variable certguard reads: src/config.ts's (`env.X`, `integer(env, 'X', …)`) and the standard OTEL_*
 * variables src/telemetry/ reads or hands to the SDK (named there as `env.X` or as a quoted 'OTEL_X').
 */
export function knownVariables(): Set<string> {
  const known = configVariables(readFileSync(path.join(PROJECT_ROOT, 'src', 'config.ts'), 'utf8'));
  const telemetryDir = path.join(PROJECT_ROOT, 'src', 'telemetry');
  for (const file of readdirSync(telemetryDir).filter((name) => name.endsWith('.ts'))) {
    const source = readFileSync(path.join(telemetryDir, file), 'utf8');
    for (const name of configVariables(source)) known.add(name);
    for (const match of source.matchAll(/['"](OTEL_[A-Z0-9_]+)['"]/g)) known.add(match[1]!);
  }
  return known;
}

/** The lines of the Dockerfile's last stage: the image that runs. */
function runtimeStage(): string[] {
  const lines = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8').split('\n');
  const froms = lines.flatMap((line, index) => (/^FROM\s/i.test(line) ? [index] : []));
  return lines.slice(froms.at(-1) ?? 0);
}

/** The environment the image sets (`ENV A=1 B=2` lines of the last stage). */
export function imageEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of runtimeStage().filter((l) => /^ENV\s/i.test(l))) {
    for (const match of line.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) env[match[1]!] = match[2]!;
  }
  return env;
}

/** Top-level paths the image has under its WORKDIR: what the last stage COPYs (`COPY bin ./bin` -> `bin`). */
export function imageTopLevelPaths(): Set<string> {
  const paths = new Set<string>();
  for (const line of runtimeStage().filter((l) => /^COPY\s/i.test(l))) {
    const words = line
      .trim()
      .split(/\s+/)
      .filter((word) => !word.startsWith('--'));
    const destination = words
      .at(-1)!
      .replace(/^\.\/?/, '')
      .replace(/\/$/, '');
    // `COPY package.json ./` copies into the WORKDIR itself: the sources keep their names.
    for (const name of destination === '' ? words.slice(1, -1).map((source) => path.basename(source)) : [destination]) paths.add(name);
  }
  return paths;
}
