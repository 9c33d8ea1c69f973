/**
 * Times a synchronous operation against its baseline: warm-up (so V8 has optimised both), then rounds, subject and
 * baseline interleaved and their order swapped every round, and the median round reported.
 *
 * Built for a shared, overloaded machine:
 * - Rounds last a fixed TIME (bounded in iterations too), not a fixed count: a 0.05 µs baseline would otherwise
 *   finish its round between two preemptions while a 5 µs subject is preempted many times, biasing the ratio.
 * - Each round records CPU time (process.cpuUsage) as well as wall time. CPU time is what the operation costs and
 *   barely moves when other processes take the cores; wall time shows what a caller waited. Both are reported.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { BenchResult } from './bench-module.ts';
import { median, range, significant } from './stats.ts';

export interface MicroPlan {
  warmupMs: number;
  roundMs: number;
  rounds: number;
  /** A round also stops after this many iterations, whatever the clock says. */
  maxIterationsPerRound: number;
}

export interface LoopTimings {
  /** CPU µs per operation, one entry per round. */
  cpuUs: number[];
  /** Wall-clock µs per operation, one entry per round. */
  wallUs: number[];
  iterations: number;
}

export interface MicroComparison {
  subject: LoopTimings;
  baseline: LoopTimings;
}

/** The operation's result is kept here so V8 cannot drop the call as dead code. */
let sink: unknown;

const CLOCK_CHECK_EVERY = 256;

function timeRound(operation: (iteration: number) => unknown, roundMs: number, maxIterations: number, into?: LoopTimings): void {
  const limitNs = BigInt(Math.round(roundMs * 1e6));
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  let done = 0;
  while (done < maxIterations) {
    sink = operation(done);
    done++;
    if (done % CLOCK_CHECK_EVERY === 0 && process.hrtime.bigint() - start >= limitNs) break;
  }
  const wallNs = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpuBefore);
  if (into === undefined) return;
  into.wallUs.push(wallNs / 1000 / done);
  into.cpuUs.push((cpu.user + cpu.system) / done);
  into.iterations += done;
}

export async function compareLoops(
  subject: (iteration: number) => unknown,
  baseline: (iteration: number) => unknown,
  plan: MicroPlan,
): Promise<MicroComparison> {
  timeRound(subject, plan.warmupMs, 10 * plan.maxIterationsPerRound);
  timeRound(baseline, plan.warmupMs, 10 * plan.maxIterationsPerRound);
  const result: MicroComparison = { subject: { cpuUs: [], wallUs: [], iterations: 0 }, baseline: { cpuUs: [], wallUs: [], iterations: 0 } };
  for (let round = 0; round < plan.rounds; round++) {
    const order = round % 2 === 0 ? [subject, baseline] : [baseline, subject];
    for (const operation of order) {
      timeRound(operation, plan.roundMs, plan.maxIterationsPerRound, operation === subject ? result.subject : result.baseline);
    }
    await yieldToEventLoop();
  }
  return result;
}

/** One table row: median CPU µs per operation against the baseline's, wall-clock medians and spread in the detail. */
export function comparisonResult(comparison: MicroComparison, row: Pick<BenchResult, 'name' | 'unit' | 'target'> & { baselineName: string }): BenchResult {
  const { subject, baseline } = comparison;
  const rounds = subject.cpuUs.length;
  return {
    name: row.name,
    value: median(subject.cpuUs),
    unit: row.unit,
    baseline: { name: row.baselineName, value: median(baseline.cpuUs) },
    ...(row.target ? { target: row.target } : {}),
    detail:
      `CPU time, median of ${rounds} rounds (range ${range(subject.cpuUs)} µs, ${subject.iterations} ops); ` +
      `wall clock ${significant(median(subject.wallUs))} vs ${significant(median(baseline.wallUs))} µs`,
  };
}

/** The last result an operation returned; exported so that the sink is visibly read (noUnusedLocals). */
export function lastResult(): unknown {
  return sink;
}
