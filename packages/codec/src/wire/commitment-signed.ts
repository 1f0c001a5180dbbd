/**
 * BOLT 2 `commitment_signed` (type 132):
 *
 * ```
 * [channel_id:channel_id] [signature:signature] [u16:num_htlcs] [num_htlcs*signature:htlc_signature]
 * [commitment_signed_tlvs:tlvs]
 * ```
 *
 * Signatures are 64 bytes; what they sign is the channel's business (BOLT 3 transactions, or in the
 * simulated channels of `@asyncpay/ln` a digest of the commitment state).
 */
import { Reader, Writer } from '../bytes.js';
import { counted, fixed, u16 } from '../fundamental.js';
import { encodeTlvRecords, readTlvRecords, type TlvRecord } from '../tlv.js';
import { checkBytes } from './common.js';
import { expectType, unknownOddOnly } from './update-fulfill-htlc.js';

/** The BOLT 2 message type of `commitment_signed`. */
export const COMMITMENT_SIGNED_TYPE = 132;

/** A `commitment_signed` message (its fields in wire order; `tlvs` are the extension records, kept as read). */
export interface CommitmentSigned {
  channelId: Uint8Array;
  signature: Uint8Array;
  htlcSignatures: Uint8Array[];
  tlvs?: TlvRecord[];
}

const htlcSignatures = counted(u16, fixed(64));

/** Encode a `commitment_signed` including its type. */
export function encodeCommitmentSigned(m: CommitmentSigned): Uint8Array {
  const w = new Writer().u16(COMMITMENT_SIGNED_TYPE);
  w.bytes(checkBytes(m.channelId, 32, 'channel_id')).bytes(checkBytes(m.signature, 64, 'signature'));
  for (const [i, s] of m.htlcSignatures.entries()) checkBytes(s, 64, `htlc_signature[${i}]`);
  htlcSignatures.write(w, m.htlcSignatures);
  return w.bytes(encodeTlvRecords(m.tlvs ?? [])).finish();
}

/** Decode a `commitment_signed` including its type. */
export function decodeCommitmentSigned(bytes: Uint8Array): CommitmentSigned {
  const r = new Reader(bytes, 'commitment_signed');
  expectType(r, COMMITMENT_SIGNED_TYPE, 'commitment_signed');
  const channelId = fixed(32).read(r, 'channel_id');
  const signature = fixed(64).read(r, 'signature');
  const sigs = htlcSignatures.read(r, 'htlc_signature');
  const tlvs = unknownOddOnly(readTlvRecords(r.rest(), 'commitment_signed_tlvs'), 'commitment_signed_tlvs');
  return { channelId, signature, htlcSignatures: sigs, tlvs };
}
