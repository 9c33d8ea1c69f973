/**
 * Helpers of the bad-input tests: the AWS error format every refusal must have, a snapshot of everything a
 * request could change (to prove a refused request changed nothing), and a raw socket for bytes that fetch and
 * supertest would re-encode.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { sql } from 'kysely';
import type { RawResponse, TestService } from './test-service.ts';

/** Status, x-amzn-ErrorType, JSON {"message"}; never HTML, a stack trace or a 5xx. */
export function assertAwsError(r: RawResponse, status: number, errorType: string, context: string): void {
  assert.equal(r.status, status, `${context}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(r.headers.get('x-amzn-errortype'), errorType, `${context}: ${r.text.slice(0, 300)}`);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/, context);
  assert.equal(typeof r.json?.message, 'string', `${context}: a JSON {"message"} body`);
  assert.doesNotMatch(r.text, /<html|<!DOCTYPE|\n\s+at /i, `${context}: no HTML, no stack trace`);
}

/**
 * Everything the IoT operations change (certificates, policies, attachments) and the number of ALLOW decision rows,
 * as one comparable text (reads of the trail add AuditTrailRead rows, which claim no change). Equal before and after: no state change, and no audit row claiming one.
 */
export async function accountState(svc: TestService): Promise<string> {
  const rows = async (table: string, order: string) =>
    (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY ${sql.raw(order)}`.execute(svc.db)).rows;
  const { rows: allowed } = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit_events WHERE decision = 'ALLOW' AND event_type = 'Decision'`.execute(
    svc.db,
  );
  return JSON.stringify({
    certificates: await rows('certificates', 'certificate_id'),
    policies: await rows('iot_policies', '1, 2'),
    attachments: await rows('policy_attachments', '1, 2'),
    allowAuditRows: allowed[0]?.n,
  });
}

export interface RawSocketResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `request` (bytes as they are) to the service's socket and reads the response until the server closes. */
export function rawExchange(svc: TestService, request: Buffer): Promise<RawSocketResponse> {
  const [host, port] = svc.host.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), host, () => socket.end(request));
    const parts: Buffer[] = [];
    socket.on('data', (data: Buffer) => parts.push(data));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(parts).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}
