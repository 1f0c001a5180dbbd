/**
 * Final-hop extras of the payment onion `payload` for paying a static invoice (bolts#1149, BOLT 4):
 *
 * | field                              | spec (bolts#1149) | LDK (ln/msgs.rs)                                |
 * |------------------------------------|-------------------|-------------------------------------------------|
 * | `invoice_request` (raw invreq TLVs) | 1                | 77777 (`fe00012fd1`), "update once spec merged" |
 * | `sender_provided_payment_preimage` | 5482373484 (32 B) | 5482373484 (`keysend_preimage`, same bytes)      |
 *
 * These are tables the payment hop `payload` table merges (spread them into it); the `invoice_request`
 * value stays raw bytes for the BOLT 12 parser, exactly as LDK writes it (`WithoutLength`).
 *
 * Writer (bolts#1149): "if paying to a static BOLT 12 invoice: MUST set `sender_provided_payment_preimage`
 * to randomly generated unique bytes; MUST set `update_add_htlc.payment_hash` to match the SHA256 hash of
 * `sender_provided_payment_preimage`; MUST set `invoice_request`". Reader: "MUST use
 * `sender_provided_payment_preimage` when claiming the HTLC, if present" — {@link checkSenderPreimage}.
 *
 * @example
 * ```ts
 * const payloadTable = { ...payloadTlvs, ...paymentOnionExtras('ldk') };
 * ```
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes } from '../bytes.js';
import { SemanticError } from '../errors.js';
import { bytes, fixed } from '../fundamental.js';
import { DEFAULT_PROFILE, type WireProfile } from '../profile.js';
import { decodeTlvRecords, type TlvRecord, type TlvTable, type TlvValues, tlv } from '../tlv.js';

/** The keysend / sender-provided preimage type, the same in both profiles (bLIP-3). */
export const SENDER_PREIMAGE_TYPE = 5482373484n;

/** LDK's numbers. */
// prettier-ignore
// biome-ignore format: aligned table
export const paymentOnionExtrasLdk = {
  invoice_request:                  tlv(77777n,               'invoice_request',                  bytes),
  sender_provided_payment_preimage: tlv(SENDER_PREIMAGE_TYPE, 'sender_provided_payment_preimage', fixed(32)),
} as const satisfies TlvTable;

/** bolts#1149's numbers. */
// prettier-ignore
// biome-ignore format: aligned table
export const paymentOnionExtrasSpec = {
  invoice_request:                  tlv(1n,                   'invoice_request',                  bytes),
  sender_provided_payment_preimage: tlv(SENDER_PREIMAGE_TYPE, 'sender_provided_payment_preimage', fixed(32)),
} as const satisfies TlvTable;

/** The extras table of a profile (same keys and value types in both). */
export function paymentOnionExtras(profile: WireProfile = DEFAULT_PROFILE): typeof paymentOnionExtrasLdk {
  return profile === 'ldk' ? paymentOnionExtrasLdk : paymentOnionExtrasSpec;
}

/** Whether `type` is one of the extras in `profile` (for a payload decoder's `allowUnknown`: 5482373484 is even). */
export function isPaymentOnionExtraType(type: bigint, profile: WireProfile = DEFAULT_PROFILE): boolean {
  const t = paymentOnionExtras(profile);
  return type === t.invoice_request.type || type === t.sender_provided_payment_preimage.type;
}

/**
 * Interpret the extras among records a payload decoder kept raw (decode the payload with
 * `allowUnknown: (t) => isPaymentOnionExtraType(t, profile)`). Returns the extras' values and the
 * records that are not extras.
 */
export function decodePaymentOnionExtras(
  records: readonly TlvRecord[],
  profile: WireProfile = DEFAULT_PROFILE,
): { values: TlvValues<typeof paymentOnionExtrasLdk>; rest: TlvRecord[] } {
  const ours = records.filter((r) => isPaymentOnionExtraType(r.type, profile));
  const rest = records.filter((r) => !isPaymentOnionExtraType(r.type, profile));
  return { values: decodeTlvRecords(ours, paymentOnionExtras(profile), { field: 'payload' }).values, rest };
}

/**
 * Reader check for a static-invoice payment: both extras present, the invoice request non-empty and
 * SHA256(preimage) equal to the HTLC's `payment_hash`. Fails with `MISSING_FIELD` or `INVALID_FIELD`.
 */
export function checkSenderPreimage(
  extras: { invoice_request?: Uint8Array; sender_provided_payment_preimage?: Uint8Array },
  paymentHash: Uint8Array,
): Uint8Array {
  const preimage = extras.sender_provided_payment_preimage;
  if (preimage === undefined) {
    throw new SemanticError('MISSING_FIELD', 'sender_provided_payment_preimage is required', {
      field: 'sender_provided_payment_preimage',
    });
  }
  if (extras.invoice_request === undefined || extras.invoice_request.length === 0) {
    throw new SemanticError('MISSING_FIELD', 'invoice_request is required with a sender preimage', {
      field: 'invoice_request',
    });
  }
  if (!equalBytes(sha256(preimage), paymentHash)) {
    throw new SemanticError('INVALID_FIELD', 'SHA256(sender_provided_payment_preimage) != payment_hash', {
      field: 'sender_provided_payment_preimage',
    });
  }
  return preimage;
}
