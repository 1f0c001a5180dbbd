/**
 * BOLT 1 fundamental types as codecs over a {@link Reader}/{@link Writer}.
 *
 * A {@link Codec} reads a value from a cursor and writes one back. Inside a TLV record a codec reads
 * until the record's end (`tu64`, `bytes`, `utf8`, `array`); {@link decodeValue} then checks that no
 * byte is left over.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { encodeBigSize, readBigSize } from './bigsize.js';
import { Reader, Writer } from './bytes.js';
import { DecodeError } from './errors.js';

/** Reads and writes one value. `field` names it in errors. */
export interface Codec<T> {
  read(r: Reader, field: string): T;
  write(w: Writer, value: T): void;
}

/** Decode a whole byte array with `codec`; fails with `TRAILING_BYTES` if bytes are left. */
export function decodeValue<T>(codec: Codec<T>, bytes: Uint8Array, field: string): T {
  const r = new Reader(bytes, field);
  const value = codec.read(r, field);
  r.end(field);
  return value;
}

/** Encode one value with `codec`. */
export function encodeValue<T>(codec: Codec<T>, value: T): Uint8Array {
  const w = new Writer();
  codec.write(w, value);
  return w.finish();
}

/** BOLT 1 `byte`: one unsigned byte. */
export const u8: Codec<number> = { read: (r, f) => r.u8(f), write: (w, v) => void w.u8(v) };
/** BOLT 1 `u16`: big-endian, 2 bytes. */
export const u16: Codec<number> = { read: (r, f) => r.u16(f), write: (w, v) => void w.u16(v) };
/** BOLT 1 `u32`: big-endian, 4 bytes. */
export const u32: Codec<number> = { read: (r, f) => r.u32(f), write: (w, v) => void w.u32(v) };
/**
 * BOLT 1 `u64`: big-endian, 8 bytes, as a bigint.
 *
 * @example
 * encodeValue(u64, 1n); // 00 00 00 00 00 00 00 01
 */
export const u64: Codec<bigint> = { read: (r, f) => r.u64(f), write: (w, v) => void w.u64(v) };

/** BigSize as a value. */
export const bigsize: Codec<bigint> = {
  read: (r, f) => readBigSize(r, f),
  write: (w, v) => void w.bytes(encodeBigSize(v)),
};

/**
 * Truncated unsigned integer of at most `max` bytes, reading to the end of the record.
 * BOLT 1: "the value ... MUST be encoded with the minimum number of bytes" (no leading zero byte).
 */
function truncated(max: number): Codec<bigint> {
  return {
    read(r, field) {
      const b = r.rest();
      if (b.length > max) {
        throw new DecodeError('INT_TOO_LONG', `${field}: ${b.length} bytes for a tu${max * 8}`, { field });
      }
      if (b.length > 0 && b[0] === 0) {
        throw new DecodeError('TRUNCATED_INT_NOT_MINIMAL', `${field}: leading zero byte`, { field });
      }
      let v = 0n;
      for (const byte of b) v = (v << 8n) | BigInt(byte);
      return v;
    },
    write(w, v) {
      if (v < 0n || v >= 1n << BigInt(8 * max)) throw new RangeError(`tu${max * 8} out of range: ${v}`);
      const out: number[] = [];
      for (let x = v; x > 0n; x >>= 8n) out.unshift(Number(x & 0xffn));
      w.bytes(Uint8Array.from(out));
    },
  };
}

/** BOLT 1 `tu16`: a u16 without leading zero bytes (0 to 2 bytes); non-minimal is refused. */
export const tu16: Codec<bigint> = truncated(2);
/** BOLT 1 `tu32`: a u32 without leading zero bytes (0 to 4 bytes); non-minimal is refused. */
export const tu32: Codec<bigint> = truncated(4);
/**
 * BOLT 1 `tu64`: a u64 without leading zero bytes (0 to 8 bytes); non-minimal is refused.
 *
 * @example
 * encodeValue(tu64, 256n); // 01 00
 */
export const tu64: Codec<bigint> = truncated(8);

/** Two's-complement signed integer of `size` bytes (BOLT 1 s8, s16, s32, s64). */
export function signed(size: 1 | 2 | 4 | 8): Codec<bigint> {
  const bits = BigInt(size * 8);
  return {
    read(r, field) {
      const b = r.take(size, field);
      let v = 0n;
      for (const byte of b) v = (v << 8n) | BigInt(byte);
      return BigInt.asIntN(Number(bits), v);
    },
    write(w, v) {
      if (v !== BigInt.asIntN(Number(bits), v)) throw new RangeError(`s${bits} out of range: ${v}`);
      let u = BigInt.asUintN(Number(bits), v);
      const out = new Uint8Array(size);
      for (let i = size - 1; i >= 0; i--, u >>= 8n) out[i] = Number(u & 0xffn);
      w.bytes(out);
    },
  };
}

/** Exactly `n` bytes. */
export function fixed(n: number): Codec<Uint8Array> {
  return { read: (r, f) => r.take(n, f).slice(), write: (w, v) => void w.bytes(checkLength(v, n)) };
}

function checkLength(v: Uint8Array, n: number): Uint8Array {
  if (v.length !== n) throw new RangeError(`expected ${n} bytes, got ${v.length}`);
  return v;
}

