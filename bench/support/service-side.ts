/**
 * One side of an on/off comparison that runs a real service per side (tracing-overhead, auth-failure-flood): its
 * scratch database, the service process on it and the client that loads it, torn down in that order.
 */
import type { ScratchDatabase } from './bench-database.ts';
import type { BenchService } from './bench-service.ts';
import type { SignedHttpClient } from './signed-http.ts';

export interface ServiceSide {
  label: 'on' | 'off';
  scratch: ScratchDatabase;
  service: BenchService;
  client: SignedHttpClient;
}

export async function stopServiceSide(side: ServiceSide | undefined): Promise<void> {
  if (side === undefined) return;
  side.client.close();
  await side.service.stop();
  await side.scratch.drop();
}
