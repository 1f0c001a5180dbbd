/**
 * `held_htlc_available` (onionmsg_tlv 72): "an HTLC destined for the recipient of this message is being
 * held upstream"; the recipient answers over the message's `reply_path` with `release_held_htlc`.
 *
 * bolts#1149: "TLV fields for `held_htlc_available`: (empty stream)". LDK: `HeldHtlcAvailable {}` written
 * with its length prefix. Encodings (htlc-async digest §1): LDK `48 01 00`; spec `48 00`.
 *
 * @example
 * ```ts
 * const rec = encodeHeldHtlcAvailable({}); // { type: 72n, value: Uint8Array [1, 0] }
 * decodeHeldHtlcAvailable(rec, 'ldk'); // {}
 * ```
 */
import { DEFAULT_PROFILE, type WireProfile } from '../profile.js';
import type { TlvRecord } from '../tlv.js';
import { decodeEmptyMessage, type EmptyAsyncMessage, encodeEmptyMessage } from './framing.js';

/** The (empty) `held_htlc_available` message; only unknown odd records can appear. */
export type HeldHtlcAvailable = EmptyAsyncMessage;

/** Encode `held_htlc_available` as its `onionmsg_tlv` record. */
export function encodeHeldHtlcAvailable(
  msg: HeldHtlcAvailable = {},
  profile: WireProfile = DEFAULT_PROFILE,
): TlvRecord {
  return encodeEmptyMessage('held_htlc_available', msg, profile);
}

/** Decode the `onionmsg_tlv` record of a `held_htlc_available`; a bare `48 00` fails in the LDK profile. */
export function decodeHeldHtlcAvailable(
  record: TlvRecord,
  profile: WireProfile = DEFAULT_PROFILE,
): HeldHtlcAvailable {
  return decodeEmptyMessage('held_htlc_available', record, profile);
}
