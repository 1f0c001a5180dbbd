/**
 * BOLT 12 invoices (`lni…`) sent in reply to an invoice request: the mirrored invoice_request (types
 * 0–159 and the experimental offer and invreq ranges), the invoice fields (160–239), `signature` (240)
 * and the experimental invoice range.
 *
 * {@link decodeInvoice} parses and interprets; {@link verifyInvoice} authenticates, turning a
 * {@link ParsedInvoice} into a {@link VerifiedInvoice}. Static invoices (no `invoice_payment_hash`)
 * are a different message here: see `static-invoice.ts`.
 *
 * @example
 * ```ts
 * const invoice = verifyInvoice(decodeInvoice(bytes, { now }));
 * pay(invoice.fields.invoicePaymentHash, invoice.fields.invoiceAmount);
 * ```
 */
import { blindedPaths } from '../blinded-path.js';
import { equalBytes } from '../bytes.js';
import {
  array,
  bytes,
  type Codec,
  point,
  sha256,
  struct,
  tu32,
  tu64,
  u8,
  u16,
  u16Bytes,
  u32,
  u64,
} from '../fundamental.js';
import { type TlvRecord, type TlvValues, tlv } from '../tlv.js';
import { encodeBolt12String } from './bech32.js';
import {
  checkInvoiceRequestFields,
  INVOICE_REQUEST_TABLE,
  type InvoiceRequestFields,
} from './invoice-request.js';
import {
  type Bolt12Message,
  buildStream,
  checkExpiry,
  checkFeatures,
  checkPaths,
  decodeSigned,
  firstUnknownEvenBit,
  inputBytes,
  type ReadOptions,
  required,
  type SignedMessage,
  semantic,
  signStream,
  type Verified,
  verifySigned,
} from './message.js';
import { expectedSigningKeys, type OfferFields } from './offer.js';
import { MESSAGE_RANGES } from './ranges.js';

/** BOLT 12 `blinded_payinfo`: the aggregate fees and CLTV of one blinded payment path. */
export interface BlindedPayInfo {
  feeBaseMsat: number;
  feeProportionalMillionths: number;
  cltvExpiryDelta: number;
  htlcMinimumMsat: bigint;
  htlcMaximumMsat: bigint;
  features: Uint8Array;
}

/** The `blinded_payinfo` subtype. */
// biome-ignore format: aligned table
export const blindedPayInfo: Codec<BlindedPayInfo> = struct<BlindedPayInfo & Record<string, unknown>>({
  feeBaseMsat:               u32,
  feeProportionalMillionths: u32,
  cltvExpiryDelta:           u16,
  htlcMinimumMsat:           u64,
  htlcMaximumMsat:           u64,
  features:                  u16Bytes,
});

/** BOLT 12 `fallback_address`: a witness version and program. */
export interface FallbackAddress {
  version: number;
  address: Uint8Array;
}

/** The `fallback_address` subtype. */
export const fallbackAddress: Codec<FallbackAddress> = struct<FallbackAddress & Record<string, unknown>>({
  version: u8,
  address: u16Bytes,
});

/** The invoice fields of their own (160–239) that every invoice shares. */
// biome-ignore format: aligned table
export const INVOICE_FIELDS_TABLE = {
  invoicePaths:          tlv(160n, 'invoice_paths',           blindedPaths),
  invoiceBlindedpay:     tlv(162n, 'invoice_blindedpay',      array(blindedPayInfo)),
  invoiceCreatedAt:      tlv(164n, 'invoice_created_at',      tu64),
  invoiceRelativeExpiry: tlv(166n, 'invoice_relative_expiry', tu32),
  invoicePaymentHash:    tlv(168n, 'invoice_payment_hash',    sha256),
  invoiceAmount:         tlv(170n, 'invoice_amount',          tu64),
  invoiceFallbacks:      tlv(172n, 'invoice_fallbacks',       array(fallbackAddress)),
  invoiceFeatures:       tlv(174n, 'invoice_features',        bytes),
  invoiceNodeId:         tlv(176n, 'invoice_node_id',         point),
} as const;

