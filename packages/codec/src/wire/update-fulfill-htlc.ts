/**
 * BOLT 2 `update_fulfill_htlc` (type 130):
 *
 * ```
 * [channel_id:channel_id] [u64:id] [32*byte:payment_preimage] [update_fulfill_htlc_tlvs:tlvs]
 * ```
 *
 * Decoding only checks the framing; whether the preimage matches the HTLC's payment hash is the
 * channel's check ("MUST fail the channel if … `payment_preimage` does not SHA256-hash to the
 * corresponding HTLC `payment_hash`").
 */
import { Reader, Writer } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { fixed, u64 } from '../fundamental.js';
import { encodeTlvRecords, readTlvRecords, type TlvRecord } from '../tlv.js';
import { checkBytes, checkU64 } from './common.js';

/** The BOLT 2 message type of `update_fulfill_htlc`. */
export const UPDATE_FULFILL_HTLC_TYPE = 130;

/** A `update_fulfill_htlc` message (its fields in wire order; `tlvs` are the extension records, kept as read). */
export interface UpdateFulfillHtlc {
  channelId: Uint8Array;
  id: bigint;
  paymentPreimage: Uint8Array;
  /** TLV records (none are defined; odd ones are kept). */
  tlvs?: TlvRecord[];
}

/** Encode an `update_fulfill_htlc` including its type. */
export function encodeUpdateFulfillHtlc(m: UpdateFulfillHtlc): Uint8Array {
  const w = new Writer().u16(UPDATE_FULFILL_HTLC_TYPE);
  w.bytes(checkBytes(m.channelId, 32, 'channel_id')).u64(checkU64(m.id, 'id'));
  w.bytes(checkBytes(m.paymentPreimage, 32, 'payment_preimage'));
  return w.bytes(encodeTlvRecords(m.tlvs ?? [])).finish();
}

/** Decode an `update_fulfill_htlc` including its type. */
export function decodeUpdateFulfillHtlc(bytes: Uint8Array): UpdateFulfillHtlc {
  const r = new Reader(bytes, 'update_fulfill_htlc');
  expectType(r, UPDATE_FULFILL_HTLC_TYPE, 'update_fulfill_htlc');
  const channelId = fixed(32).read(r, 'channel_id');
  const id = u64.read(r, 'id');
  const paymentPreimage = fixed(32).read(r, 'payment_preimage');
  const tlvs = unknownOddOnly(
    readTlvRecords(r.rest(), 'update_fulfill_htlc_tlvs'),
    'update_fulfill_htlc_tlvs',
  );
  return { channelId, id, paymentPreimage, tlvs };
}

/** Read the 2-byte message type and check it. */
export function expectType(r: Reader, type: number, name: string): void {
  const got = r.u16('type');
  if (got !== type) {
    throw new DecodeError('MESSAGE_UNKNOWN_TYPE', `expected ${name} (${type}), got type ${got}`, {
      field: 'type',
    });
  }
}

/** An extension stream with no defined types: odd records are kept, an even one fails (BOLT 1). */
export function unknownOddOnly(records: TlvRecord[], field: string): TlvRecord[] {
  for (const rec of records) {
    if ((rec.type & 1n) === 0n) {
      throw new DecodeError('TLV_UNKNOWN_EVEN_TYPE', `${field}: unknown even type ${rec.type}`, {
        field,
        tlvType: rec.type,
      });
    }
  }
  return records;
}
