/**
 * What the six async-payment onion messages share: their `onionmsg_tlv` numbers per wire profile,
 * the framing of their value, and the strict reading of their inner TLV stream.
 *
 * Framing (htlc-async digest §1, "LDK encoding quirk"):
 *
 * - `'ldk'`: LDK writes every async-payment message with `impl_ser_tlv_based!`, which puts a BigSize
 *   length before the inner TLV stream. The `onionmsg_tlv` value is `BigSize(len(inner)) ‖ inner`, so an
 *   empty `held_htlc_available` record is `48 01 00`, and a bare `48 00` fails in LDK (ShortRead).
 * - `'spec'`: bolts#1149 and the bLIP-66 draft give each message a plain `tlv_stream`; the value is the
 *   inner stream itself, so the empty record is `48 00`.
 *
 * Reading is stricter than LDK in one place: LDK silently skips bytes left in the record after the
 * length-prefixed stream (its custom-TLV reader eats the remainder); we fail with `TRAILING_BYTES`. LDK
 * never writes such bytes, so nothing it sends is refused.
 *
 * @example
 * ```ts
 * const record = frameContent('held_htlc_available', new Uint8Array(0), 'ldk'); // { type: 72n, value: 01 00 }
 * ```
 */
import { encodeBigSize, readBigSize } from '../bigsize.js';
import type { BlindedPath } from '../blinded-path.js';
import { concatBytes, Reader } from '../bytes.js';
import { DecodeError, SemanticError } from '../errors.js';
import { DEFAULT_PROFILE, type WireProfile } from '../profile.js';
import {
  type DecodedTlvs,
  decodeTlvStream,
  encodeTlvStream,
  type TlvRecord,
  type TlvTable,
  type TlvValues,
} from '../tlv.js';

/** The six async-payment onion messages, by their spec names. */
export type AsyncMessageKind =
  | 'held_htlc_available'
  | 'release_held_htlc'
  | 'offer_paths_request'
  | 'offer_paths'
  | 'serve_static_invoice'
  | 'static_invoice_persisted';

/**
 * `onionmsg_tlv` types per profile.
 *
 * - `held_htlc_available` 72 and `release_held_htlc` 74: LDK's numbers (async_payments.rs). Neither
 *   bolts#989 nor #1149 numbers them, so the spec profile uses the same two.
 * - The four static-invoice-server messages: LDK 75540..75546 (moved up by 10000 in 2025-08 after 65538
 *   collided with bLIP-32 `dnssec_proof`); the bLIP-66 draft 65540..65546.
 */
// prettier-ignore
// biome-ignore format: aligned table
export const ASYNC_MESSAGE_TYPES: Readonly<Record<AsyncMessageKind, Readonly<Record<WireProfile, bigint>>>> = {
  held_htlc_available:      { ldk: 72n,    spec: 72n },
  release_held_htlc:        { ldk: 74n,    spec: 74n },
  offer_paths_request:      { ldk: 75540n, spec: 65540n },
  offer_paths:              { ldk: 75542n, spec: 65542n },
  serve_static_invoice:     { ldk: 75544n, spec: 65544n },
  static_invoice_persisted: { ldk: 75546n, spec: 65546n },
};

/** Every kind, in a fixed order. */
export const ASYNC_MESSAGE_KINDS: readonly AsyncMessageKind[] = Object.keys(
  ASYNC_MESSAGE_TYPES,
) as AsyncMessageKind[];

/** The kind an `onionmsg_tlv` type carries in `profile`, or `undefined` for any other type. */
export function asyncMessageKindOf(
  type: bigint,
  profile: WireProfile = DEFAULT_PROFILE,
): AsyncMessageKind | undefined {
  return ASYNC_MESSAGE_KINDS.find((k) => ASYNC_MESSAGE_TYPES[k][profile] === type);
}

/** Check a profile argument at the API boundary. */
export function checkProfile(profile: unknown): WireProfile {
  if (profile !== 'ldk' && profile !== 'spec')
    throw new RangeError(`unknown wire profile ${String(profile)}`);
  return profile;
}

/** Wrap an encoded inner TLV stream as the `onionmsg_tlv` record of `kind` in `profile`. */
export function frameContent(kind: AsyncMessageKind, inner: Uint8Array, profile: WireProfile): TlvRecord {
  const type = ASYNC_MESSAGE_TYPES[kind][checkProfile(profile)];
  // LDK: `_encode_varint_length_prefixed_tlv!` writes BigSize(len) before the stream.
  const value = profile === 'ldk' ? concatBytes(encodeBigSize(inner.length), inner) : inner;
  return { type, value };
}

