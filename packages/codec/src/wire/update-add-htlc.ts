/**
 * BOLT 2 `update_add_htlc` (type 128), whole, with the async-payment `hold_htlc` extension:
 *
 * ```
 * [channel_id:channel_id] [u64:id] [u64:amount_msat] [sha256:payment_hash] [u32:cltv_expiry]
 * [1366*byte:onion_routing_packet] [update_add_htlc_tlvs:tlvs]
 * ```
 *
 * `update_add_htlc_tlvs` per profile:
 *
 * | field              | spec (bolts#1149)  | LDK (ln/msgs.rs)                                  |
 * |--------------------|--------------------|---------------------------------------------------|
 * | `blinded_path`     | 0 [`point`:`path_key`] | 0, the same                                   |
 * | `hold_htlc`        | 2, empty           | 75537 (`fe00012711 00`), empty; "update the type here to match BOLTs" later |
 * | `skimmed_fee_msat` | —                  | 65537, u64 (LDK's fee-skimming extension)         |
 *
 * LDK also writes 106823 (`accountable`, experimental); it is odd and kept as an unknown record.
 * The onion packet stays 1366 raw bytes: a bad onion is answered with `update_fail_malformed_htlc`,
 * not a decode failure, so its ephemeral key is not checked here (LDK likewise stores it unparsed).
 *
 * @example
 * ```ts
 * const bytes = encodeUpdateAddHtlc({ ...htlc, holdHtlc: true }); // ends with fe00012711 00
 * decodeUpdateAddHtlc(bytes).holdHtlc; // true
 * ```
 */
import { Reader, Writer } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { fixed, point, u64 } from '../fundamental.js';
import { DEFAULT_PROFILE, type WireProfile } from '../profile.js';
import { decodeTlvStream, encodeTlvStream, type TlvRecord, type TlvTable, tlv } from '../tlv.js';
import { checkBytes, checkU32, checkU64, presence } from './common.js';

/** BOLT 2 message type of `update_add_htlc`. */
export const UPDATE_ADD_HTLC_TYPE = 128;
/** BOLT 4: version (1) ‖ public key (33) ‖ hop payloads (1300) ‖ hmac (32). */
export const ONION_PACKET_LENGTH = 1366;

/** `update_add_htlc_tlvs` as LDK writes them. */
// prettier-ignore
// biome-ignore format: aligned table
export const updateAddHtlcTlvsLdk = {
  blinded_path:     tlv(0n,     'blinded_path',     point),
  skimmed_fee_msat: tlv(65537n, 'skimmed_fee_msat', u64),
  hold_htlc:        tlv(75537n, 'hold_htlc',        presence),
} as const satisfies TlvTable;

/** `update_add_htlc_tlvs` as bolts#1149 numbers them. */
// prettier-ignore
// biome-ignore format: aligned table
export const updateAddHtlcTlvsSpec = {
  blinded_path: tlv(0n, 'blinded_path', point),
  hold_htlc:    tlv(2n, 'hold_htlc',    presence),
} as const satisfies TlvTable;

/** The `update_add_htlc_tlvs` table of a profile. */
export function updateAddHtlcTlvs(profile: WireProfile = DEFAULT_PROFILE): TlvTable {
  return profile === 'ldk' ? updateAddHtlcTlvsLdk : updateAddHtlcTlvsSpec;
}

/** The `hold_htlc` TLV type of a profile: 75537 (LDK) or 2 (spec). */
export function holdHtlcType(profile: WireProfile = DEFAULT_PROFILE): bigint {
  return updateAddHtlcTlvs(profile).hold_htlc!.type;
}

/** A decoded `update_add_htlc`. */
export interface UpdateAddHtlc {
  channelId: Uint8Array;
  /** The HTLC id (`id`), incremented by one per offer. */
  id: bigint;
  amountMsat: bigint;
  paymentHash: Uint8Array;
  cltvExpiry: number;
  /** The 1366-byte onion packet, uninterpreted. */
  onionRoutingPacket: Uint8Array;
  /** `blinded_path.path_key`, set when relaying inside a blinded route. */
  pathKey?: Uint8Array;
  /** bolts#1149: "MUST NOT forward the HTLC until a corresponding `release_held_htlc` onion message is received". */
  holdHtlc?: boolean;
  /** LDK only: the fee the previous hop skimmed (`skimmed_fee_msat`). */
  skimmedFeeMsat?: bigint;
  /** Unknown odd TLV records, kept. */
  unknown?: readonly TlvRecord[];
}

/** Encode an `update_add_htlc` including its 2-byte type. */
export function encodeUpdateAddHtlc(m: UpdateAddHtlc, profile: WireProfile = DEFAULT_PROFILE): Uint8Array {
  const w = new Writer().u16(UPDATE_ADD_HTLC_TYPE);
  w.bytes(checkBytes(m.channelId, 32, 'channelId'));
  w.u64(checkU64(m.id, 'id'));
  w.u64(checkU64(m.amountMsat, 'amountMsat'));
  w.bytes(checkBytes(m.paymentHash, 32, 'paymentHash'));
  w.u32(checkU32(m.cltvExpiry, 'cltvExpiry'));
  w.bytes(checkBytes(m.onionRoutingPacket, ONION_PACKET_LENGTH, 'onionRoutingPacket'));
  if (m.pathKey !== undefined) checkBytes(m.pathKey, 33, 'pathKey');
  if (m.skimmedFeeMsat !== undefined) {
    if (profile !== 'ldk') throw new RangeError('skimmedFeeMsat exists only in the ldk profile');
    checkU64(m.skimmedFeeMsat, 'skimmedFeeMsat');
  }
  const values: Record<string, unknown> = {
    blinded_path: m.pathKey,
    hold_htlc: m.holdHtlc ? true : undefined,
    skimmed_fee_msat: m.skimmedFeeMsat,
  };
  w.bytes(encodeTlvStream(updateAddHtlcTlvs(profile), values, m.unknown ?? []));
  return w.finish();
}

/** Decode an `update_add_htlc` including its 2-byte type. */
export function decodeUpdateAddHtlc(
  bytes: Uint8Array,
  profile: WireProfile = DEFAULT_PROFILE,
): UpdateAddHtlc {
  const r = new Reader(bytes, 'update_add_htlc');
  const type = r.u16('type');
  if (type !== UPDATE_ADD_HTLC_TYPE) {
    throw new DecodeError('MESSAGE_UNKNOWN_TYPE', `expected update_add_htlc (128), got ${type}`, {
      field: 'type',
    });
  }
  const m: UpdateAddHtlc = {
    channelId: fixed(32).read(r, 'channel_id'),
    id: r.u64('id'),
    amountMsat: r.u64('amount_msat'),
    paymentHash: fixed(32).read(r, 'payment_hash'),
    cltvExpiry: r.u32('cltv_expiry'),
    onionRoutingPacket: fixed(ONION_PACKET_LENGTH).read(r, 'onion_routing_packet'),
  };
  const { values, unknown } = decodeTlvStream(r.rest(), updateAddHtlcTlvs(profile), {
    field: 'update_add_htlc_tlvs',
  });
  const v = values as { blinded_path?: Uint8Array; hold_htlc?: true; skimmed_fee_msat?: bigint };
  if (v.blinded_path !== undefined) m.pathKey = v.blinded_path;
  if (v.hold_htlc) m.holdHtlc = true;
  if (v.skimmed_fee_msat !== undefined) m.skimmedFeeMsat = v.skimmed_fee_msat;
  if (unknown.length > 0) m.unknown = unknown;
  return m;
}
