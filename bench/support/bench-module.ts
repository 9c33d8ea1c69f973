/**
 * The contract between bench/run.ts and each `bench/*.bench.ts` module (documented in run.ts's header).
 * Kept in its own file so that a module importing these types does not execute run.ts.
 */
import type { DatabaseChoice } from './bench-database.ts';

export interface BenchOptions {
  /** Short runs: a smoke check that every benchmark still works, not a measurement. */
  quick: boolean;
  /** Where benchmarks that need a database put it (see bench-database.ts: scratch database or PGlite folder). */
  database: DatabaseChoice;
  /** Progress for the human watching: goes to stderr, never into the table. */
  log(message: string): void;
}

export interface BenchResult {
  /** What was measured, e.g. "TransferCertificate decision (mixed allow/deny)". */
  name: string;
  value: number;
  /** e.g. "µs/op", "req/s", "ms". */
  unit: string;
  /** The reference measured in the same run, same unit (the machine is noisy: compare ratios, not absolutes). */
  baseline?: { name: string; value: number };
  /** value / baseline.value when left out. */
  ratio?: number;
  /** Goal from the roadmap; the table marks it met or missed. */
  target?: { max?: number; min?: number };
  /** false = a correctness check failed (e.g. lost audit rows): the run exits 1. Leave out for plain measurements. */
  ok?: boolean;
  /** Short free text for the table: spread across rounds, sample counts, caveats. */
  detail?: string;
}

export interface BenchModule {
  name: string;
  run(options: BenchOptions): Promise<BenchResult[]>;
}
