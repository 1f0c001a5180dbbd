/**
 * `static_invoice_persisted` (LDK 75546, bLIP-66 draft 65546): the static invoice server confirms that
 * it stored the invoice of a `serve_static_invoice`, so the recipient may hand out the offer.
 *
 * No fields. LDK `fe0001271a 01 00`; spec `fe0001000a 00` (bLIP-66 lists no `tlv_stream` for it; we read
 * it as an empty one, so unknown odd records are kept and even ones fail).
 *
 * @example
 * ```ts
 * encodeStaticInvoicePersisted(); // { type: 75546n, value: Uint8Array [1, 0] }
 * ```
 */
import { DEFAULT_PROFILE, type WireProfile } from '../profile.js';
import type { TlvRecord } from '../tlv.js';
import { decodeEmptyMessage, type EmptyAsyncMessage, encodeEmptyMessage } from './framing.js';

/** The (empty) `static_invoice_persisted` message; only unknown odd records can appear. */
export type StaticInvoicePersisted = EmptyAsyncMessage;

/** Encode `static_invoice_persisted` as its `onionmsg_tlv` record. */
export function encodeStaticInvoicePersisted(
  msg: StaticInvoicePersisted = {},
  profile: WireProfile = DEFAULT_PROFILE,
): TlvRecord {
  return encodeEmptyMessage('static_invoice_persisted', msg, profile);
}

/** Decode the `onionmsg_tlv` record of a `static_invoice_persisted`. */
export function decodeStaticInvoicePersisted(
  record: TlvRecord,
  profile: WireProfile = DEFAULT_PROFILE,
): StaticInvoicePersisted {
  return decodeEmptyMessage('static_invoice_persisted', record, profile);
}
