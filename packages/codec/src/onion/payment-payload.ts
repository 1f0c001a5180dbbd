/**
 * The payment onion's per-hop `payload` TLV stream (BOLT 4 "`payload` format"):
 *
 * | type | name | value |
 * |---|---|---|
 * | 2 | `amt_to_forward` | tu64 |
 * | 4 | `outgoing_cltv_value` | tu32 |
 * | 6 | `short_channel_id` | short_channel_id |
 * | 8 | `payment_data` | 32*byte payment_secret, tu64 total_msat |
 * | 10 | `encrypted_recipient_data` | ...*byte |
 * | 12 | `current_path_key` | point |
 * | 16 | `payment_metadata` | ...*byte |
 * | 18 | `total_amount_msat` | tu64 |
 *
 * Unknown odd records are kept (the async-payment records 77777 and 5482373484 are interpreted in
 * `wire/`). Unknown even records fail with `TLV_UNKNOWN_EVEN_TYPE` unless the caller allows them.
 *
 * @example
 * ```ts
 * const bytes = encodePaymentPayload({ amt_to_forward: 1000n, outgoing_cltv_value: 800n });
 * const { values } = decodePaymentPayload(bytes);
 * ```
 */
import { bytes, fixed, point, shortChannelId, struct, tu32, tu64 } from '../fundamental.js';
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

/** `payment_data`: the payment secret and the total amount of a multi-part payment. */
export type PaymentData = {
  payment_secret: Uint8Array;
  total_msat: bigint;
};

/** The `payload` table. */
// prettier-ignore
export const paymentPayloadTable = {
  amt_to_forward: tlv(2n, 'amt_to_forward', tu64),
  outgoing_cltv_value: tlv(4n, 'outgoing_cltv_value', tu32),
  short_channel_id: tlv(6n, 'short_channel_id', shortChannelId),
  payment_data: tlv(8n, 'payment_data', struct<PaymentData>({ payment_secret: fixed(32), total_msat: tu64 })),
  encrypted_recipient_data: tlv(10n, 'encrypted_recipient_data', bytes),
  current_path_key: tlv(12n, 'current_path_key', point),
  payment_metadata: tlv(16n, 'payment_metadata', bytes),
  total_amount_msat: tlv(18n, 'total_amount_msat', tu64),
} as const satisfies TlvTable;

/** The decoded values of a `payload`. */
export type PaymentPayload = TlvValues<typeof paymentPayloadTable>;

/** Decode a hop's `payload` (the bytes after the onion's BigSize length). */
export function decodePaymentPayload(
  payload: Uint8Array,
  opts: DecodeTlvOptions = {},
): DecodedTlvs<typeof paymentPayloadTable> {
  return decodeTlvStream(payload, paymentPayloadTable, { field: 'payload', ...opts });
}

/** Encode a `payload` from values plus extra records (unknown odd, or the async-payment ones). */
export function encodePaymentPayload(values: PaymentPayload, extra: readonly TlvRecord[] = []): Uint8Array {
  return encodeTlvStream(paymentPayloadTable, values, extra);
}
