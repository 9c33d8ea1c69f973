/**
 * Offline verification of an NDJSON export against exported checkpoints (docs/audit.md sections 5 and 6), with
 * no database: every sealed line's hash is recomputed from its record; in an unfiltered export the lines must
 * also link up one by one across the declared chain range, and the range must reach every checkpoint signed
 * before the export was made. Reads the file line by line (constant memory).
 */
import { GENESIS_HASH } from '../chain/chain-schema.ts';
import { chainHash } from '../chain/chain-hash.ts';
import { ChainWalk } from './chain-walk.ts';
import { checkCheckpoints, type CheckedCheckpoints } from './checkpoint-check.ts';
import type { CheckpointsDocument } from '../checkpoints/checkpoints-document.ts';
import { type ExportHeader, type ExportLine, parseExportLine } from '../chain/ndjson-lines.ts';
import { type VerifyFailure, type VerifyProgress, type VerifyReport, verifyReport } from './verify-report.ts';

export interface ExportVerifyOptions {
  trustedKeyIds?: ReadonlySet<string>;
  onProgress?: VerifyProgress;
}

export class ExportFormatError extends Error {}

type TimedCheckpoints = CheckedCheckpoints & { timeOf(chainSeq: string): string };

interface State {
  header: ExportHeader;
  checkpoints: TimedCheckpoints;
  walk: ChainWalk | undefined;
  checked: number;
  unsealed: number;
  records: number;
  footerRecords: number | undefined;
  lastChainSeq: string | null;
  lastHash: string | null;
}

function startWalk(header: ExportHeader, checkpoints: CheckedCheckpoints, firstPrevHash: string): ChainWalk {
  const from = BigInt(header.chain?.fromChainSeq ?? '1');
  const anchor = from === 1n ? GENESIS_HASH : (checkpoints.hashes.get(String(from - 1n)) ?? firstPrevHash);
  return new ChainWalk(String(from - 1n), anchor, checkpoints.hashes);
}

/** A sealed line of a filtered export: its own hash and any checkpoint at its position. */
function checkAlone(line: Extract<ExportLine, { kind: 'record' }>, signed: ReadonlyMap<string, string>): VerifyFailure | undefined {
  const { chain, record } = line;
  if (chain === null) return undefined;
  const at = { firstBrokenSequence: record.sequence, firstBrokenChainSeq: chain.chainSeq };
  if (chainHash(chain.prevHash, record) !== chain.hash)
    return {
      reason: 'hash-mismatch',
      ...at,
      detail: `chain position ${chain.chainSeq}: the hash of audit event ${record.sequence} does not match its content`,
    };
  const signedHash = signed.get(chain.chainSeq);
  if (signedHash !== undefined && signedHash !== chain.hash)
    return { reason: 'hash-mismatch', ...at, detail: `chain position ${chain.chainSeq} differs from its signed checkpoint` };
  return undefined;
}

function feedRecord(state: State, line: Extract<ExportLine, { kind: 'record' }>): VerifyFailure | undefined {
  state.records += 1;
  if (line.chain === null) {
    state.unsealed += 1;
    return undefined;
  }
  let failure: VerifyFailure | undefined;
  if (state.header.filtered) {
    failure = checkAlone(line, state.checkpoints.hashes);
    if (!failure) state.checked += 1;
  } else {
    state.walk ??= startWalk(state.header, state.checkpoints, line.chain.prevHash);
    failure = state.walk.feed({ ...line.chain, eventSequence: line.record.sequence, record: line.record });
    state.checked = state.walk.checked;
  }
  if (!failure) {
    state.lastChainSeq = line.chain.chainSeq;
    state.lastHash = line.chain.hash;
  }
  return failure;
}