/**
 * Check the record's type and strip the profile's framing, returning the inner TLV stream.
 * Fails with `MESSAGE_UNKNOWN_TYPE` for another type, `UNEXPECTED_EOF` when the LDK length prefix is
 * missing or exceeds the record, `TRAILING_BYTES` when bytes follow the prefixed stream.
 */
export function unframeContent(kind: AsyncMessageKind, record: TlvRecord, profile: WireProfile): Uint8Array {
  checkRecord(record);
  const expected = ASYNC_MESSAGE_TYPES[kind][checkProfile(profile)];
  if (record.type !== expected) {
    throw new DecodeError('MESSAGE_UNKNOWN_TYPE', `${kind}: expected type ${expected}, got ${record.type}`, {
      field: kind,
      tlvType: record.type,
    });
  }
  if (profile === 'spec') return record.value;
  const r = new Reader(record.value, kind);
  // LDK `read_tlv_fields!`: "let tlv_len: BigSize = Readable::read(stream)?" — a bare `48 00` is a short read.
  const length = readBigSize(r, `${kind}.length`);
  if (length > BigInt(r.remaining)) {
    throw new DecodeError('UNEXPECTED_EOF', `${kind}: inner length ${length} exceeds the record`, {
      field: `${kind}.length`,
      tlvType: record.type,
    });
  }
  const inner = r.take(Number(length));
  r.end(kind);
  return inner;
}

/** Check a record argument at the API boundary. */
export function checkRecord(record: unknown): TlvRecord {
  const rec = record as TlvRecord | null;
  if (
    typeof rec !== 'object' ||
    rec === null ||
    typeof rec.type !== 'bigint' ||
    !(rec.value instanceof Uint8Array)
  ) {
    throw new TypeError('record must be { type: bigint, value: Uint8Array }');
  }
  return rec;
}

/**
 * Decode an inner stream with `table`: BOLT 1 stream rules, "unknown even → fail" (the record names
 * `kind`), unknown odd records kept.
 */
export function decodeInner<T extends TlvTable>(
  kind: AsyncMessageKind,
  inner: Uint8Array,
  table: T,
): DecodedTlvs<T> {
  return decodeTlvStream(inner, table, { field: kind });
}

/** Encode an inner stream (known values plus kept unknown odd records). */
export function encodeInner<T extends TlvTable>(
  table: T,
  values: TlvValues<T>,
  unknown: readonly TlvRecord[] | undefined,
): Uint8Array {
  for (const rec of unknown ?? []) {
    if ((rec.type & 1n) === 0n) throw new RangeError(`unknown record ${rec.type} must be odd`);
  }
  return encodeTlvStream(table, values, unknown ?? []);
}

/** Fail with `MISSING_FIELD` when a required inner record is absent. */
export function requireField<V>(kind: AsyncMessageKind, name: string, value: V | undefined): V {
  if (value === undefined) {
    throw new SemanticError('MISSING_FIELD', `${kind}: ${name} is required`, { field: name });
  }
  return value;
}

/** Fields every decoded async-payment message carries besides its own. */
export interface AsyncMessageBase {
  /** Unknown odd inner records, kept so a re-encoding returns the same bytes. */
  unknown?: readonly TlvRecord[];
}

/**
 * BOLT 4 reader rule for a `blinded_path`: "MUST fail if num_hops is 0" (LDK's `BlindedPath::read`
 * returns InvalidValue). Checked after parsing, as `EMPTY_PATH`; builders run the same check.
 */
export function checkPathHops(kind: AsyncMessageKind, field: string, path: BlindedPath): void {
  if (path.hops.length === 0) {
    throw new SemanticError('EMPTY_PATH', `${kind}: ${field} has no hops`, { field });
  }
}

/** The inner table of the three messages without fields. */
export const emptyTable = {} as const satisfies TlvTable;

/** An async-payment message without fields of its own. */
export interface EmptyAsyncMessage extends AsyncMessageBase {}

/** Encode one of the field-less messages (`held_htlc_available`, `release_held_htlc`, `static_invoice_persisted`). */
export function encodeEmptyMessage(
  kind: AsyncMessageKind,
  msg: EmptyAsyncMessage,
  profile: WireProfile,
): TlvRecord {
  return frameContent(kind, encodeInner(emptyTable, {}, msg.unknown), profile);
}

/** Decode one of the field-less messages: any even inner record fails, odd ones are kept. */
export function decodeEmptyMessage(
  kind: AsyncMessageKind,
  record: TlvRecord,
  profile: WireProfile,
): EmptyAsyncMessage {
  const { unknown } = decodeInner(kind, unframeContent(kind, record, profile), emptyTable);
  return unknown.length > 0 ? { unknown } : {};
}
