/**
 * `encrypted_data_tlv` (BOLT 4 "Inside `encrypted_recipient_data`"): what a blinded hop reads once it
 * has decrypted its `encrypted_recipient_data`.
 *
 * | type | name | value |
 * |---|---|---|
 * | 1 | `padding` | ...*byte |
 * | 2 | `short_channel_id` | short_channel_id |
 * | 4 | `next_node_id` | point |
 * | 6 | `path_id` | ...*byte |
 * | 8 | `next_path_key_override` | point |
 * | 10 | `payment_relay` | u16 cltv_expiry_delta, u32 fee_proportional_millionths, tu32 fee_base_msat |
 * | 12 | `payment_constraints` | u32 max_cltv_expiry, tu64 htlc_minimum_msat |
 * | 14 | `allowed_features` | ...*byte |
 *
 * @example
 * ```ts
 * const tlvs = encodeEncryptedData({ next_node_id: carol, padding: new Uint8Array(5) });
 * ```
 */
import { bytes, point, shortChannelId, struct, tu32, tu64, u16, u32 } from '../fundamental.js';
import {
  type DecodedTlvs,
  type DecodeTlvOptions,
  decodeTlvStream,
  encodeTlvStream,
  type TlvRecord,
  type TlvTable,
  type TlvValues,
  tlv,
} from '../tlv.js';

/** `payment_relay`: the fees and CLTV delta a blinded hop charges. */
export type PaymentRelay = {
  cltv_expiry_delta: number;
  fee_proportional_millionths: number;
  fee_base_msat: bigint;
};

/** `payment_constraints`: limits the recipient sets to stop probing through the path. */
export type PaymentConstraints = {
  max_cltv_expiry: number;
  htlc_minimum_msat: bigint;
};

/** The `encrypted_data_tlv` table. */
// prettier-ignore
export const encryptedDataTable = {
  padding: tlv(1n, 'padding', bytes),
  short_channel_id: tlv(2n, 'short_channel_id', shortChannelId),
  next_node_id: tlv(4n, 'next_node_id', point),
  path_id: tlv(6n, 'path_id', bytes),
  next_path_key_override: tlv(8n, 'next_path_key_override', point),
  payment_relay: tlv(
    10n,
    'payment_relay',
    struct<PaymentRelay>({
      cltv_expiry_delta: u16,
      fee_proportional_millionths: u32,
      fee_base_msat: tu32,
    }),
  ),
  payment_constraints: tlv(
    12n,
    'payment_constraints',
    struct<PaymentConstraints>({
      max_cltv_expiry: u32,
      htlc_minimum_msat: tu64,
    }),
  ),
  allowed_features: tlv(14n, 'allowed_features', bytes),
} as const satisfies TlvTable;

/** The decoded values of an `encrypted_data_tlv`. */
export type EncryptedData = TlvValues<typeof encryptedDataTable>;

/**
 * Decode a decrypted `encrypted_data_tlv`. BOLT 4: "If the encrypted_recipient_data ... contains unknown
 * even fields: MUST return an error" (`TLV_UNKNOWN_EVEN_TYPE`); unknown odd ones are kept.
 */
export function decodeEncryptedData(
  plaintext: Uint8Array,
  opts: DecodeTlvOptions = {},
): DecodedTlvs<typeof encryptedDataTable> {
  return decodeTlvStream(plaintext, encryptedDataTable, { field: 'encrypted_data_tlv', ...opts });
}

/** Encode an `encrypted_data_tlv` from values plus extra (unknown odd) records. */
export function encodeEncryptedData(values: EncryptedData, extra: readonly TlvRecord[] = []): Uint8Array {
  return encodeTlvStream(encryptedDataTable, values, extra);
}

/** Feature bits of an `allowed_features` bitfield (BOLT 9 order: bit 0 is the lowest bit of the last byte). */
export function featureBits(field: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < field.length; i++) {
    const byte = field[field.length - 1 - i]!;
    for (let b = 0; b < 8; b++) if (byte & (1 << b)) out.push(i * 8 + b);
  }
  return out;
}

/** A minimal bitfield with `bits` set (the inverse of {@link featureBits}). */
export function featureField(bits: readonly number[]): Uint8Array {
  if (bits.length === 0) return new Uint8Array(0);
  const max = Math.max(...bits);
  if (!Number.isInteger(max) || Math.min(...bits) < 0)
    throw new RangeError('feature bits must be integers ≥ 0');
  const out = new Uint8Array(Math.floor(max / 8) + 1);
  for (const bit of bits) out[out.length - 1 - Math.floor(bit / 8)]! |= 1 << (bit % 8);
  return out;
}
