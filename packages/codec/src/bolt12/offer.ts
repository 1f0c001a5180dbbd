/**
 * BOLT 12 offers (`lno…`): TLV types 1–79 and the experimental offer range 1000000000–1999999999.
 * Offers are not signed; the reader requirements ("A reader of an offer … MUST NOT respond") are
 * checked by {@link decodeOffer} and {@link buildOffer} alike.
 *
 * The offer fields are mirrored into invoice requests, invoices and static invoices, so this module
 * also exports the offer table and the checks those messages share ({@link checkOfferFields}).
 */
import { type BlindedPath, blindedPaths } from '../blinded-path.js';
import { array, bytes, chainHash, point, tu64, utf8 } from '../fundamental.js';
import { type TlvRecord, type TlvValues, tlv } from '../tlv.js';
import { encodeBolt12String } from './bech32.js';
import {
  BITCOIN_CHAIN,
  type Bolt12Message,
  buildStream,
  checkExpiry,
  checkFeatures,
  checkPaths,
  hasChain,
  inputBytes,
  parseStream,
  type ReadOptions,
  semantic,
} from './message.js';
import { MESSAGE_RANGES } from './ranges.js';

/** The offer TLV fields (BOLT 12 "TLV Fields for Offers"). */
// biome-ignore format: aligned table
export const OFFER_TABLE = {
  offerChains:         tlv(2n,  'offer_chains',          array(chainHash)),
  offerMetadata:       tlv(4n,  'offer_metadata',        bytes),
  offerCurrency:       tlv(6n,  'offer_currency',        utf8),
  offerAmount:         tlv(8n,  'offer_amount',          tu64),
  offerDescription:    tlv(10n, 'offer_description',     utf8),
  offerFeatures:       tlv(12n, 'offer_features',        bytes),
  offerAbsoluteExpiry: tlv(14n, 'offer_absolute_expiry', tu64),
  offerPaths:          tlv(16n, 'offer_paths',           blindedPaths),
  offerIssuer:         tlv(18n, 'offer_issuer',          utf8),
  offerQuantityMax:    tlv(20n, 'offer_quantity_max',    tu64),
  offerIssuerId:       tlv(22n, 'offer_issuer_id',       point),
} as const;

/** The offer fields, all optional as on the wire. */
export type OfferFields = TlvValues<typeof OFFER_TABLE>;

/** Offer feature bits this codec knows: none are defined yet, so any even bit is unknown. */
export const KNOWN_OFFER_FEATURES: readonly number[] = [];

/** A parsed or built offer. Offers carry no signature. */
export type Offer = Bolt12Message<'offer', OfferFields>;

/** How strictly {@link checkOfferFields} reads the offer fields. */
export interface OfferCheck extends ReadOptions {
  /**
   * "if neither `offer_issuer_id` nor `offer_paths` are set: MUST NOT respond to the offer". True for
   * offers and static invoices; false inside invoice requests, which may carry no offer at all.
   */
  requireIssuer: boolean;
}

/**
 * The reader requirements of BOLT 12 "Requirements For Offers" on a set of offer fields.
 * Shared by offers, invoice requests, invoices and static invoices.
 *
 * @throws SemanticError `UNKNOWN_REQUIRED_FEATURE`, `UNSUPPORTED_CHAIN`, `MISSING_FIELD`,
 * `INVALID_AMOUNT`, `EMPTY_PATH` or `EXPIRED`.
 */
export function checkOfferFields(f: OfferFields, opts: OfferCheck): void {
  // "if `offer_features` contains unknown _even_ bits that are non-zero: MUST NOT respond to the offer."
  checkFeatures(f.offerFeatures, KNOWN_OFFER_FEATURES, 'offer_features');
  checkOfferChains(f.offerChains, opts.chains);
  // "if `offer_amount` is set and is not greater than zero: MUST NOT respond to the offer."
  if (f.offerAmount === 0n) semantic('INVALID_AMOUNT', 'offer_amount', 'must be greater than zero');
  // "if `offer_amount` is set and `offer_description` is not set: MUST NOT respond to the offer."
  if (f.offerAmount !== undefined && f.offerDescription === undefined) {
    semantic('MISSING_FIELD', 'offer_description', 'required when offer_amount is set');
  }
  // "if `offer_currency` is set and `offer_amount` is not set: MUST NOT respond to the offer."
  if (f.offerCurrency !== undefined && f.offerAmount === undefined) {
    semantic('MISSING_FIELD', 'offer_amount', 'required when offer_currency is set');
  }
  // "if neither `offer_issuer_id` nor `offer_paths` are set: MUST NOT respond to the offer."
  // Stricter: an `offer_paths` holding no path counts as not set.
  if (opts.requireIssuer && f.offerIssuerId === undefined && (f.offerPaths?.length ?? 0) === 0) {
    semantic('MISSING_FIELD', 'offer_issuer_id', 'an offer needs offer_issuer_id or offer_paths');
  }
  // "if `num_hops` is 0 in any `blinded_path` in `offer_paths`: MUST NOT respond to the offer."
  checkPaths(f.offerPaths, 'offer_paths');
  // "if the current time is after `offer_absolute_expiry`: MUST NOT respond to the offer."
  if (f.offerAbsoluteExpiry !== undefined)
    checkExpiry(opts.now, f.offerAbsoluteExpiry, 'offer_absolute_expiry');
}

