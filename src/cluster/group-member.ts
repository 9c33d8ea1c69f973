/**
 * A worker's side of the group (CERTGUARD_WORKERS > 1): the rate limiter that leases tokens from the primary over
 * the cluster's IPC channel, handed to bootstrap() so the worker skips what the primary runs once for the group.
 */
import type { GroupMember } from '../bootstrap.ts';
import type { Config } from '../config.ts';
import { isLeaseMessage, LeasedRateLimiter, leaseSize } from '../http/rate-limit-leases.ts';

export function joinGroup(config: Readonly<Config>): GroupMember & { close(): void } {
  const rateLimiter = new LeasedRateLimiter({
    leaseSize: leaseSize(config.rateLimitPerSecond, config.rateLimitBurst, config.workers),
    send: (message) => {
      if (process.connected) process.send?.(message);
    },
  });
  const onMessage = (message: unknown) => {
    if (isLeaseMessage(message)) rateLimiter.receive(message);
  };
  process.on('message', onMessage);
  return {
    rateLimiter,
    close() {
      rateLimiter.close();
      process.off('message', onMessage);
    },
  };
}
