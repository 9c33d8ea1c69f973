/**
 * The pure parts of the audit chain: canonical JSON (RFC 8785) bytes, the chain hash, the checkpoint schedule,
 * checkpoint signatures, and the offline verify of an export (without a database).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { AuditRecord } from '../../src/audit/chain/audit-record.ts';
import { canonicalJson } from '../../src/audit/canonical-json.ts';
import { chainHash } from '../../src/audit/chain/chain-hash.ts';
import { GENESIS_HASH } from '../../src/audit/chain/chain-schema.ts';
import { checkpointDue } from '../../src/audit/checkpoints/checkpoint-policy.ts';
import { checkpointSignatureProblem, signCheckpoint } from '../../src/audit/checkpoints/checkpoint-signature.ts';
import type { CheckpointsDocument } from '../../src/audit/checkpoints/checkpoints-document.ts';
import { exportFooterLine, exportHeaderLine, exportRecordLine } from '../../src/audit/chain/ndjson-lines.ts';
import { generateSigningKeyPem, signingKeyFromPem } from '../../src/audit/checkpoints/signing-key.ts';
import { verifyExport } from '../../src/audit/verification/verify-export.ts';

function record(sequence: number): AuditRecord {
  return {
    sequence: String(sequence),
    eventId: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    eventTime: '2026-11-27T09:00:00.123456Z',
    eventType: 'Decision',
    operation: 'TransferCertificate',
    requestId: 'r',
    callerAccountId: '111111111111',
    callerAccessKeyId: 'AKIA',
    callerRoles: ['operator'],
    sourceIp: '127.0.0.1',
    userAgent: 'ua',
    certificateId: 'c',
    certificateArn: 'arn',
    targetAccountId: null,
    decision: 'DENY',
    errorType: 'CertificateStateException',
    errorMessage: 'no',
    failingRuleId: 'rule',
    ruleOutcomes: { rules: [], decisionId: 'd' },
    policyName: 'p',
    policyRevision: '1',
    policyHash: 'h',
    policyInput: null,
    requestParameters: { b: 1, a: [2, 'x'] },
    traceId: null,
    spanId: null,
  };
}

describe('canonical JSON and the chain hash', () => {
  test('keys are sorted by UTF-16 code units at every depth, with no whitespace', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [3, { z: null, y: true }], c: 'é' }, '\u20ac': 0, '\ud83d\ude00': 1 }),
      '{"a":{"c":"é","d":[3,{"y":true,"z":null}]},"b":1,"€":0,"😀":1}',
    );
  });

  test('numbers are written as ECMAScript does (RFC 8785 vectors)', () => {
    // biome-ignore lint/correctness/noPrecisionLoss: the RFC 8785 vector is written with more digits than a double holds, on purpose
    assert.equal(canonicalJson([1e21, 1e-7, 0.000001, -0, 333333333.33333329, 1.0, 4.5]), '[1e+21,1e-7,0.000001,0,333333333.3333333,1,4.5]');
  });

  test('values JSON cannot carry are refused rather than silently changed', () => {
    assert.throws(() => canonicalJson({ a: Number.NaN }), /NaN/);
    assert.throws(() => canonicalJson({ a: 1n }), /BigInt/);
    assert.throws(() => canonicalJson({ a: new Date() }), /timestamps/);
  });

  test('hash = SHA-256 of the previous hash text followed by the canonical record', () => {
    const expected = createHash('sha256')
      .update(GENESIS_HASH + canonicalJson(record(1)))
      .digest('hex');
    assert.equal(chainHash(GENESIS_HASH, record(1)), expected);
    assert.notEqual(chainHash(GENESIS_HASH, { ...record(1), errorMessage: 'yes' }), expected);
  });
});

describe('checkpoints', () => {
  const schedule = { every: 100, minutes: 10 };
  const now = new Date('2026-11-27T10:00:00Z');

  test('are due every N entries, after M minutes when the head moved, and on demand', () => {
    assert.equal(checkpointDue({ chainSeq: '150', hash: 'h' }, { chainSeq: '50', time: now }, schedule, now, false), 'count');
    assert.equal(
      checkpointDue({ chainSeq: '60', hash: 'h' }, { chainSeq: '50', time: new Date(now.getTime() - 11 * 60_000) }, schedule, now, false),
      'interval',
    );
    assert.equal(checkpointDue({ chainSeq: '50', hash: 'h' }, { chainSeq: '50', time: new Date(0) }, schedule, now, false), undefined);
    assert.equal(checkpointDue({ chainSeq: '60', hash: 'h' }, { chainSeq: '50', time: now }, schedule, now, false), undefined);
    assert.equal(checkpointDue({ chainSeq: '50', hash: 'h' }, { chainSeq: '50', time: now }, schedule, now, true), 'demand');
    assert.equal(checkpointDue(undefined, undefined, schedule, now, true), undefined);
  });

  test("a signature verifies with the signer's public key only, and only for the signed values", () => {
    const key = signingKeyFromPem(generateSigningKeyPem(), 'ephemeral');
    const other = signingKeyFromPem(generateSigningKeyPem(), 'ephemeral');
    const head = { chainSeq: '7', hash: 'a'.repeat(64), time: '2026-11-27T10:00:00.000000Z' };
    const { keyId, signature } = signCheckpoint(key, head);
    assert.equal(checkpointSignatureProblem({ ...head, keyId }, signature, key.publicKeyPem), undefined);
    assert.match(checkpointSignatureProblem({ ...head, keyId, time: '2026-11-27T10:00:00.000001Z' }, signature, key.publicKeyPem) ?? '', /does not match/);
    assert.match(checkpointSignatureProblem({ ...head, keyId }, signature, other.publicKeyPem) ?? '', /another key id/);
  });
});

describe('offline verify of an export', () => {
  const key = signingKeyFromPem(generateSigningKeyPem(), 'ephemeral');

  function chain(count: number) {
    const lines: Array<{ record: AuditRecord; chainSeq: string; prevHash: string; hash: string }> = [];
    let prevHash = GENESIS_HASH;
    for (let i = 1; i <= count; i++) {
      const hash = chainHash(prevHash, record(i * 2));
      lines.push({ record: record(i * 2), chainSeq: String(i), prevHash, hash });
      prevHash = hash;
    }
    return lines;
  }

  function checkpointsAt(entries: ReturnType<typeof chain>, positions: number[], time = '2026-11-27T09:00:00.000000Z'): CheckpointsDocument {
    const checkpoints = positions.map((position, index) => {
      const entry = entries[position - 1]!;
      const { keyId, signature } = signCheckpoint(key, { chainSeq: entry.chainSeq, hash: entry.hash, time });
      return { checkpointId: String(index + 1), chainSeq: entry.chainSeq, hash: entry.hash, time, keyId, signature, reason: 'count' };
    });
    return { format: 'certguard.audit.checkpoints', version: 1, checkpoints, publicKeys: [{ keyId: key.keyId, publicKeyPem: key.publicKeyPem }] };
  }

  async function* file(entries: ReturnType<typeof chain>, filtered = false, unsealed = 0): AsyncIterable<string> {
    const last = entries.at(-1)!;
    yield exportHeaderLine({
      exportedAt: '2026-11-28T00:00:00.000000Z',
      filtered,
      filters: {},
      chain: { fromChainSeq: '1', toChainSeq: last.chainSeq, toHash: last.hash },
    });
    for (const e of entries) yield exportRecordLine(e.record, e);
    for (let i = 0; i < unsealed; i++) yield exportRecordLine(record(1000 + i), null);
    yield exportFooterLine({ records: entries.length + unsealed, lastChainSeq: last.chainSeq, lastHash: last.hash });
  }

  test('a complete export verifies, unsealed rows counted apart', async () => {
    const entries = chain(10);
    const report = await verifyExport(file(entries, false, 2), checkpointsAt(entries, [5, 10]));
    assert.equal(report.ok, true, report.detail);
    assert.equal(report.checkedEntries, 10);
    assert.equal(report.unsealedRows, 2);
    assert.equal(report.checkpointsVerified, 2);
  });

  test('a line removed from an unfiltered export is a chain-gap at its position', async () => {
    const entries = chain(10);
    const report = await verifyExport(file(entries.filter((e) => e.chainSeq !== '4')), checkpointsAt(entries, [10]));
    assert.equal(report.reason, 'chain-gap');
    assert.equal(report.firstBrokenChainSeq, '4');
  });

  test('a filtered export checks each line on its own: missing lines are fine, an edited one is not', async () => {
    const entries = chain(10);
    const kept = entries.filter((e) => Number(e.chainSeq) % 3 === 0);
    assert.equal((await verifyExport(file(kept, true), checkpointsAt(entries, [9]))).ok, true);
    kept[1] = { ...kept[1]!, record: { ...kept[1]!.record, operation: 'AcceptCertificateTransfer' } };
    const report = await verifyExport(file(kept, true), checkpointsAt(entries, [9]));
    assert.equal(report.reason, 'hash-mismatch');
    assert.equal(report.firstBrokenSequence, kept[1].record.sequence);
  });

  test('a checkpoint with a tampered hash is a bad-signature', async () => {
    const entries = chain(4);
    const document = checkpointsAt(entries, [2]);
    document.checkpoints[0] = { ...document.checkpoints[0]!, hash: entries[3]!.hash };
    const report = await verifyExport(file(entries), document);
    assert.equal(report.reason, 'bad-signature');
  });
});
