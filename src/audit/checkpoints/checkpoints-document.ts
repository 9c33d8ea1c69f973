/**
 * The exported form of the checkpoints (docs/audit.md section 4): GET /v1/audit/checkpoints answers it and the
 * offline verify reads it back (`--checkpoints`). Public keys are listed once each, by key id.
 */
import type { CheckpointWithKey, StoredCheckpoint } from './checkpoint.repository.ts';

export const CHECKPOINTS_FORMAT = 'certguard.audit.checkpoints';

export interface CheckpointsDocument {
  format: typeof CHECKPOINTS_FORMAT;
  version: 1;
  checkpoints: StoredCheckpoint[];
  publicKeys: Array<{ keyId: string; publicKeyPem: string }>;
}

export function checkpointsDocument(checkpoints: readonly CheckpointWithKey[]): CheckpointsDocument {
  const publicKeys = new Map<string, string>();
  for (const checkpoint of checkpoints) publicKeys.set(checkpoint.keyId, checkpoint.publicKeyPem);
  return {
    format: CHECKPOINTS_FORMAT,
    version: 1,
    checkpoints: checkpoints.map(({ publicKeyPem: _key, ...checkpoint }) => checkpoint),
    publicKeys: [...publicKeys].map(([keyId, publicKeyPem]) => ({ keyId, publicKeyPem })),
  };
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** Reads a checkpoints file; throws with a message naming what is wrong. */
export function parseCheckpointsDocument(text: string): CheckpointsDocument {
  const document = JSON.parse(text) as Partial<CheckpointsDocument>;
  if (document.format !== CHECKPOINTS_FORMAT || document.version !== 1) {
    throw new Error(`not a certguard checkpoints file (format ${CHECKPOINTS_FORMAT}, version 1)`);
  }
  if (!Array.isArray(document.checkpoints) || !Array.isArray(document.publicKeys))
    throw new Error('checkpoints file: checkpoints and publicKeys must be arrays');
  for (const checkpoint of document.checkpoints) {
    const fields = [checkpoint.chainSeq, checkpoint.hash, checkpoint.time, checkpoint.keyId, checkpoint.signature];
    if (!fields.every(isString)) throw new Error('checkpoints file: every checkpoint needs chainSeq, hash, time, keyId and signature strings');
  }
  return document as CheckpointsDocument;
}
