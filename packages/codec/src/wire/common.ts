/**
 * Small codecs shared by the BOLT 2 messages in this folder.
 */
import type { Codec } from '../fundamental.js';

/** A TLV record whose presence is the information (`hold_htlc`): no value bytes. */
export const presence: Codec<true> = {
  read: () => true,
  write: () => {},
};

/** Check a fixed-length byte field of a message at the API boundary. */
export function checkBytes(value: unknown, length: number, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${field} must be a Uint8Array`);
  if (value.length !== length) throw new RangeError(`${field} must be ${length} bytes, got ${value.length}`);
  return value;
}

/** Check an unsigned integer field given as a bigint. */
export function checkU64(value: unknown, field: string): bigint {
  if (typeof value !== 'bigint') throw new TypeError(`${field} must be a bigint`);
  if (value < 0n || value >= 1n << 64n) throw new RangeError(`${field} must be a u64`);
  return value;
}

/** Check a u32 given as a number. */
export function checkU32(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new TypeError(`${field} must be an integer`);
  if (value < 0 || value > 0xffffffff) throw new RangeError(`${field} must be a u32`);
  return value;
}
