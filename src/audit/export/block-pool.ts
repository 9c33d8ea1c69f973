/**
 * Reusable 1 MB blocks for an export's COPY windows (copy-line-collector.ts). Every byte an export allocates in
 * Buffers counts towards V8's external memory, and each 64 MB of it sets off a full garbage collection of the
 * service's whole heap: measured, those collections were most of the service's CPU during an export. A window's
 * blocks come back once the socket has taken them (stream-export.ts), so an export of any size allocates only the
 * few windows in flight.
 */
export const BLOCK_SIZE = 1 << 20;

export class BlockPool {
  readonly #free: ArrayBuffer[] = [];

  /** A block to fill: a free one, or a new one. */
  take(): Buffer {
    const free = this.#free.pop();
    return free === undefined ? Buffer.allocUnsafeSlow(BLOCK_SIZE) : Buffer.from(free, 0, BLOCK_SIZE);
  }

  /** Blocks (or views of them) nobody reads any more. */
  release(blocks: readonly Buffer[]): void {
    for (const block of blocks) if (block.buffer.byteLength === BLOCK_SIZE) this.#free.push(block.buffer as ArrayBuffer);
  }
}
