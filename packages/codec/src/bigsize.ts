/**
 * BOLT 1 BigSize: a big-endian variable-length unsigned integer of up to 64 bits.
 * "0xfd followed by 2 bytes, 0xfe followed by 4, 0xff followed by 8"; and the reader MUST fail on a
 * non-minimal encoding.
 */
import { type Reader, Writer } from './bytes.js';
import { DecodeError } from './errors.js';

const MAX = (1n << 64n) - 1n;

/** Read a BigSize; `DecodeError` `BIGSIZE_NOT_MINIMAL` or `UNEXPECTED_EOF`. */
export function readBigSize(r: Reader, field = 'bigsize'): bigint {
  const start = r.offset;
  const first = r.u8(field);
  let value: bigint;
  let min: bigint;
  if (first < 0xfd) return BigInt(first);
  if (first === 0xfd) {
    value = BigInt(r.u16(field));
    min = 0xfdn;
  } else if (first === 0xfe) {
    value = BigInt(r.u32(field));
    min = 0x10000n;
  } else {
    value = r.u64(field);
    min = 0x100000000n;
  }
  if (value < min) {
    throw new DecodeError('BIGSIZE_NOT_MINIMAL', `${field}: BigSize ${value} not minimally encoded`, {
      field,
      offset: start,
    });
  }
  return value;
}

/** Encode a BigSize (minimal by construction). */
export function encodeBigSize(value: bigint | number): Uint8Array {
  const v = BigInt(value);
  if (v < 0n || v > MAX) throw new RangeError(`BigSize out of range: ${v}`);
  const w = new Writer();
  if (v < 0xfdn) w.u8(Number(v));
  else if (v <= 0xffffn) w.u8(0xfd).u16(Number(v));
  else if (v <= 0xffffffffn) w.u8(0xfe).u32(Number(v));
  else w.u8(0xff).u64(v);
  return w.finish();
}

/** The encoded length of a BigSize. */
export function bigSizeLength(value: bigint | number): number {
  const v = BigInt(value);
  return v < 0xfdn ? 1 : v <= 0xffffn ? 3 : v <= 0xffffffffn ? 5 : 9;
}
