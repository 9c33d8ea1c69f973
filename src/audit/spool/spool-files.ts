/**
 * Names and ownership of the outage spool's files (docs/security.md "Database outages and the spool").
 * Several replicas may share one spool directory, so every file names its writer, and a replayer takes a file
 * by renaming it to a name that also names the replayer: rename is atomic, so of two replicas racing for one file
 * exactly one succeeds (the other gets ENOENT), and no file is ever replayed by two processes at once.
 *
 *   audit-spool.<host>.<pid>.<instance>.<n>.open.ndjson                          being appended by its writer
 *   audit-spool.<host>.<pid>.<instance>.<n>.claimed.<host>.<pid>.<instance>.ndjson  being replayed by the claimer
 *
 * A file whose writer (open) or claimer (claimed) is gone is an orphan any replayer may take. "Gone" can only be
 * told on the same host: the pid no longer runs, or it is this very pid but another instance (a restarted
 * container is often pid 1 again). Files of another host wait for a process of that host name.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export interface SpoolIdentity {
  host: string;
  pid: number;
  instance: string;
}

const PART = '[A-Za-z0-9-]+';
const FILE_NAME = new RegExp(`^audit-spool\\.(${PART})\\.(\\d+)\\.([0-9a-f]+)\\.(\\d+)\\.(?:open|claimed\\.(${PART})\\.(\\d+)\\.([0-9a-f]+))\\.ndjson$`);

/** Instances alive in this process (tests run several services in one process). */
const liveInstances = new Set<string>();

export function newSpoolIdentity(): SpoolIdentity {
  const identity = { host: hostname().replace(/[^A-Za-z0-9-]/g, '-') || 'host', pid: process.pid, instance: randomBytes(6).toString('hex') };
  liveInstances.add(identity.instance);
  return identity;
}

export function retireSpoolIdentity(identity: SpoolIdentity): void {
  liveInstances.delete(identity.instance);
}

const idText = (id: SpoolIdentity) => `${id.host}.${id.pid}.${id.instance}`;

export function openSegmentName(writer: SpoolIdentity, segment: number): string {
  return `audit-spool.${idText(writer)}.${segment}.open.ndjson`;
}

export interface SpoolFileName {
  writer: SpoolIdentity;
  segment: number;
  claimer?: SpoolIdentity;
}

export function parseSpoolFileName(name: string): SpoolFileName | undefined {
  const m = FILE_NAME.exec(name);
  if (!m) return undefined;
  const writer = { host: m[1]!, pid: Number(m[2]), instance: m[3]! };
  return { writer, segment: Number(m[4]), ...(m[5] ? { claimer: { host: m[5], pid: Number(m[6]), instance: m[7]! } } : {}) };
}

/** The name a file takes once `claimer` owns it for replay. */
export function claimedName(file: SpoolFileName, claimer: SpoolIdentity): string {
  return `audit-spool.${idText(file.writer)}.${file.segment}.claimed.${idText(claimer)}.ndjson`;
}

export function sameIdentity(a: SpoolIdentity, b: SpoolIdentity): boolean {
  return a.host === b.host && a.pid === b.pid && a.instance === b.instance;
}

/** True when `owner` certainly no longer runs (see the header); unknown counts as alive. */
export function isGone(owner: SpoolIdentity, me: SpoolIdentity): boolean {
  if (owner.host !== me.host) return false;
  if (owner.pid === me.pid) return !liveInstances.has(owner.instance);
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Whether `me` may replay this file now: already mine, or an orphan. */
export function mayTake(file: SpoolFileName, me: SpoolIdentity): boolean {
  if (file.claimer) return sameIdentity(file.claimer, me) || isGone(file.claimer, me);
  return !sameIdentity(file.writer, me) && isGone(file.writer, me);
}
