/**
 * The request mixes of decision-throughput.bench.ts, and the certificates they need. Every client works on
 * certificates of its own: a guarded operation locks its certificate row (SELECT … FOR UPDATE) even when the
 * rules deny, so clients sharing one certificate would measure lock waits, not decisions.
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
  const response = await client.send(
    { method: 'POST', path: '/keys-and-certificate', query: { setAsActive: 'true' }, credential: demoOperatorOne },
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
