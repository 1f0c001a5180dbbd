/**
 * One entry point for the six async-payment onion messages: tell them apart by their `onionmsg_tlv`
 * type in a profile, decode to a tagged union, and encode a tagged union back.
 *
 * An `onionmsg_tlv` record of another type is not ours: {@link decodeAsyncMessage} returns `undefined`
 * for it, so the onion-message reader can try other content families (offers, DNS, custom).
 *
 * @example
 * ```ts
 * const msg = decodeAsyncMessage({ type: 72n, value: fromHex('0100') }); // { kind: 'held_htlc_available' }
 * encodeAsyncMessage({ kind: 'offer_paths_request', invoiceSlot: 3 }, 'spec');
 * ```
 */
import { DEFAULT_PROFILE, type WireProfile } from '../profile.js';
import type { TlvRecord } from '../tlv.js';
import { type AsyncMessageKind, asyncMessageKindOf, checkProfile, checkRecord } from './framing.js';
import {
  decodeHeldHtlcAvailable,
  encodeHeldHtlcAvailable,
  type HeldHtlcAvailable,
} from './held-htlc-available.js';
import { decodeOfferPaths, encodeOfferPaths, type OfferPaths } from './offer-paths.js';
import {
  decodeOfferPathsRequest,
  encodeOfferPathsRequest,
  type OfferPathsRequest,
} from './offer-paths-request.js';
import { decodeReleaseHeldHtlc, encodeReleaseHeldHtlc, type ReleaseHeldHtlc } from './release-held-htlc.js';
import {
  decodeServeStaticInvoice,
  encodeServeStaticInvoice,
  type ServeStaticInvoice,
} from './serve-static-invoice.js';
import {
  decodeStaticInvoicePersisted,
  encodeStaticInvoicePersisted,
  type StaticInvoicePersisted,
} from './static-invoice-persisted.js';

/** Any async-payment onion message, tagged with its kind. */
export type AsyncPaymentMessage =
  | ({ kind: 'held_htlc_available' } & HeldHtlcAvailable)
  | ({ kind: 'release_held_htlc' } & ReleaseHeldHtlc)
  | ({ kind: 'offer_paths_request' } & OfferPathsRequest)
  | ({ kind: 'offer_paths' } & OfferPaths)
  | ({ kind: 'serve_static_invoice' } & ServeStaticInvoice)
  | ({ kind: 'static_invoice_persisted' } & StaticInvoicePersisted);

/** Decode `record` as the async-payment message its type names in `profile`. */
export function decodeAsyncMessageOfKind(
  kind: AsyncMessageKind,
  record: TlvRecord,
  profile: WireProfile = DEFAULT_PROFILE,
): AsyncPaymentMessage {
  switch (kind) {
    case 'held_htlc_available':
      return { kind, ...decodeHeldHtlcAvailable(record, profile) };
    case 'release_held_htlc':
      return { kind, ...decodeReleaseHeldHtlc(record, profile) };
    case 'offer_paths_request':
      return { kind, ...decodeOfferPathsRequest(record, profile) };
    case 'offer_paths':
      return { kind, ...decodeOfferPaths(record, profile) };
    case 'serve_static_invoice':
      return { kind, ...decodeServeStaticInvoice(record, profile) };
    case 'static_invoice_persisted':
      return { kind, ...decodeStaticInvoicePersisted(record, profile) };
  }
}

/**
 * Decode an `onionmsg_tlv` content record if its type is an async-payment message in `profile`;
 * `undefined` for any other type. Errors of a recognised record propagate (typed codec errors).
 */
export function decodeAsyncMessage(
  record: TlvRecord,
  profile: WireProfile = DEFAULT_PROFILE,
): AsyncPaymentMessage | undefined {
  checkRecord(record);
  const kind = asyncMessageKindOf(record.type, checkProfile(profile));
  return kind === undefined ? undefined : decodeAsyncMessageOfKind(kind, record, profile);
}

/** Encode any async-payment message as its `onionmsg_tlv` record in `profile`. */
export function encodeAsyncMessage(
  msg: AsyncPaymentMessage,
  profile: WireProfile = DEFAULT_PROFILE,
): TlvRecord {
  const { kind, ...rest } = msg;
  switch (kind) {
    case 'held_htlc_available':
      return encodeHeldHtlcAvailable(rest, profile);
    case 'release_held_htlc':
      return encodeReleaseHeldHtlc(rest, profile);
    case 'offer_paths_request':
      return encodeOfferPathsRequest(rest as OfferPathsRequest, profile);
    case 'offer_paths':
      return encodeOfferPaths(rest as OfferPaths, profile);
    case 'serve_static_invoice':
      return encodeServeStaticInvoice(rest as ServeStaticInvoice, profile);
    case 'static_invoice_persisted':
      return encodeStaticInvoicePersisted(rest, profile);
    default:
      throw new RangeError(`unknown async-payment message kind ${String(kind)}`);
  }
}