/** After the last line of an unfiltered export: did it reach its declared end and every earlier checkpoint? */
function checkEnd(state: State): VerifyFailure | undefined {
  const { header, checkpoints } = state;
  const signedBefore = [...checkpoints.hashes.keys()].filter((chainSeq) => checkpoints.timeOf(chainSeq) <= header.exportedAt);
  const highest = signedBefore.reduce<string | undefined>((max, s) => (max === undefined || BigInt(s) > BigInt(max) ? s : max), undefined);
  const next = String(BigInt(state.lastChainSeq ?? String(BigInt(header.chain?.fromChainSeq ?? '1') - 1n)) + 1n);
  if (!header.filtered && highest !== undefined && BigInt(highest) >= BigInt(next)) {
    return {
      reason: 'truncated-after-checkpoint',
      firstBrokenChainSeq: next,
      detail: `the export's chain ends before position ${highest}, which was signed before the export was made`,
    };
  }
  if (!header.filtered && header.chain !== null && (state.lastChainSeq !== header.chain.toChainSeq || state.lastHash !== header.chain.toHash)) {
    return {
      reason: 'chain-gap',
      firstBrokenChainSeq: next,
      detail: `the export declares chain positions up to ${header.chain.toChainSeq} but its lines end at ${state.lastChainSeq ?? 'none'}`,
    };
  }
  if (state.footerRecords === undefined) return { reason: 'chain-gap', firstBrokenChainSeq: next, detail: 'the export has no footer: it was cut short' };
  if (state.footerRecords !== state.records)
    return { reason: 'chain-gap', detail: `the footer counts ${state.footerRecords} records but the file holds ${state.records}` };
  return undefined;
}

async function readHeader(lines: AsyncIterator<string>): Promise<ExportHeader> {
  const first = await lines.next();
  let parsed: ExportLine | undefined;
  try {
    parsed = first.done ? undefined : parseExportLine(first.value);
  } catch (error) {
    throw new ExportFormatError(`the first line is not an export header: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (parsed?.kind !== 'header') throw new ExportFormatError('the first line is not an export header');
  return parsed.header;
}

export async function verifyExport(lines: AsyncIterable<string>, document: CheckpointsDocument, options: ExportVerifyOptions = {}): Promise<VerifyReport> {
  const keys = new Map(document.publicKeys.map((key) => [key.keyId, key.publicKeyPem]));
  const checkpoints = withTimes(
    checkCheckpoints(document.checkpoints, (keyId) => keys.get(keyId), options.trustedKeyIds),
    document,
  );
  const iterator = lines[Symbol.asyncIterator]();
  const header = await readHeader(iterator);
  const state: State = {
    header,
    checkpoints,
    walk: undefined,
    checked: 0,
    unsealed: 0,
    records: 0,
    footerRecords: undefined,
    lastChainSeq: null,
    lastHash: null,
  };
  const total = header.chain ? Number(BigInt(header.chain.toChainSeq) - BigInt(header.chain.fromChainSeq) + 1n) : 0;
  let failure = checkpoints.failure;
  for (let lineNumber = 2; failure === undefined; lineNumber++) {
    const next = await iterator.next();
    if (next.done) break;
    if (next.value.trim() === '') continue;
    failure = feedLine(state, next.value, lineNumber);
    if (state.records % 10_000 === 0) options.onProgress?.(state.checked, total);
  }
  failure ??= checkEnd(state);
  return verifyReport(
    {
      checkedEntries: state.checked,
      unsealedRows: state.unsealed,
      checkpointsVerified: checkpoints.verified,
      fromChainSeq: header.chain?.fromChainSeq ?? '1',
      headChainSeq: state.lastChainSeq,
      headHash: state.lastHash,
    },
    failure,
  );
}

function feedLine(state: State, text: string, lineNumber: number): VerifyFailure | undefined {
  let line: ExportLine;
  try {
    line = parseExportLine(text);
  } catch (error) {
    return { reason: 'hash-mismatch', detail: `line ${lineNumber} is not a valid export line: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (state.footerRecords !== undefined) return { reason: 'chain-gap', detail: `line ${lineNumber} follows the footer` };
  if (line.kind === 'header') return { reason: 'hash-mismatch', detail: `line ${lineNumber} is a second header` };
  if (line.kind === 'footer') {
    state.footerRecords = line.footer.records;
    return undefined;
  }
  return feedRecord(state, line);
}

function withTimes(checked: CheckedCheckpoints, document: CheckpointsDocument): TimedCheckpoints {
  const earliest = new Map<string, string>();
  for (const checkpoint of document.checkpoints) {
    const known = earliest.get(checkpoint.chainSeq);
    if (known === undefined || checkpoint.time < known) earliest.set(checkpoint.chainSeq, checkpoint.time);
  }
  return { ...checked, timeOf: (chainSeq) => earliest.get(chainSeq) ?? '9999' };
}
