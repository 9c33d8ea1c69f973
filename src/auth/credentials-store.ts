/**
 * The access keys certguard accepts, loaded from a JSON file:
 * `[{"accessKeyId", "secretAccessKey", "accountId", "roles": ["operator" | "auditor"]}]`.
 * Validation errors name the file, the entry and the field, and never echo a value: a secret pasted
 * into the wrong field must not end up in a log.
 */
import { readFile } from 'node:fs/promises';
import { ROLES, type Role } from '../request/caller.ts';

export interface StoredCredential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  roles: Role[];
}

export class CredentialsFileError extends Error {
  override name = 'CredentialsFileError';
}

export class CredentialsStore {
  readonly #byAccessKeyId = new Map<string, StoredCredential>();
  readonly #entries: readonly StoredCredential[];

  constructor(entries: StoredCredential[]) {
    // Frozen copies: no caller can change a key's account or roles after start-up.
    this.#entries = Object.freeze(entries.map((entry) => Object.freeze({ ...entry, roles: Object.freeze([...entry.roles]) as Role[] })));
    for (const entry of this.#entries) {
      if (this.#byAccessKeyId.has(entry.accessKeyId)) {
        throw new Error(`Duplicate access key id ${entry.accessKeyId} in the credentials store`);
      }
      this.#byAccessKeyId.set(entry.accessKeyId, entry);
    }
  }

  lookup(accessKeyId: string): StoredCredential | undefined {
    return this.#byAccessKeyId.get(accessKeyId);
  }

  entries(): readonly StoredCredential[] {
    return this.#entries;
  }
}

const FIELDS: ReadonlySet<string> = new Set(['accessKeyId', 'secretAccessKey', 'accountId', 'roles']);
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;
const ACCOUNT_ID = /^\d{12}$/;
const MIN_SECRET_LENGTH = 16;

function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

function parseRoles(value: unknown, problem: (field: string, message: string) => CredentialsFileError): Role[] {
  if (value === undefined) return ['operator'];
  if (!Array.isArray(value) || value.length === 0) throw problem('roles', 'must be a non-empty array');
  if (!value.every(isRole)) throw problem('roles', `must contain only ${ROLES.map((r) => `"${r}"`).join(' or ')}`);
  if (new Set(value).size !== value.length) throw problem('roles', 'must not repeat a role');
  return [...value];
}

function parseEntry(raw: unknown, index: number, path: string): StoredCredential {
  const problem = (field: string, message: string) =>
    new CredentialsFileError(`${path}: entry [${index}]${field === '' ? '' : ` field "${field}"`} ${message}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw problem('', 'must be an object');
  const entry = raw as Record<string, unknown>;
  // Unknown field names are not echoed either: the name itself could be a misplaced secret.
  const unknownCount = Object.keys(entry).filter((key) => !FIELDS.has(key)).length;
  if (unknownCount > 0) {
    throw problem('', `has ${unknownCount} unknown field(s); allowed fields are ${[...FIELDS].join(', ')}`);
  }
  const { accessKeyId, secretAccessKey, accountId } = entry;
  if (typeof accessKeyId !== 'string' || !ACCESS_KEY_ID.test(accessKeyId)) {
    throw problem('accessKeyId', 'must be 16 to 128 characters of A-Z and 0-9');
  }
  if (typeof secretAccessKey !== 'string' || secretAccessKey.length < MIN_SECRET_LENGTH) {
    throw problem('secretAccessKey', `must be a string of at least ${MIN_SECRET_LENGTH} characters`);
  }
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) {
    throw problem('accountId', 'must be a string of exactly 12 digits');
  }
  return { accessKeyId, secretAccessKey, accountId, roles: parseRoles(entry.roles, problem) };
}

/** Validates the parsed file content; exported for tests that build content in memory. */
export function parseCredentials(content: unknown, path: string): CredentialsStore {
  if (!Array.isArray(content) || content.length === 0) {
    throw new CredentialsFileError(`${path}: must be a non-empty JSON array of credentials`);
  }
  const firstIndexOf = new Map<string, number>();
  const entries = content.map((raw, index) => {
    const entry = parseEntry(raw, index, path);
    const earlier = firstIndexOf.get(entry.accessKeyId);
    if (earlier !== undefined) {
      throw new CredentialsFileError(`${path}: entry [${index}] field "accessKeyId" repeats the one of entry [${earlier}]`);
    }
    firstIndexOf.set(entry.accessKeyId, index);
    return entry;
  });
  return new CredentialsStore(entries);
}

export async function loadCredentialsFile(path: string): Promise<CredentialsStore> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new CredentialsFileError(`${path}: cannot read the credentials file (${code})`);
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the error, which may be a secret: keep only the position.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new CredentialsFileError(`${path}: not valid JSON${position === undefined ? '' : ` (at position ${position})`}`);
  }
  return parseCredentials(content, path);
}
