/**
 * The NDJSON answer of GET /v1/audit/verify (src/audit/verification/verify-progress-stream.ts) written to a real
 * HTTP response and read back by fetch: its throttle (first line at once, then at most one per interval, and the
 * last one), its headers, its last line, and the AWS error a failure after the status line becomes.
 */
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { InvalidRequestError } from '../../src/errors.ts';
import { streamErrorOf, VerifyProgressStream } from '../../src/audit/verification/verify-progress-stream.ts';
import type { VerifyReport } from '../../src/audit/verification/verify-report.ts';

const REPORT: VerifyReport = {
  ok: true,
  checkedEntries: 100,
  unsealedRows: 0,
  checkpointsVerified: 1,
  fromChainSeq: '1',
  headChainSeq: '100',
  headHash: 'a'.repeat(64),
};

/** Serves one request with `write`, returns the response's headers and its lines parsed. */
async function served(write: (res: ServerResponse) => Promise<void> | void): Promise<{ headers: Headers; lines: unknown[] }> {
  const server = createServer((_req, res) => void write(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const text = await response.text();
    assert.ok(text.endsWith('\n'), 'every line ends with a newline');
    return {
      headers: response.headers,
      lines: text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    };
  } finally {
    server.close();
  }
}

describe('the streamed verify answer', () => {
  test('the first progress line at once, then none within the interval, then the last; then the report', async () => {
    const { headers, lines } = await served((res) => {
      const stream = new VerifyProgressStream(res, 60_000);
      for (let checked = 0; checked <= 100; checked += 10) stream.progress(checked, 100);
      stream.finish(REPORT);
    });
    assert.equal(headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
    assert.equal(headers.get('cache-control'), 'no-store');
    assert.deepEqual(lines, [{ progress: { checked: 0, total: 100 } }, { progress: { checked: 100, total: 100 } }, { report: REPORT }]);
  });

  test('with a zero interval every change is a line, a repeated count is not', async () => {
    const { lines } = await served((res) => {
      const stream = new VerifyProgressStream(res, 0);
      for (const checked of [0, 40, 40, 80, 100]) stream.progress(checked, 100);
      stream.finish(REPORT);
    });
    assert.deepEqual(
      lines.slice(0, -1).map((line) => (line as { progress: { checked: number } }).progress.checked),
      [0, 40, 80, 100],
    );
  });

  test('after the interval the next count is written again', async () => {
    const { lines } = await served(async (res) => {
      const stream = new VerifyProgressStream(res, 30);
      stream.progress(0, 100);
      stream.progress(10, 100); // within the interval: dropped
      await new Promise((resolve) => setTimeout(resolve, 60));
      stream.progress(20, 100);
      stream.finish(REPORT);
    });
    assert.deepEqual(lines.slice(0, -1), [{ progress: { checked: 0, total: 100 } }, { progress: { checked: 20, total: 100 } }]);
  });

  test('a failure after the first line is the last line: a service error as itself, anything else as a 500 that tells nothing', async () => {
    assert.deepEqual(streamErrorOf(new InvalidRequestError('no checkpoint 7')), {
      type: 'InvalidRequestException',
      message: 'no checkpoint 7',
      internal: false,
    });
    assert.deepEqual(streamErrorOf(new Error('relation "secret_table" does not exist')), {
      type: 'InternalFailureException',
      message: 'An unexpected error has occurred',
      internal: true,
    });
    const { lines } = await served((res) => {
      const stream = new VerifyProgressStream(res);
      stream.progress(0, 5);
      assert.equal(stream.started, true);
      stream.fail({ type: 'ServiceUnavailableException', message: 'retry later' });
    });
    assert.deepEqual(lines, [{ progress: { checked: 0, total: 5 } }, { error: { type: 'ServiceUnavailableException', message: 'retry later' } }]);
  });
});