/** Every field of an invoice stream. */
export const INVOICE_TABLE = { ...INVOICE_REQUEST_TABLE, ...INVOICE_FIELDS_TABLE } as const;

/** The invoice fields (invoice_request and offer fields included), all optional as on the wire. */
export type InvoiceFields = TlvValues<typeof INVOICE_TABLE>;

/** Invoice feature bits this codec knows: 16/17 MPP (BOLT 12 "Invoice Features"). */
export const KNOWN_INVOICE_FEATURES: readonly number[] = [16, 17];

/** "if the expiry for accepting payment is not 7200 seconds after `invoice_created_at`" — the default. */
export const DEFAULT_INVOICE_RELATIVE_EXPIRY = 7200n;

/** A built invoice, not yet signed. */
export type UnsignedInvoice = Bolt12Message<'invoice', InvoiceFields>;
/** A decoded invoice whose signature has not been checked. */
export type ParsedInvoice = SignedMessage<'invoice', InvoiceFields>;
/** An invoice whose signature by `invoice_node_id` is known to be valid. */
export type VerifiedInvoice = Verified<ParsedInvoice>;

const NAME = 'invoice';

/** The fields every invoice (static or not) shares, for {@link checkInvoicePaths}. */
type InvoiceCommon = TlvValues<typeof INVOICE_FIELDS_TABLE> & OfferFields;

/**
 * "MUST reject the invoice if `invoice_paths` is not present or is empty", "… if `num_hops` is 0 in any
 * `blinded_path` in `invoice_paths`", "… if `invoice_blindedpay` is not present", "… does not contain
 * exactly one `blinded_payinfo` per `invoice_paths`.`blinded_path`", and "MUST NOT use the corresponding
 * path if `payinfo`.`features` has any unknown even bits set … MUST reject the invoice if this leaves no
 * usable paths".
 */
export function checkInvoicePaths(f: InvoiceCommon): void {
  const paths = required(f.invoicePaths, 'invoice_paths');
  if (paths.length === 0) semantic('MISSING_FIELD', 'invoice_paths', 'must hold at least one path');
  checkPaths(paths, 'invoice_paths');
  const payinfo = required(f.invoiceBlindedpay, 'invoice_blindedpay');
  if (payinfo.length !== paths.length) {
    semantic('INVALID_FIELD', 'invoice_blindedpay', `${payinfo.length} payinfos for ${paths.length} paths`);
  }
  if (payinfo.every((p) => firstUnknownEvenBit(p.features, []) !== undefined)) {
    semantic('UNKNOWN_REQUIRED_FEATURE', 'invoice_blindedpay', 'no path without unknown required features');
  }
}

/**
 * `invoice_node_id` against the offer: "if `offer_issuer_id` is present … MUST reject the invoice if
 * `invoice_node_id` is not equal to `offer_issuer_id`"; "otherwise, if `offer_paths` is present … not
 * equal to the final `blinded_node_id`" (any offer path's, as the reader may not know which it used).
 */
export function checkNodeId(nodeId: Uint8Array, f: OfferFields): void {
  const keys = expectedSigningKeys(f);
  if (keys.length > 0 && !keys.some((k) => equalBytes(k, nodeId))) {
    semantic('NODE_ID_MISMATCH', 'invoice_node_id', 'not the key the offer names');
  }
}

