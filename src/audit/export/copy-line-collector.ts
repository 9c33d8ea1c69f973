/**
 * Collects an export window read by COPY (src/db/copy-out.ts) into finished lines. The stream is PostgreSQL's
 * binary COPY format (manual, "COPY", Binary Format): an 11-byte signature, a flags word and a header extension,
 * then per tuple a 16-bit field count and each field as a 32-bit length (-1 for NULL) and its bytes, and a count
 * of -1 at the end. Each tuple here is (line, chain_seq, hash), all text, so a field's bytes are its UTF-8 text.
 * Bytes arrive in pieces cut anywhere, so this is a byte-level state machine: the lines' bytes are copied, each
 * followed by the line end, into blocks from a BlockPool (no copy on growth), and the chain fields are kept only
 * for the last sealed tuple.
 */
import type { CopySink } from '../../db/copy-out.ts';
import { BLOCK_SIZE, type BlockPool } from './block-pool.ts';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const TUPLE_FIELDS = 3;

type State = 'signature' | 'extension' | 'count' | 'length' | 'value' | 'end';

export class CopyFormatError extends Error {
  constructor(detail: string) {
    super(`unexpected COPY binary stream: ${detail}`);
    this.name = 'CopyFormatError';
  }
}

export class CopyLineCollector implements CopySink {
  /** Lines in the window. */
  records = 0;
  /** The last sealed tuple's chain position and hash (null: none sealed). */
  lastChainSeq: string | null = null;
  lastHash: string | null = null;

  readonly #end: Buffer;
  readonly #blocks: Buffer[] = [];
  #used = BLOCK_SIZE;
  #state: State = 'signature';
  /** Bytes of a fixed-size item (signature and header words, a count, a length) gathered so far. */
  readonly #word = Buffer.alloc(SIGNATURE.length + 8);
  #wordFill = 0;
  /** Where reading goes on after #int. */
  #after = 0;
  #field = 0;
  /** Bytes still to read of the current value (or of the header extension). */
  #remaining = 0;
  /** The current tuple's chain_seq and hash, as read so far (null: NULL). */
  #chain: [string | null, string | null] = [null, null];

  constructor(
    lineEnd: Buffer,
    private readonly pool: BlockPool,
  ) {
    this.#end = lineEnd;
  }

  /** The collected lines, in order: views of the filled part of each block. */
  lines(): Buffer[] {
    if (this.#state !== 'end') throw new CopyFormatError('the stream ended before its trailer');
    return this.#blocks.map((block, index) => (index === this.#blocks.length - 1 ? block.subarray(0, this.#used) : block));
  }

  data(bytes: Buffer): void {
    let at = 0;
    while (at < bytes.length) {
      switch (this.#state) {
        case 'signature':
          at = this.#gather(bytes, at, SIGNATURE.length + 8);
          if (this.#wordFill < SIGNATURE.length + 8) break;
          if (!this.#word.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new CopyFormatError('no signature');
          this.#remaining = this.#word.readUInt32BE(SIGNATURE.length + 4);
          this.#wordFill = 0;
          this.#state = 'extension';
          break;
        case 'extension': {
          const skip = Math.min(this.#remaining, bytes.length - at);
          at += skip;
          this.#remaining -= skip;
          if (this.#remaining === 0) this.#state = 'count';
          break;
        }
        case 'count': {
          const fields = this.#int(bytes, at, 2);
          at = this.#after;
          if (fields !== undefined) this.#startTuple(fields);
          break;
        }
        case 'length': {
          const length = this.#int(bytes, at, 4);
          at = this.#after;
          if (length === undefined) break;
          if (length === -1) this.#endValue(null);
          else {
            this.#remaining = length;
            if (this.#field > 0) this.#chain[this.#field - 1] = '';
            this.#state = 'value';
            if (length === 0) this.#endValue('');
          }
          break;
        }
        case 'value': {
          const take = Math.min(this.#remaining, bytes.length - at);
          if (this.#field === 0) this.#append(bytes, at, at + take);
          else this.#chain[this.#field - 1] += bytes.toString('latin1', at, at + take);
          at += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#endValue(undefined);
          break;
        }
        case 'end':
          throw new CopyFormatError('bytes after the trailer');
      }
    }
  }

  /**
   * A signed big-endian word of `size` bytes at `at`: read in place when it is whole in this piece (nearly
   * always), else gathered across pieces (undefined until complete). #after is where reading goes on.
   */
  #int(bytes: Buffer, at: number, size: 2 | 4): number | undefined {
    if (this.#wordFill === 0 && at + size <= bytes.length) {
      this.#after = at + size;
      return size === 2 ? bytes.readInt16BE(at) : bytes.readInt32BE(at);
    }
    this.#after = this.#gather(bytes, at, size);
    if (this.#wordFill < size) return undefined;
    this.#wordFill = 0;
    return size === 2 ? this.#word.readInt16BE(0) : this.#word.readInt32BE(0);
  }

  #gather(bytes: Buffer, at: number, size: number): number {
    const take = Math.min(size - this.#wordFill, bytes.length - at);
    bytes.copy(this.#word, this.#wordFill, at, at + take);
    this.#wordFill += take;
    return at + take;
  }

  #startTuple(fields: number): void {
    if (fields === -1) {
      this.#state = 'end';
      return;
    }
    if (fields !== TUPLE_FIELDS) throw new CopyFormatError(`a tuple of ${fields} fields`);
    this.#field = 0;
    this.#chain = [null, null];
    this.#state = 'length';
  }

  /** A value is complete (`null`: SQL NULL; a string: an empty value; undefined: read as it came). */
  #endValue(value: string | null | undefined): void {
    if (this.#field === 0) {
      if (value === null) throw new CopyFormatError('a NULL line');
    } else if (value !== undefined) {
      this.#chain[this.#field - 1] = value;
    }
    this.#field += 1;
    this.#state = 'length';
    if (this.#field < TUPLE_FIELDS) return;
    this.#appendEnd();
    this.records += 1;
    const [chainSeq, hash] = this.#chain;
    if (chainSeq !== null) {
      this.lastChainSeq = chainSeq;
      this.lastHash = hash;
    }
    this.#state = 'count';
  }

  /** The block being filled, with room for at least one byte. */
  #block(): Buffer {
    if (this.#used === BLOCK_SIZE) {
      this.#blocks.push(this.pool.take());
      this.#used = 0;
    }
    return this.#blocks[this.#blocks.length - 1]!;
  }

  /** The line end, byte by byte: a Buffer.copy call per line costs more than the copying. */
  #appendEnd(): void {
    for (let index = 0; index < this.#end.length; index++) this.#block()[this.#used++] = this.#end[index]!;
  }

  #append(bytes: Buffer, from: number, to: number): void {
    while (from < to) {
      const copied = bytes.copy(this.#block(), this.#used, from, to);
      this.#used += copied;
      from += copied;
    }
  }
}