/** All remaining bytes of the record. */
export const bytes: Codec<Uint8Array> = { read: (r) => r.rest().slice(), write: (w, v) => void w.bytes(v) };

/** A 32-byte SHA-256 hash (BOLT 1 `sha256`). */
export const sha256: Codec<Uint8Array> = fixed(32);
/** A 32-byte genesis block hash naming a chain (BOLT 1 `chain_hash`). */
export const chainHash: Codec<Uint8Array> = fixed(32);

/** A 33-byte compressed secp256k1 point, checked to lie on the curve. */
export const point: Codec<Uint8Array> = {
  read(r, field) {
    const b = r.take(33, field);
    assertPoint(b, field);
    return b.slice();
  },
  write(w, v) {
    w.bytes(checkLength(v, 33));
  },
};

/** Fails with `INVALID_POINT` unless `b` is a valid compressed point. */
export function assertPoint(b: Uint8Array, field: string): void {
  try {
    if (b.length !== 33 || (b[0] !== 2 && b[0] !== 3)) throw new Error('not a compressed point');
    secp256k1.Point.fromBytes(b);
  } catch (cause) {
    throw new DecodeError('INVALID_POINT', `${field} is not a valid point`, { field, cause });
  }
}

/** A BOLT 7 short_channel_id: 3 bytes block, 3 bytes index, 2 bytes output. */
export interface ShortChannelId {
  block: number;
  txIndex: number;
  output: number;
}

/**
 * A BOLT 7 `short_channel_id` (8 bytes).
 *
 * @example
 * encodeValue(shortChannelId, { block: 1, txIndex: 2, output: 3 }); // 000001 000002 0003
 */
export const shortChannelId: Codec<ShortChannelId> = {
  read(r, field) {
    const b = r.take(8, field);
    return {
      block: (b[0]! << 16) | (b[1]! << 8) | b[2]!,
      txIndex: (b[3]! << 16) | (b[4]! << 8) | b[5]!,
      output: (b[6]! << 8) | b[7]!,
    };
  },
  write(w, v) {
    w.bytes(
      Uint8Array.of(
        v.block >> 16,
        v.block >> 8,
        v.block,
        v.txIndex >> 16,
        v.txIndex >> 8,
        v.txIndex,
        v.output >> 8,
        v.output,
      ),
    );
  },
};

/** `BLOCKxTXxOUT`, the BOLT 7 human form. */
export function formatShortChannelId(s: ShortChannelId): string {
  return `${s.block}x${s.txIndex}x${s.output}`;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text to the end of the record; invalid UTF-8 fails with `INVALID_UTF8`. */
export const utf8: Codec<string> = {
  read(r, field) {
    try {
      return utf8Decoder.decode(r.rest());
    } catch (cause) {
      throw new DecodeError('INVALID_UTF8', `${field} is not valid UTF-8`, { field, cause });
    }
  },
  write(w, v) {
    w.bytes(new TextEncoder().encode(v));
  },
};

/** Elements of `codec` until the end of the record. */
export function array<T>(codec: Codec<T>): Codec<T[]> {
  return {
    read(r, field) {
      const out: T[] = [];
      while (!r.done) out.push(codec.read(r, field));
      return out;
    },
    write(w, v) {
      for (const x of v) codec.write(w, x);
    },
  };
}

/** A BigSize used as a count or length (fails with `INT_TOO_LONG` beyond 2^32). */
export const bigsizeCount: Codec<number> = {
  read(r, field) {
    const v = readBigSize(r, field);
    if (v > 0xffffffffn) throw new DecodeError('INT_TOO_LONG', `${field}: count ${v} too large`, { field });
    return Number(v);
  },
  write: (w, v) => void w.bytes(encodeBigSize(v)),
};

/** `count` elements of `codec`, the count read first with `countCodec` (u8, u16 or bigsizeCount). */
export function counted<T>(countCodec: Codec<number>, codec: Codec<T>): Codec<T[]> {
  return {
    read(r, field) {
      const n = countCodec.read(r, `${field}.count`);
      // Every element takes at least one byte: a larger count is a truncation, refused before allocating.
      if (n > r.remaining) {
        throw new DecodeError('UNEXPECTED_EOF', `${field}: count ${n} exceeds the input`, { field });
      }
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(codec.read(r, field));
      return out;
    },
    write(w, v) {
      countCodec.write(w, v.length);
      for (const x of v) codec.write(w, x);
    },
  };
}

/** A length-prefixed byte string (u16 length, as BOLT 4 and BOLT 12 use for blinded-path data). */
export const u16Bytes: Codec<Uint8Array> = {
  read(r, field) {
    return r.take(r.u16(`${field}.length`), field).slice();
  },
  write(w, v) {
    if (v.length > 0xffff) throw new RangeError('u16-prefixed bytes longer than 65535');
    w.u16(v.length).bytes(v);
  },
};

/** A fixed sequence of named codecs, read and written in declaration order. */
export function struct<T extends Record<string, unknown>>(fields: { [K in keyof T]: Codec<T[K]> }): Codec<T> {
  const entries = Object.entries(fields) as [keyof T & string, Codec<unknown>][];
  return {
    read(r, field) {
      const out: Record<string, unknown> = {};
      for (const [k, c] of entries) out[k] = c.read(r, `${field}.${k}`);
      return out as T;
    },
    write(w, v) {
      for (const [k, c] of entries) c.write(w, v[k]);
    },
  };
}
