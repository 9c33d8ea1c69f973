/** When the sealer signs the head: every N entries, every M minutes if the head moved, and on demand. Pure. */
import type { ChainHead } from '../sealing/chain.repository.ts';
import type { CheckpointReason } from './checkpoint.repository.ts';

export interface CheckpointSchedule {
  /** 0 = never by count. */
  every: number;
  /** 0 = never by time. */
  minutes: number;
}

export interface LastCheckpoint {
  chainSeq: string;
  time: Date;
}

export function checkpointDue(
  head: ChainHead | undefined,
  last: LastCheckpoint | undefined,
  schedule: CheckpointSchedule,
  now: Date,
  demanded: boolean,
): CheckpointReason | undefined {
  if (head === undefined) return undefined;
  if (demanded) return 'demand';
  const since = BigInt(head.chainSeq) - BigInt(last?.chainSeq ?? 0);
  if (since <= 0n) return undefined;
  if (schedule.every > 0 && since >= BigInt(schedule.every)) return 'count';
  if (schedule.minutes > 0 && (last === undefined || now.getTime() - last.time.getTime() >= schedule.minutes * 60_000)) return 'interval';
  return undefined;
}
