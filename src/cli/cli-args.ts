/**
 * The one argument parser of every `certguard` command (node:util parseArgs), and the exit codes they share
 * (docs/cli.md): 0 success, 1 a finding (a failed policy test, a broken chain, a bundle that does not load),
 * 2 usage, 3 cannot run (database unreachable or not migrated, a missing or unreadable file). Every command takes
 * --help (-h): its usage on stdout, exit 0.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

export const EXIT_OK = 0;
export const EXIT_FINDING = 1;
export const EXIT_USAGE = 2;
export const EXIT_CANNOT_RUN = 3;

/** A mistake in how the command was called: printed with the usage, exit 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed<T extends Options> {
  values: ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>>['values'];
  positionals: string[];
}

/**
 * Parses `args` against `options` (strict: an unknown option is a usage error) plus --help. Returns the parsed
 * arguments, or the exit code when the command is done: 0 after printing the usage for --help, 2 after printing
 * the problem and the usage for a usage error (more positionals than `maxPositionals` included).
 */
export function parseCommand<T extends Options>(args: string[], usage: string, options: T, maxPositionals = 0): Parsed<T> | number {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error), usage);
  }
  if (parsed.values.help) {
    console.log(usage);
    return EXIT_OK;
  }
  if (parsed.positionals.length > maxPositionals) return usageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`, usage);
  return parsed as Parsed<T>;
}

export function usageError(problem: string, usage: string): number {
  console.error(`certguard: ${problem}\n\n${usage}`);
  return EXIT_USAGE;
}

/** A subcommand's `--help`/`-h`/`help` (the usage, exit 0), or a missing/unknown one (exit 2); undefined otherwise. */
export function helpOrUnknown(subcommand: string | undefined, known: readonly string[], usage: string): number | undefined {
  if (subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
    console.log(usage);
    return EXIT_OK;
  }
  if (subcommand === undefined) return usageError('missing subcommand', usage);
  if (!known.includes(subcommand)) return usageError(`unknown subcommand "${subcommand}"`, usage);
  return undefined;
}
