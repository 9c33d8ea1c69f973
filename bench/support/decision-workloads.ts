/**
 * The request mixes of the HTTP benchmarks, and the certificates they need. The first ones give every client
 * certificates of its own (tracing-overhead, ab-throughput); the issue-14 ones (decision-throughput) put every
 * client on ONE certificate for reads and denials — a decision no longer locks the row — and give each allowed
 * transfer a certificate of its own.
 */
import { demoOperatorOne } from '../../test/support/sign-request.ts';
import type { Workload } from './load-generator.ts';
import type { SignedHttpClient } from './signed-http.ts';

export interface BenchCertificates {
  /** One ACTIVE certificate per client: read by (c), refused a transfer by (a). */
  activeByClient: string[];
  /** Per client, certificates whose status (b) toggles. */
  togglesByClient: string[][];
}

const SETUP_PARALLELISM = 4;
const SETUP_TIMEOUT_MS = 30_000;

async function createActiveCertificate(client: SignedHttpClient): Promise<string> {
  return createCertificate(client, true);
}

/** CreateKeysAndCertificate through the API: one audited decision. */
export async function createCertificate(client: SignedHttpClient, active: boolean): Promise<string> {
  const response = await client.send(
    { method: 'POST', path: '/keys-and-certificate', query: { setAsActive: String(active) }, credential: demoOperatorOne },
    SETUP_TIMEOUT_MS,
  );
  if (response.status !== 200) throw new Error(`CreateKeysAndCertificate answered ${response.status}: ${response.body.slice(0, 300)}`);
  return (JSON.parse(response.body) as { certificateId: string }).certificateId;
}

/** Creates them through the API; each creation is an audited decision (certificateCount() of them). */
export async function createBenchCertificates(client: SignedHttpClient, clients: number, togglesPerClient: number): Promise<BenchCertificates> {
  const total = clients * (1 + togglesPerClient);
  const ids: string[] = [];
  for (let start = 0; start < total; start += SETUP_PARALLELISM) {
    const batch = Math.min(SETUP_PARALLELISM, total - start);
    ids.push(...(await Promise.all(Array.from({ length: batch }, () => createActiveCertificate(client)))));
  }
  return {
    activeByClient: ids.slice(0, clients),
    togglesByClient: Array.from({ length: clients }, (_, c) => ids.slice(clients + c * togglesPerClient, clients + (c + 1) * togglesPerClient)),
  };
}

export function certificateCount(certificates: BenchCertificates): number {
  return certificates.activeByClient.length + certificates.togglesByClient.flat().length;
}

/** (c) Auth, validation and one SELECT: no decision, no audit row. */
export function describeWorkload({ activeByClient }: BenchCertificates): Workload {
  return {
    name: 'DescribeCertificate',
    next: (client) => ({
      request: { method: 'GET', path: `/certificates/${activeByClient[client]}`, credential: demoOperatorOne },
      expected: { status: 200 },
    }),
  };
}

/** (a) The full decision path, refused by the rule certificate-not-active; the audit row is still written. */
export function deniedTransferWorkload({ activeByClient }: BenchCertificates): Workload {
  return {
    name: 'TransferCertificate (denied)',
    next: (client) => ({
      request: {
        method: 'PATCH',
        path: `/transfer-certificate/${activeByClient[client]}`,
        query: { targetAwsAccount: '222222222222' },
        body: '{"transferMessage":"certguard benchmark"}',
        credential: demoOperatorOne,
      },
      expected: { status: 406, errorType: 'CertificateStateException' },
    }),
  };
}

/** (b) Allowed decisions that change state: each request flips one of the client's certificates. */
export function toggleWorkload({ togglesByClient }: BenchCertificates): Workload {
  const status = new Map<string, 'ACTIVE' | 'INACTIVE'>(togglesByClient.flat().map((id) => [id, 'ACTIVE']));
  const opposite = (id: string) => (status.get(id) === 'ACTIVE' ? 'INACTIVE' : 'ACTIVE');
  return {
    name: 'UpdateCertificate (toggle)',
    next: (client, sequence) => {
      const own = togglesByClient[client] ?? [];
      const id = own[sequence % own.length] as string;
      return {
        request: { method: 'PUT', path: `/certificates/${id}`, query: { newStatus: opposite(id) }, credential: demoOperatorOne },
        expected: { status: 200 },
      };
    },
    acknowledged: (_client, request) => {
      const id = request.path.slice('/certificates/'.length);
      status.set(id, request.query?.newStatus === 'ACTIVE' ? 'ACTIVE' : 'INACTIVE');
    },
  };
}

/** Issue 14's baseline: every client reads the same certificate (auth + validation + one SELECT, no audit row). */
export function describeOneWorkload(certificateId: string): Workload {
  return {
    name: 'DescribeCertificate (one certificate)',
    next: () => ({ request: { method: 'GET', path: `/certificates/${certificateId}`, credential: demoOperatorOne }, expected: { status: 200 } }),
  };
}

function transferRequest(certificateId: string) {
  return {
    method: 'PATCH',
    path: `/transfer-certificate/${certificateId}`,
    query: { targetAwsAccount: '222222222222' },
    body: '{"transferMessage":"certguard benchmark"}',
    credential: demoOperatorOne,
  };
}

/** Every client is refused a transfer of the same ACTIVE certificate: denials contending on one row. */
export function deniedOnOneWorkload(certificateId: string): Workload {
  return {
    name: 'TransferCertificate denied (one certificate)',
    next: () => ({ request: transferRequest(certificateId), expected: { status: 406, errorType: 'CertificateStateException' } }),
  };
}

/** Allowed transfers, each request on a certificate of its own (the client's n-th INACTIVE certificate). */
export function allowedTransferWorkload(byClient: readonly string[][]): Workload {
  return {
    name: 'TransferCertificate allowed (own certificate)',
    next: (client, sequence) => ({ request: transferRequest(byClient[client]![sequence]!), expected: { status: 200 } }),
  };
}
