/**
 * Writing a long stream to an HTTP response with backpressure: when the socket's buffer is full `res.write`
 * returns false and we wait for 'drain' before producing more, so memory stays flat however slow the client.
 * A client that goes away ends the wait too ('close'), and `closed` tells the producer to stop reading.
 */
import type { ServerResponse } from 'node:http';

export class ResponseWriter {
  #closed = false;

  constructor(private readonly res: ServerResponse) {
    // 'close' also fires after a normal end; by then nothing is left to write, so the flag is harmless.
    res.once('close', () => {
      this.#closed = true;
    });
  }

  /** True once the client disconnected (or the response ended): stop producing. */
  get closed(): boolean {
    return this.#closed || this.res.destroyed;
  }

  /**
   * Writes a chunk (text, or bytes as they are) and resolves when it is fine to write the next one. `flushed` is
   * called once the socket has taken the chunk (or failed to), also when nothing was written.
   */
  async write(chunk: string | Buffer, flushed?: () => void): Promise<void> {
    if (this.closed || chunk.length === 0) {
      flushed?.();
      return;
    }
    if (this.res.write(chunk, flushed)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }
}
