/**
 * BOLT 1 TLV streams: one table-driven engine for every message.
 *
 * Reading happens in two steps:
 * 1. {@link readTlvRecords} splits bytes into records and enforces the stream rules — minimal BigSize
 *    type and length, "MUST fail if ... types are not strictly-increasing" (so no duplicates), "length
 *    exceeds the number of bytes remaining" fails, nothing after the last record.
 * 2. {@link decodeTlvRecords} interprets records with a {@link TlvTable}: each known type's value is
 *    decoded by its codec, which must consume it exactly; "if type is even" and unknown → fail; unknown
 *    odd records are kept, so a re-encoding returns the same bytes.
 *
 * Tables are declared per type range (an offer's 1–79, an invoice request's 80–159, …) and merged for a
 * message that spans several ranges.
 */

import { bigSizeLength, encodeBigSize, readBigSize } from './bigsize.js';
import { Reader, Writer } from './bytes.js';
import { DecodeError } from './errors.js';
import { type Codec, decodeValue, encodeValue } from './fundamental.js';

/** One raw record. `value` is a view into the original bytes. */
export interface TlvRecord {
  readonly type: bigint;
  readonly value: Uint8Array;
}

/** A known record type: its number, its name and how its value is encoded. */
export interface TlvField<T = unknown> {
  readonly type: bigint;
  readonly name: string;
  readonly codec: Codec<T>;
}

/** Fields keyed by their names. */
export type TlvTable = Readonly<Record<string, TlvField<unknown>>>;

/** The decoded values of a table: every field optional. */
export type TlvValues<T extends TlvTable> = {
  -readonly [K in keyof T]?: T[K] extends TlvField<infer V> ? V : never;
};

/** Declare one field of a table. */
export function tlv<T>(type: bigint, name: string, codec: Codec<T>): TlvField<T> {
  return { type, name, codec };
}

/** Split a TLV stream into records, enforcing BOLT 1's stream rules. */
export function readTlvRecords(bytes: Uint8Array, field = 'tlv_stream'): TlvRecord[] {
  const r = new Reader(bytes, field);
  const out: TlvRecord[] = [];
  let last = -1n;
  while (!r.done) {
    const at = r.offset;
    const type = readBigSize(r, `${field}.type`);
    // BOLT 1: "if decoded `type`s are not strictly-increasing (including situations where two or more
    // occurrences of the same `type` are present): MUST fail to parse the `tlv_stream`."
    if (type <= last) {
      throw new DecodeError('TLV_TYPE_NOT_INCREASING', `${field}: type ${type} after ${last}`, {
        field,
        tlvType: type,
        offset: at,
      });
    }
    const length = readBigSize(r, `${field}.length`);
    if (length > BigInt(r.remaining)) {
      throw new DecodeError(
        'TLV_LENGTH_OVERFLOW',
        `${field}: type ${type} length ${length} exceeds the stream`,
        {
          field,
          tlvType: type,
          offset: at,
        },
      );
    }
    out.push({ type, value: r.take(Number(length)) });
    last = type;
  }
  return out;
}

/** Encode records, which must be in strictly increasing type order. */
export function encodeTlvRecords(records: readonly TlvRecord[]): Uint8Array {
  const w = new Writer();
  let last = -1n;
  for (const rec of records) {
    if (rec.type <= last) throw new RangeError(`TLV records out of order: ${rec.type} after ${last}`);
    w.bytes(encodeBigSize(rec.type)).bytes(encodeBigSize(rec.value.length)).bytes(rec.value);
    last = rec.type;
  }
  return w.finish();
}

/** The encoded length of one record. */
export function tlvRecordLength(rec: TlvRecord): number {
  return bigSizeLength(rec.type) + bigSizeLength(rec.value.length) + rec.value.length;
}

/** The outcome of interpreting records with a table. */
export interface DecodedTlvs<T extends TlvTable> {
  values: TlvValues<T>;
  /** Every record in stream order, known ones included (what a re-encoding writes). */
  records: TlvRecord[];
  /** Unknown odd records, kept. */
  unknown: TlvRecord[];
}

/** Options of {@link decodeTlvStream}. */
export interface DecodeTlvOptions {
  /** Unknown even types that the caller handles itself (they are kept like unknown odd ones). */
  allowUnknown?: (type: bigint) => boolean;
  field?: string;
}

