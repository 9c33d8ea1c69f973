import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStatementCombiner, perDatabase } from '../../src/db/statement-combiner.ts';

interface Item {
  key: string;
  value: number;
}

function recordingCombiner(options: {
  maxBatch?: number;
  maxInFlight?: number;
  failBatchIf?: (items: readonly Item[]) => boolean;
  failOne?: (item: Item) => boolean;
}) {
  const batches: number[][] = [];
  const singles: number[] = [];
  let release: (() => void) | undefined;
  let gate: Promise<void> = Promise.resolve();
  const combiner = createStatementCombiner<Item, number>({
    async runBatch(items) {
      batches.push(items.map((item) => item.value));
      await gate;
      if (options.failBatchIf?.(items)) throw new Error('batch failed');
      return items.map((item) => item.value * 10);
    },
    async runOne(item) {
      singles.push(item.value);
      await gate;
      if (options.failOne?.(item)) throw new Error(`item ${item.value} failed`);
      return item.value * 10;
    },
    key: (item) => item.key,
    maxBatch: options.maxBatch ?? 100,
    maxInFlight: options.maxInFlight ?? 1,
  });
  return {
    combiner,
    batches,
    singles,
    hold() {
      gate = new Promise((resolve) => {
        release = resolve;
      });
    },
    release: () => release?.(),
  };
}

test('an item on an idle combiner goes alone and at once; items arriving while it runs leave together', async () => {
  const r = recordingCombiner({});
  r.hold();
  const first = r.combiner.submit({ key: 'a', value: 1 });
  await new Promise((resolve) => setImmediate(resolve));
  const rest = [2, 3, 4].map((value) => r.combiner.submit({ key: `k${value}`, value }));
  r.release();
  assert.deepEqual(await Promise.all([first, ...rest]), [10, 20, 30, 40]);
  assert.deepEqual(r.singles, [1]);
  assert.deepEqual(r.batches, [[2, 3, 4]]);
});

test('two items with one key never share a batch: the second waits for the next one', async () => {
  const r = recordingCombiner({});
  const results = await Promise.all([
    r.combiner.submit({ key: 'same', value: 1 }),
    r.combiner.submit({ key: 'other', value: 2 }),
    r.combiner.submit({ key: 'same', value: 3 }),
  ]);
  assert.deepEqual(results, [10, 20, 30]);
  assert.deepEqual(r.batches, [[1, 2]]);
  assert.deepEqual(r.singles, [3]);
});

test('a batch is cut at maxBatch items', async () => {
  const r = recordingCombiner({ maxBatch: 2 });
  await Promise.all([1, 2, 3, 4, 5].map((value) => r.combiner.submit({ key: `k${value}`, value })));
  assert.deepEqual(r.batches, [
    [1, 2],
    [3, 4],
  ]);
  assert.deepEqual(r.singles, [5]);
});

test('a failed batch is retried item by item: only the bad item fails', async () => {
  const r = recordingCombiner({ failBatchIf: (items) => items.some((item) => item.value === 2), failOne: (item) => item.value === 2 });
  const settled = await Promise.allSettled([1, 2, 3].map((value) => r.combiner.submit({ key: `k${value}`, value })));
  assert.deepEqual(
    settled.map((s) => s.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.deepEqual(r.batches, [[1, 2, 3]]);
  assert.deepEqual(r.singles.sort(), [1, 2, 3]);
});

test('at most maxInFlight batches run at once', async () => {
  let running = 0;
  let most = 0;
  const combiner = createStatementCombiner<number, number>({
    async runBatch(items) {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return [...items];
    },
    async runOne(item) {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return item;
    },
    maxBatch: 3,
    maxInFlight: 2,
  });
  const values = Array.from({ length: 20 }, (_, i) => i);
  assert.deepEqual(await Promise.all(values.map((v) => combiner.submit(v))), values);
  assert.equal(most, 2);
});

test('an Error in a batch result rejects that item alone and is not retried (its statement ran)', async () => {
  const ranAlone: number[] = [];
  const combiner = createStatementCombiner<number, number>({
    runBatch: async (items) => items.map((item) => (item === 2 ? new Error('not returned') : item)),
    async runOne(item) {
      ranAlone.push(item);
      return item;
    },
    maxBatch: 10,
    maxInFlight: 1,
  });
  const settled = await Promise.allSettled([1, 2, 3].map((value) => combiner.submit(value)));
  assert.deepEqual(
    settled.map((s) => s.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.deepEqual(ranAlone, [], 'nothing written again');
});

test('perDatabase gives one value per handle', () => {
  let made = 0;
  const of = perDatabase((_db: object) => ++made);
  const a = {};
  const b = {};
  assert.equal(of(a), 1);
  assert.equal(of(a), 1);
  assert.equal(of(b), 2);
});
