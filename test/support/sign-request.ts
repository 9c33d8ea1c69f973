/**
 * Signs test requests with an implementation independent of certguard's verifier: the AWS JS SDK's own
 * signer (@smithy/signature-v4). Also exposes the demo credentials from config/demo-credentials.json.
 *
 * Usage with supertest (send the same path, query and body that were signed, and every returned header):
 *   const headers = await signedHeaders({ method: 'GET', path, query, host: 'certguard.test', credential: demoOperatorOne });
 *   await request(app).get(pathWithQuery(path, query)).set(headers);
 */
import { fileURLToPath } from 'node:url';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { loadCredentialsFile, type StoredCredential } from '../../src/auth/credentials-store.ts';

export interface TestCredential {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignInput {
  method: string;
  /** The raw path as it will be sent; may contain %XX (e.g. `/attached-policies/arn%3Aaws%3A...`). */
  path: string;
  /** Decoded query parameters; send them with `pathWithQuery`. */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  /** The Host header the request will carry (supertest lets a test set it). */
  host: string;
  credential: TestCredential;
  region?: string;
  service?: 'iot' | 'execute-api';
  date?: Date;
  /** false = sign like the AWS CLI/botocore: no x-amz-content-sha256 header. Default true (JS SDK style). */
  contentSha256Header?: boolean;
}

export const TEST_REGION = 'us-east-1';

/** The headers to send: authorization, x-amz-date, host, x-amz-content-sha256 (unless disabled) and `input.headers`. */
export async function signedHeaders(input: SignInput): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: input.credential.accessKeyId, secretAccessKey: input.credential.secretAccessKey },
    region: input.region ?? TEST_REGION,
    service: input.service ?? 'iot',
    sha256: Hash.bind(null, 'sha256'), // as the JS SDK configures it
    uriEscapePath: true,
    applyChecksum: input.contentSha256Header ?? true,
  });
  const signed = await signer.sign(
    {
      method: input.method,
      protocol: 'http:',
      hostname: input.host,
      path: input.path,
      query: input.query ?? {},
      headers: { ...input.headers, host: input.host },
      body: input.body ?? '',
    },
    { signingDate: input.date ?? new Date() },
  );
  return { ...(signed.headers as Record<string, string>) };
}

/** RFC 3986 encoding, as the AWS SDKs put query parameters on the wire. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The request target to send for a signed path and query. */
export function pathWithQuery(path: string, query: Record<string, string> = {}): string {
  const pairs = Object.entries(query).map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`);
  return pairs.length === 0 ? path : `${path}?${pairs.join('&')}`;
}

export const demoCredentialsPath = fileURLToPath(new URL('../../config/demo-credentials.json', import.meta.url));
export const demoStore = await loadCredentialsFile(demoCredentialsPath);
export const demoCredentials: readonly StoredCredential[] = demoStore.entries();

function demoWith(accountId: string): StoredCredential {
  const found = demoCredentials.find((c) => c.accountId === accountId);
  if (found === undefined) throw new Error(`${demoCredentialsPath} has no credential for account ${accountId}`);
  return found;
}

/** Operator of account 111111111111. */
export const demoOperatorOne = demoWith('111111111111');
/** Operator of account 222222222222. */
export const demoOperatorTwo = demoWith('222222222222');
/** Auditor (account 999999999999). */
export const demoAuditor = demoWith('999999999999');