/**
 * "if `offer_chains` is not set: if the node does not accept bitcoin invoices: MUST NOT respond …
 * otherwise … if the node does not accept invoices for at least one of the `chains`: MUST NOT respond".
 * An empty `offer_chains` names no chain at all, so it always fails.
 */
function checkOfferChains(
  chains: Uint8Array[] | undefined,
  accepted: readonly Uint8Array[] | undefined,
): void {
  if (chains !== undefined && chains.length === 0) {
    semantic('UNSUPPORTED_CHAIN', 'offer_chains', 'present but names no chain');
  }
  if (accepted === undefined) return;
  const offered = chains ?? [BITCOIN_CHAIN];
  if (!offered.some((c) => hasChain(accepted, c))) {
    semantic('UNSUPPORTED_CHAIN', 'offer_chains', 'none of the offered chains is accepted');
  }
}

/**
 * Decode an offer from its `lno…` string or its TLV bytes, and check the reader requirements.
 *
 * @throws DecodeError (string, TLV or field encoding), SemanticError (reader requirements).
 * @example
 * ```ts
 * const offer = decodeOffer('lno1pgx9getnwss8vetrw3hhyuckyypwa3eyt44h6txtxquqh7lz5djge4afgfjn7k4rgrkuag0jsd5xvxg');
 * offer.fields.offerDescription; // 'Test vectors'
 * ```
 */
export function decodeOffer(input: string | Uint8Array, opts: ReadOptions = {}): Offer {
  const s = parseStream(inputBytes(input, 'lno'), OFFER_TABLE, MESSAGE_RANGES.offer, 'offer');
  checkOfferFields(s.values, { ...opts, requireIssuer: true });
  return { kind: 'offer', bytes: s.bytes, records: s.records, unknown: s.unknown, fields: s.values };
}

/**
 * Build an offer from its fields (plus optional unknown odd records in the offer ranges), running the
 * same checks as {@link decodeOffer}.
 *
 * @example
 * ```ts
 * const offer = buildOffer({ offerDescription: 'coffee', offerAmount: 1000n, offerIssuerId: aliceId });
 * encodeOffer(offer); // 'lno1…'
 * ```
 */
export function buildOffer(
  fields: OfferFields,
  opts: ReadOptions & { unknown?: readonly TlvRecord[] } = {},
): Offer {
  const s = buildStream(OFFER_TABLE, fields, opts.unknown ?? [], MESSAGE_RANGES.offer, 'offer');
  checkOfferFields(s.values, { ...opts, requireIssuer: true });
  return { kind: 'offer', bytes: s.bytes, records: s.records, unknown: s.unknown, fields: s.values };
}

/** The `lno…` string of an offer. */
export function encodeOffer(offer: Offer): string {
  return encodeBolt12String('lno', offer.bytes);
}

/** The node an invoice for these offer fields must be signed by, when the offer names one. */
export function expectedSigningKeys(f: OfferFields): Uint8Array[] {
  if (f.offerIssuerId !== undefined) return [f.offerIssuerId];
  // "otherwise, if `offer_paths` is present: MUST set `invoice_node_id` to the final `blinded_node_id`
  // on the path it received the invoice request".
  return (f.offerPaths ?? []).flatMap((p: BlindedPath) => p.hops.slice(-1).map((h) => h.blindedNodeId));
}

/** The offer records of a stream (types 1–79 and 1000000000–1999999999), e.g. to compare offers. */
export function offerRecords(records: readonly TlvRecord[]): TlvRecord[] {
  return records.filter(
    (r) => (r.type >= 1n && r.type <= 79n) || (r.type >= 1_000_000_000n && r.type <= 1_999_999_999n),
  );
}