/** Index a table by type number. */
export function tableByType(table: TlvTable): Map<bigint, [string, TlvField<unknown>]> {
  const m = new Map<bigint, [string, TlvField<unknown>]>();
  for (const [key, f] of Object.entries(table)) m.set(f.type, [key, f]);
  return m;
}

const indexes = new WeakMap<TlvTable, Map<bigint, [string, TlvField<unknown>]>>();
function indexOf(table: TlvTable) {
  let idx = indexes.get(table);
  if (!idx) {
    idx = tableByType(table);
    indexes.set(table, idx);
  }
  return idx;
}

/** Interpret records with a table. */
export function decodeTlvRecords<T extends TlvTable>(
  records: TlvRecord[],
  table: T,
  opts: DecodeTlvOptions = {},
): DecodedTlvs<T> {
  const idx = indexOf(table);
  const values: Record<string, unknown> = {};
  const unknown: TlvRecord[] = [];
  for (const rec of records) {
    const known = idx.get(rec.type);
    if (known) {
      const [key, f] = known;
      values[key] = decodeField(f, rec);
    } else if ((rec.type & 1n) === 0n && !opts.allowUnknown?.(rec.type)) {
      // BOLT 1: "otherwise, if `type` is even: MUST fail to parse the `tlv_stream`."
      throw new DecodeError(
        'TLV_UNKNOWN_EVEN_TYPE',
        `${opts.field ?? 'tlv_stream'}: unknown even type ${rec.type}`,
        {
          field: opts.field ?? 'tlv_stream',
          tlvType: rec.type,
        },
      );
    } else unknown.push(rec);
  }
  return { values: values as TlvValues<T>, records, unknown };
}

function decodeField(f: TlvField<unknown>, rec: TlvRecord): unknown {
  try {
    return decodeValue(f.codec, rec.value, f.name);
  } catch (e) {
    if (e instanceof DecodeError && e.tlvType === undefined) {
      throw new DecodeError(e.code, e.message, {
        field: e.field ?? f.name,
        tlvType: rec.type,
        cause: e.cause,
      });
    }
    throw e;
  }
}

/** Read and interpret a whole stream. */
export function decodeTlvStream<T extends TlvTable>(
  bytes: Uint8Array,
  table: T,
  opts: DecodeTlvOptions = {},
): DecodedTlvs<T> {
  return decodeTlvRecords(readTlvRecords(bytes, opts.field), table, opts);
}

/** Encode the values of a table as records (present fields only), in type order. */
export function encodeTlvValues<T extends TlvTable>(table: T, values: TlvValues<T>): TlvRecord[] {
  const out: TlvRecord[] = [];
  for (const [key, f] of Object.entries(table)) {
    const v = (values as Record<string, unknown>)[key];
    if (v !== undefined) out.push({ type: f.type, value: encodeValue(f.codec, v) });
  }
  return out;
}

/** Merge record lists into one stream in type order; a type present twice is an error. */
export function mergeRecords(...lists: readonly TlvRecord[][]): TlvRecord[] {
  const all = lists.flat().sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  for (let i = 1; i < all.length; i++) {
    if (all[i]!.type === all[i - 1]!.type) throw new RangeError(`TLV type ${all[i]!.type} given twice`);
  }
  return all;
}

/** Encode table values plus extra (e.g. unknown odd) records as one stream. */
export function encodeTlvStream<T extends TlvTable>(
  table: T,
  values: TlvValues<T>,
  extra: readonly TlvRecord[] = [],
): Uint8Array {
  return encodeTlvRecords(mergeRecords(encodeTlvValues(table, values), [...extra]));
}

/** Fail with `TLV_TYPE_OUT_OF_RANGE` for a record outside every inclusive `[lo, hi]` range. */
export function assertTypesInRanges(
  records: readonly TlvRecord[],
  ranges: readonly (readonly [bigint, bigint])[],
  field: string,
): void {
  for (const rec of records) {
    if (!ranges.some(([lo, hi]) => rec.type >= lo && rec.type <= hi)) {
      throw new DecodeError(
        'TLV_TYPE_OUT_OF_RANGE',
        `${field}: type ${rec.type} outside the allowed ranges`,
        {
          field,
          tlvType: rec.type,
        },
      );
    }
  }
}
