/**
 * Byte helpers and the cursor every decoder reads with. Reading past the end throws
 * `DecodeError('UNEXPECTED_EOF')`; no decoder allocates more than the input holds.
 */
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { DecodeError } from './errors.js';

export { bytesToHex, concatBytes };

/** Parse lowercase or uppercase hex; a `DecodeError('INVALID_HEX')` on anything else. */
export function fromHex(hex: string, field = 'hex'): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new DecodeError('INVALID_HEX', `${field} is not an even-length hex string`, { field });
  }
  return hexToBytes(hex.toLowerCase());
}

/** Lowercase hex of `bytes`, e.g. `toHex(Uint8Array.of(0xab, 1))` is `"ab01"`. */
export const toHex = bytesToHex;

/** Constant-time-enough equality for our purposes (lengths are public). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Check a byte-array argument at an API boundary: TypeError for a wrong type, RangeError for a wrong length. */
export function abytes(value: unknown, length: number | undefined, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${field} must be a Uint8Array`);
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${field} must be ${length} bytes, got ${value.length}`);
  }
  return value;
}

/** A forward-only reader over a byte array. */
export class Reader {
  private pos = 0;
  constructor(
    readonly bytes: Uint8Array,
    /** Names what is being read, for error messages. */
    readonly field = 'input',
  ) {}

  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.bytes.length - this.pos;
  }
  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** Take exactly `n` bytes (a view, not a copy). */
  take(n: number, field = this.field): Uint8Array {
    if (n > this.remaining) {
      throw new DecodeError('UNEXPECTED_EOF', `${field}: needs ${n} bytes, ${this.remaining} left`, {
        field,
        offset: this.pos,
      });
    }
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Everything left. */
  rest(): Uint8Array {
    return this.take(this.remaining);
  }

  u8(field = this.field): number {
    return this.take(1, field)[0]!;
  }
  u16(field = this.field): number {
    const b = this.take(2, field);
    return (b[0]! << 8) | b[1]!;
  }
  u32(field = this.field): number {
    const b = this.take(4, field);
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }
  u64(field = this.field): bigint {
    const b = this.take(8, field);
    return (
      (BigInt(((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) << 32n) |
      BigInt(((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0)
    );
  }

  /** Fail with `TRAILING_BYTES` unless everything was read. */
  end(field = this.field): void {
    if (!this.done) {
      throw new DecodeError('TRAILING_BYTES', `${field}: ${this.remaining} unread bytes`, {
        field,
        offset: this.pos,
      });
    }
  }
}

/** An append-only writer. */
export class Writer {
  private chunks: Uint8Array[] = [];
  private len = 0;

  bytes(b: Uint8Array): this {
    this.chunks.push(b);
    this.len += b.length;
    return this;
  }
  u8(n: number): this {
    return this.bytes(Uint8Array.of(n & 0xff));
  }
  u16(n: number): this {
    return this.bytes(Uint8Array.of((n >>> 8) & 0xff, n & 0xff));
  }
  u32(n: number): this {
    return this.bytes(Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff));
  }
  u64(n: bigint): this {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, n));
    return this.bytes(out);
  }
  get length(): number {
    return this.len;
  }
  finish(): Uint8Array {
    return concatBytes(...this.chunks);
  }
}
