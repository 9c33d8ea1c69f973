/**
 * The Ed25519 key that signs checkpoints (docs/audit.md section 4). From CERTGUARD_AUDIT_SIGNING_KEY_FILE when
 * set; else, embedded, generated once into <data dir>/audit-signing-key.pem; else ephemeral. Never kept in the
 * database: whoever can rewrite the database could then re-sign it. The private key is never logged.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type winston from 'winston';
import type { Config } from '../../config.ts';

export const SIGNING_KEY_FILE_NAME = 'audit-signing-key.pem';

export interface AuditSigningKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  keyId: string;
  origin: 'key-file' | 'data-dir' | 'ephemeral';
}

/** First 16 hex characters of SHA-256 over the DER SPKI public key. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function signingKeyFromPem(pem: string, origin: AuditSigningKey['origin']): AuditSigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the audit signing key must be Ed25519, got ${privateKey.asymmetricKeyType ?? 'an unknown type'}`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyId: keyIdOf(publicKey), origin };
}

export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

async function readKeyFile(file: string, origin: AuditSigningKey['origin']): Promise<AuditSigningKey> {
  try {
    return signingKeyFromPem(await readFile(file, 'utf8'), origin);
  } catch (error) {
    throw new Error(`cannot use the audit signing key ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

async function keyInDataDir(dataDir: string): Promise<AuditSigningKey> {
  const file = path.join(dataDir, SIGNING_KEY_FILE_NAME);
  await mkdir(dataDir, { recursive: true });
  try {
    // 'wx': never overwrite a key another start wrote (checkpoints signed with it must keep verifying).
    await writeFile(file, generateSigningKeyPem(), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
  }
  return readKeyFile(file, 'data-dir');
}

export async function loadAuditSigningKey(
  config: Pick<Config, 'auditSigningKeyFile' | 'databaseUrl' | 'dataDir'>,
  logger: winston.Logger,
): Promise<AuditSigningKey> {
  let key: AuditSigningKey;
  if (config.auditSigningKeyFile) key = await readKeyFile(config.auditSigningKeyFile, 'key-file');
  else if (!config.databaseUrl && config.dataDir !== 'memory://') key = await keyInDataDir(config.dataDir);
  else key = signingKeyFromPem(generateSigningKeyPem(), 'ephemeral');
  if (key.origin === 'ephemeral' && config.databaseUrl) {
    logger.warn(
      'CERTGUARD_AUDIT_SIGNING_KEY_FILE is not set: audit checkpoints are signed with an ephemeral key, which nothing pins to you across restarts. Set a key file in production.',
      { keyId: key.keyId },
    );
  } else {
    logger.info('audit checkpoint signing key', { keyId: key.keyId, origin: key.origin });
  }
  return key;
}
