/**
 * Byte helpers and the input checks every API boundary of this package uses.
 *
 * The checks follow noble's convention: a value of the wrong JavaScript type is a `TypeError`,
 * a value of the wrong length or range is a `RangeError`, and the message names the field.
 * Inputs of the right shape that are not valid cryptographic objects raise a
 * {@link CryptoError} instead (see `errors.ts`).
 *
 * @example
 * ```ts
 * abytes(message, 32, 'message'); // TypeError if not a Uint8Array, RangeError if not 32 bytes
 * ```
 * @module
 */
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export { bytesToHex, concatBytes, hexToBytes, utf8ToBytes };

/**
 * Checks that `value` is a `Uint8Array`, and of exactly `length` bytes when a length is given.
 * Returns the value so checks compose: `const m = abytes(input, 32, 'message')`.
 *
 * @throws TypeError when `value` is not a `Uint8Array`; RangeError on a length mismatch.
 */
export function abytes(value: unknown, length: number | undefined, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${field} must be a Uint8Array, got ${describe(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${field} must be ${length} bytes, got ${value.length}`);
  }
  return value;
}

/**
 * Checks that `value` is a bigint in `[0, max)`.
 *
 * @throws TypeError when `value` is not a bigint; RangeError when out of range.
 */
export function abigint(value: unknown, max: bigint, field: string): bigint {
  if (typeof value !== 'bigint') throw new TypeError(`${field} must be a bigint, got ${describe(value)}`);
  if (value < 0n || value >= max) throw new RangeError(`${field} must be in [0, ${max}), got ${value}`);
  return value;
}

/**
 * Checks that `value` is a boolean.
 *
 * @throws TypeError when it is not.
 */
export function abool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${field} must be a boolean, got ${describe(value)}`);
  return value;
}

/**
 * Checks that `value` is a string.
 *
 * @throws TypeError when it is not.
 */
export function astring(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new TypeError(`${field} must be a string, got ${describe(value)}`);
  return value;
}

/** Constant-length byte equality (not constant-time: use only on public values). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** `n` as 8 big-endian bytes; `n` must be in `[0, 2^64)`. */
export function u64ToBytes(n: bigint, field = 'value'): Uint8Array {
  abigint(n, 1n << 64n, field);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n, false);
  return out;
}

/** The big-endian integer in 8 bytes. */
export function bytesToU64(bytes: Uint8Array): bigint {
  abytes(bytes, 8, 'u64');
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, false);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