/** The reader requirements of BOLT 12 "A reader of an invoice" (all but the signature). */
export function checkInvoiceFields(f: InvoiceFields, opts: ReadOptions = {}): void {
  checkInvoiceRequestFields(f as InvoiceRequestFields, { ...opts, now: undefined });
  // "MUST reject the invoice if `invoice_amount` … `invoice_created_at` … `invoice_payment_hash` …
  // `invoice_node_id` is not present."
  const amount = required(f.invoiceAmount, 'invoice_amount');
  const createdAt = required(f.invoiceCreatedAt, 'invoice_created_at');
  required(f.invoicePaymentHash, 'invoice_payment_hash');
  const nodeId = required(f.invoiceNodeId, 'invoice_node_id');
  // "if `invoice_features` contains unknown _even_ bits that are non-zero: MUST reject the invoice."
  checkFeatures(f.invoiceFeatures, KNOWN_INVOICE_FEATURES, 'invoice_features');
  // "MUST reject the invoice if the current time since 1970-01-01 UTC is greater than
  // `invoice_created_at` plus `seconds_from_creation`" (7200 when absent).
  const expiry = f.invoiceRelativeExpiry ?? DEFAULT_INVOICE_RELATIVE_EXPIRY;
  checkExpiry(opts.now, createdAt + expiry, 'invoice_relative_expiry');
  checkInvoicePaths(f);
  checkNodeId(nodeId, f);
  // "if `invreq_amount` is present: MUST reject the invoice if `invoice_amount` is not equal to `invreq_amount`".
  if (f.invreqAmount !== undefined && amount !== f.invreqAmount) {
    semantic('INVALID_AMOUNT', 'invoice_amount', `${amount} differs from invreq_amount ${f.invreqAmount}`);
  }
}

/**
 * Decode an invoice (`lni…` string or TLV bytes) and check its reader requirements. The signature is
 * present but **not checked**: pass the result to {@link verifyInvoice}.
 *
 * @throws DecodeError, SemanticError, SignatureError(`MISSING_SIGNATURE`).
 */
export function decodeInvoice(input: string | Uint8Array, opts: ReadOptions = {}): ParsedInvoice {
  return decodeSigned(NAME, inputBytes(input, 'lni'), INVOICE_TABLE, MESSAGE_RANGES.invoice, (f) =>
    checkInvoiceFields(f, opts),
  );
}

/**
 * "MUST reject the invoice if `signature` is not a valid signature using `invoice_node_id`".
 *
 * @throws SignatureError `BAD_SIGNATURE`.
 */
export function verifyInvoice(invoice: ParsedInvoice): VerifiedInvoice {
  return verifySigned(invoice, invoice.fields.invoiceNodeId!);
}

/**
 * Build an unsigned invoice answering `invreq`: its records (all but the signature, unknown ones
 * included) are copied ("MUST copy all non-signature fields from the invoice request") and `fields`
 * adds the invoice fields. Runs the reader's checks (with `opts.now`, the expiry too).
 */
export function buildInvoice(
  invreq: Bolt12Message<'invoice_request', InvoiceRequestFields>,
  fields: TlvValues<typeof INVOICE_FIELDS_TABLE>,
  opts: ReadOptions & { unknown?: readonly TlvRecord[] } = {},
): UnsignedInvoice {
  const { signature: _sig, ...copied } = invreq.fields;
  const all: InvoiceFields = { ...copied, ...fields };
  const unknown = [...invreq.unknown.filter((r) => r.type < 240n || r.type > 1000n), ...(opts.unknown ?? [])];
  const s = buildStream(INVOICE_TABLE, all, unknown, MESSAGE_RANGES.invoice, NAME);
  checkInvoiceFields(s.values, opts);
  return { kind: NAME, bytes: s.bytes, records: s.records, unknown: s.unknown, fields: s.values };
}

/**
 * Sign with the secret key of `invoice_node_id`.
 *
 * @throws RangeError when `secretKey` does not belong to `invoice_node_id`.
 */
export function signInvoice(
  unsigned: UnsignedInvoice,
  secretKey: Uint8Array,
  auxRand?: Uint8Array,
): VerifiedInvoice {
  const key = { publicKey: unsigned.fields.invoiceNodeId!, field: 'invoice_node_id' };
  return signStream(unsigned, INVOICE_TABLE, MESSAGE_RANGES.invoice, key, secretKey, auxRand);
}

/** The `lni…` string of an invoice. */
export function encodeInvoice(invoice: UnsignedInvoice | ParsedInvoice): string {
  return encodeBolt12String('lni', invoice.bytes);
}
