/**
 * The signed bytes of a checkpoint (docs/audit.md section 4): canonical JSON of
 * {type, chainSeq, hash, time, keyId}, signed with Ed25519. Pure: no database.
 */
import { createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from '../canonical-json.ts';
import { keyIdOf, type AuditSigningKey } from './signing-key.ts';

export const CHECKPOINT_TYPE = 'certguard.audit.checkpoint.v1';

export interface CheckpointHead {
  chainSeq: string;
  hash: string;
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ` */
  time: string;
  keyId: string;
}

export function checkpointPayload(head: CheckpointHead): Buffer {
  return Buffer.from(canonicalJson({ type: CHECKPOINT_TYPE, chainSeq: head.chainSeq, hash: head.hash, time: head.time, keyId: head.keyId }), 'utf8');
}

/** A Date as the chain's timestamp text (microseconds always written, so it matches Postgres' to_char). */
export function utcTimestampText(date: Date): string {
  return date.toISOString().replace(/Z$/, '000Z');
}

export function signCheckpoint(key: AuditSigningKey, head: Omit<CheckpointHead, 'keyId'>): { keyId: string; signature: string } {
  const signature = sign(null, checkpointPayload({ ...head, keyId: key.keyId }), key.privateKey).toString('base64');
  return { keyId: key.keyId, signature };
}

/** Why a checkpoint's signature is not valid, or undefined when it is. */
export function checkpointSignatureProblem(head: CheckpointHead, signature: string, publicKeyPem: string | undefined): string | undefined {
  if (publicKeyPem === undefined) return `no public key for key id ${head.keyId}`;
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(publicKeyPem);
  } catch {
    return `the public key of key id ${head.keyId} cannot be read`;
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') return `key id ${head.keyId} is not an Ed25519 key`;
  if (keyIdOf(publicKey) !== head.keyId) return `the public key stored for key id ${head.keyId} has another key id`;
  const valid = verify(null, checkpointPayload(head), publicKey, Buffer.from(signature, 'base64'));
  return valid ? undefined : 'the signature does not match the checkpoint';
}
