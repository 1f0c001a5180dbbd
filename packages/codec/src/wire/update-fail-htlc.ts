/**
 * BOLT 2 `update_fail_htlc` (type 131):
 *
 * ```
 * [channel_id:channel_id] [u64:id] [u16:len] [len*byte:reason] [update_fail_htlc_tlvs:tlvs]
 * ```
 *
 * `reason` is the obfuscated failure onion (see `onion/failure.ts`); only the origin can read it.
 */
import { Reader, Writer } from '../bytes.js';
import { fixed, u16Bytes, u64 } from '../fundamental.js';
import { encodeTlvRecords, readTlvRecords, type TlvRecord } from '../tlv.js';
import { checkBytes, checkU64 } from './common.js';
import { expectType, unknownOddOnly } from './update-fulfill-htlc.js';

/** The BOLT 2 message type of `update_fail_htlc`. */
export const UPDATE_FAIL_HTLC_TYPE = 131;

/** A `update_fail_htlc` message (its fields in wire order; `tlvs` are the extension records, kept as read). */
export interface UpdateFailHtlc {
  channelId: Uint8Array;
  id: bigint;
  reason: Uint8Array;
  tlvs?: TlvRecord[];
}

/** Encode an `update_fail_htlc` including its type. */
export function encodeUpdateFailHtlc(m: UpdateFailHtlc): Uint8Array {
  const w = new Writer().u16(UPDATE_FAIL_HTLC_TYPE);
  w.bytes(checkBytes(m.channelId, 32, 'channel_id')).u64(checkU64(m.id, 'id'));
  u16Bytes.write(w, m.reason);
  return w.bytes(encodeTlvRecords(m.tlvs ?? [])).finish();
}

/** Decode an `update_fail_htlc` including its type. */
export function decodeUpdateFailHtlc(bytes: Uint8Array): UpdateFailHtlc {
  const r = new Reader(bytes, 'update_fail_htlc');
  expectType(r, UPDATE_FAIL_HTLC_TYPE, 'update_fail_htlc');
  const channelId = fixed(32).read(r, 'channel_id');
  const id = u64.read(r, 'id');
  const reason = u16Bytes.read(r, 'reason');
  const tlvs = unknownOddOnly(readTlvRecords(r.rest(), 'update_fail_htlc_tlvs'), 'update_fail_htlc_tlvs');
  return { channelId, id, reason, tlvs };
}
