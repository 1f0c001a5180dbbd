/**
 * `release_held_htlc` (onionmsg_tlv 74): sent by the recipient over the `reply_path` of a
 * `held_htlc_available`, telling the holder to forward the HTLC.
 *
 * bolts#1149: an empty stream (#989 had inner type 0 `payment_release_secret`; LDK removed it in 2024-09
 * because the blinded reply path already authenticates the release). LDK `4a 01 00`; spec `4a 00`.
 *
 * @example
 * ```ts
 * encodeReleaseHeldHtlc({}, 'spec'); // { type: 74n, value: Uint8Array [] }
 * ```
 */
import { DEFAULT_PROFILE, type WireProfile } from '../profile.js';
import type { TlvRecord } from '../tlv.js';
import { decodeEmptyMessage, type EmptyAsyncMessage, encodeEmptyMessage } from './framing.js';

/** The (empty) `release_held_htlc` message; only unknown odd records can appear. */
export type ReleaseHeldHtlc = EmptyAsyncMessage;

/** Encode `release_held_htlc` as its `onionmsg_tlv` record. */
export function encodeReleaseHeldHtlc(
  msg: ReleaseHeldHtlc = {},
  profile: WireProfile = DEFAULT_PROFILE,
): TlvRecord {
  return encodeEmptyMessage('release_held_htlc', msg, profile);
}

/** Decode the `onionmsg_tlv` record of a `release_held_htlc`. */
export function decodeReleaseHeldHtlc(
  record: TlvRecord,
  profile: WireProfile = DEFAULT_PROFILE,
): ReleaseHeldHtlc {
  return decodeEmptyMessage('release_held_htlc', record, profile);
}
