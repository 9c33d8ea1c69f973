/**
 * Group commit for independent statements: concurrent callers' items go to the database together, in one statement,
 * so N decisions cost one round trip and one WAL flush instead of N. On this machine a commit's WAL flush, not
 * the SQL, bounds a single-row audit INSERT (pgbench: 1.5k commits/s at 8 clients, 4.5k with synchronous_commit
 * off, against 20k/s for a SELECT), which is why a decision cost a multiple of a read (docs/operations.md).
 *
 * No waiting is added when the database is idle: an item submitted while fewer than `maxInFlight` batches run
 * leaves at the end of the current tick (with whatever else arrived in that tick). Items submitted while the
 * batches are busy queue up and leave together when one finishes, so the batch grows with the load.
 *
 * Items with the same `key` never share a batch (two changes of one row in one statement are not defined in
 * Postgres); a later one waits for the next batch. A batch that fails is retried item by item, so one bad item
 * fails alone and the others' callers never see its error. Every item runs exactly once in a statement that
 * committed or failed as a whole: `runBatch` must be one statement (or one transaction).
 */

export interface StatementCombinerOptions<I, O> {
  /**
   * Writes the items in one statement; returns one result per item, in order. It throws only when the statement
   * failed (nothing written: the items are retried one by one). A result it cannot give for one item after the
   * statement ran is an Error in that item's place: that item is rejected alone and never retried (its write may
   * have committed).
   */
  runBatch(items: readonly I[]): Promise<Array<O | Error>>;
  /** Writes one item alone: a batch of one, and the retry of a failed batch. */
  runOne(item: I): Promise<O>;
  /** Items that must not share a batch (e.g. the row they change); undefined: no constraint. */
  key?(item: I): string;
  /** Most items per statement (parameters per statement are bounded: 65535 in Postgres). */
  maxBatch: number;
  /** Batches running at once: each holds a pooled connection while it runs. */
  maxInFlight: number;
}

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(reason: unknown): void;
}

export interface StatementCombiner<I, O> {
  submit(item: I): Promise<O>;
}

/**
 * One value per database handle, made on first use: each combiner belongs to one pool (or one PGlite), and a
 * process (or a test) may hold several. Transactions are not handles: callers write alone inside them.
 */
export function perDatabase<D extends object, T>(create: (db: D) => T): (db: D) => T {
  const made = new WeakMap<D, T>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) {
      value = create(db);
      made.set(db, value);
    }
    return value;
  };
}

export function createStatementCombiner<I, O>(options: StatementCombinerOptions<I, O>): StatementCombiner<I, O> {
  const queue: Pending<I, O>[] = [];
  let inFlight = 0;
  let flushScheduled = false;

  /** Takes up to maxBatch queued items, at most one per key; the rest stay queued in their order. */
  function takeBatch(): Pending<I, O>[] {
    const batch: Pending<I, O>[] = [];
    const keys = new Set<string>();
    for (let index = 0; index < queue.length && batch.length < options.maxBatch; ) {
      const pending = queue[index] as Pending<I, O>;
      const key = options.key?.(pending.item);
      if (key !== undefined && keys.has(key)) {
        index++;
        continue;
      }
      if (key !== undefined) keys.add(key);
      batch.push(pending);
      queue.splice(index, 1);
    }
    return batch;
  }

  async function run(batch: Pending<I, O>[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch as [Pending<I, O>];
      await options.runOne(only.item).then(only.resolve, only.reject);
      return;
    }
    let results: Array<O | Error>;
    try {
      results = await options.runBatch(batch.map((pending) => pending.item));
    } catch {
      // Nothing of the batch was written (one statement): each item alone, so only a bad one fails.
      await Promise.all(batch.map((pending) => options.runOne(pending.item).then(pending.resolve, pending.reject)));
      return;
    }
    if (results.length !== batch.length) {
      const error = new Error(`a batch of ${batch.length} writes returned ${results.length} results`);
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const [index, pending] of batch.entries()) {
      const result = results[index] as O | Error;
      if (result instanceof Error) pending.reject(result);
      else pending.resolve(result);
    }
  }

  function flush(): void {
    flushScheduled = false;
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const batch = takeBatch();
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        flush();
      });
    }
  }

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (!flushScheduled && inFlight < options.maxInFlight) {
          flushScheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
