/**
 * `offer_paths_request` (LDK 75540, bLIP-66 draft 65540): an async recipient asks its static invoice
 * server for blinded paths to put in an offer.
 *
 * bLIP-66: `offer_paths_request_tlvs` = type 0 `invoice_slot` [`u16`:`slot_number`]. LDK:
 * `(0, invoice_slot, required)` — a missing slot fails to read (InvalidValue); here `MISSING_FIELD`.
 * The slot names the server's storage slot the resulting invoice replaces.
 *
 * Encodings (htlc-async digest §1), invoice_slot = 3: LDK `fe00012714 05 04 0002 0003`;
 * spec `fe00010004 04 0002 0003`.
 *
 * @example
 * ```ts
 * const rec = encodeOfferPathsRequest({ invoiceSlot: 3 });
 * decodeOfferPathsRequest(rec).invoiceSlot; // 3
 * ```
 */
import { u16 } from '../fundamental.js';
import { DEFAULT_PROFILE, type WireProfile } from '../profile.js';
import { type TlvRecord, type TlvTable, tlv } from '../tlv.js';
import {
  type AsyncMessageBase,
  decodeInner,
  encodeInner,
  frameContent,
  requireField,
  unframeContent,
} from './framing.js';

/** Inner TLV stream of `offer_paths_request`. */
// prettier-ignore
// biome-ignore format: aligned table
export const offerPathsRequestTlvs = {
  invoice_slot: tlv(0n, 'invoice_slot', u16),
} as const satisfies TlvTable;

/** A decoded `offer_paths_request`. */
export interface OfferPathsRequest extends AsyncMessageBase {
  /** The server-side slot (0..65535) the invoice built from the returned paths will occupy. */
  invoiceSlot: number;
}

function checkSlot(slot: unknown): number {
  if (typeof slot !== 'number' || !Number.isInteger(slot))
    throw new TypeError('invoiceSlot must be an integer');
  if (slot < 0 || slot > 0xffff) throw new RangeError(`invoiceSlot must be a u16, got ${slot}`);
  return slot;
}

/** Encode `offer_paths_request` as its `onionmsg_tlv` record. */
export function encodeOfferPathsRequest(
  msg: OfferPathsRequest,
  profile: WireProfile = DEFAULT_PROFILE,
): TlvRecord {
  const inner = encodeInner(offerPathsRequestTlvs, { invoice_slot: checkSlot(msg.invoiceSlot) }, msg.unknown);
  return frameContent('offer_paths_request', inner, profile);
}

/** Decode the `onionmsg_tlv` record of an `offer_paths_request`. */
export function decodeOfferPathsRequest(
  record: TlvRecord,
  profile: WireProfile = DEFAULT_PROFILE,
): OfferPathsRequest {
  const kind = 'offer_paths_request';
  const { values, unknown } = decodeInner(kind, unframeContent(kind, record, profile), offerPathsRequestTlvs);
  const out: OfferPathsRequest = { invoiceSlot: requireField(kind, 'invoice_slot', values.invoice_slot) };
  if (unknown.length > 0) out.unknown = unknown;
  return out;
}
