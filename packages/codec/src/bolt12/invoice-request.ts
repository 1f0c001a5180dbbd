/**
 * BOLT 12 invoice requests (`lnr…`): `invreq_metadata` (0), the mirrored offer fields (1–79), the
 * invoice_request fields (80–159), `signature` (240) and the experimental offer and invreq ranges.
 *
 * Three types for three states: {@link UnsignedInvoiceRequest} (built, not signed),
 * {@link ParsedInvoiceRequest} (decoded, signature not checked) and {@link VerifiedInvoiceRequest}
 * (signature checked by {@link verifyInvoiceRequest} or made by {@link signInvoiceRequest}).
 *
 * @example
 * ```ts
 * const parsed = decodeInvoiceRequest('lnr1qqyqqqq…');
 * const invreq = verifyInvoiceRequest(parsed); // throws SignatureError if forged
 * ```
 */
import { blindedPaths } from '../blinded-path.js';
import type { Reader, Writer } from '../bytes.js';
import { bytes, type Codec, chainHash, point, tu64, utf8 } from '../fundamental.js';
import { type TlvRecord, type TlvValues, tlv } from '../tlv.js';
import { encodeBolt12String } from './bech32.js';
import {
  BITCOIN_CHAIN,
  type Bolt12Message,
  buildStream,
  checkFeatures,
  checkPaths,
  decodeSigned,
  forbidden,
  hasChain,
  inputBytes,
  type ReadOptions,
  required,
  SIGNATURE_TABLE,
  type SignedMessage,
  semantic,
  signStream,
  type Verified,
  verifySigned,
} from './message.js';
import { checkOfferFields, OFFER_TABLE, type Offer, type OfferFields } from './offer.js';
import { MESSAGE_RANGES } from './ranges.js';

/** `invreq_bip_353_name`: the BIP 353 human-readable name the offer was resolved from. */
export interface Bip353Name {
  name: string;
  domain: string;
}

/** [`u8`:`len`][`len*byte`] read as a byte-per-character string (checked later). */
const u8String: Codec<string> = {
  read(r: Reader, field: string) {
    const b = r.take(r.u8(`${field}.length`), field);
    return String.fromCharCode(...b);
  },
  write(w: Writer, v: string) {
    if (v.length > 255) throw new RangeError('a BIP 353 name part is at most 255 bytes');
    w.u8(v.length).bytes(Uint8Array.from(v, (c) => c.charCodeAt(0) & 0xff));
  },
};

/** The `invreq_bip_353_name` value: name then domain, each with a u8 length. */
export const bip353Name: Codec<Bip353Name> = {
  read: (r, field) => ({
    name: u8String.read(r, `${field}.name`),
    domain: u8String.read(r, `${field}.domain`),
  }),
  write(w, v) {
    u8String.write(w, v.name);
    u8String.write(w, v.domain);
  },
};

/** The invoice_request fields of their own (type 0 and 80–159). */
// biome-ignore format: aligned table
export const INVREQ_TABLE = {
  invreqMetadata:   tlv(0n,  'invreq_metadata',     bytes),
  invreqChain:      tlv(80n, 'invreq_chain',        chainHash),
  invreqAmount:     tlv(82n, 'invreq_amount',       tu64),
  invreqFeatures:   tlv(84n, 'invreq_features',     bytes),
  invreqQuantity:   tlv(86n, 'invreq_quantity',     tu64),
  invreqPayerId:    tlv(88n, 'invreq_payer_id',     point),
  invreqPayerNote:  tlv(89n, 'invreq_payer_note',   utf8),
  invreqPaths:      tlv(90n, 'invreq_paths',        blindedPaths),
  invreqBip353Name: tlv(91n, 'invreq_bip_353_name', bip353Name),
} as const;

/** Every field of an invoice_request stream. */
export const INVOICE_REQUEST_TABLE = { ...OFFER_TABLE, ...INVREQ_TABLE, ...SIGNATURE_TABLE } as const;

/** The invoice_request fields (offer fields included), all optional as on the wire. */
export type InvoiceRequestFields = TlvValues<typeof INVOICE_REQUEST_TABLE>;

/** invoice_request feature bits this codec knows (none are defined). */
export const KNOWN_INVREQ_FEATURES: readonly number[] = [];

/** A built invoice request, not yet signed (no `signature` field). */
export type UnsignedInvoiceRequest = Bolt12Message<'invoice_request', InvoiceRequestFields>;
/** A decoded invoice request whose signature has not been checked. */
export type ParsedInvoiceRequest = SignedMessage<'invoice_request', InvoiceRequestFields>;
/** An invoice request whose signature by `invreq_payer_id` is known to be valid. */
export type VerifiedInvoiceRequest = Verified<ParsedInvoiceRequest>;

const NAME = 'invoice_request';
const BIP353_CHARS = /^[0-9a-zA-Z_.-]*$/;

/**
 * The reader requirements of "Requirements for Invoice Requests" (all but the signature). Shared with
 * invoices, which mirror the invoice request.
 */
export function checkInvoiceRequestFields(f: InvoiceRequestFields, opts: ReadOptions = {}): void {
  // "MUST reject the invoice request if `invreq_payer_id` or `invreq_metadata` are not present."
  required(f.invreqPayerId, 'invreq_payer_id');
  required(f.invreqMetadata, 'invreq_metadata');
  // "if `invreq_features` contains unknown _even_ bits that are non-zero: MUST reject".
  checkFeatures(f.invreqFeatures, KNOWN_INVREQ_FEATURES, 'invreq_features');
  // "if `num_hops` is 0 in any `blinded_path` in `invreq_paths`: MUST reject the invoice request."
  checkPaths(f.invreqPaths, 'invreq_paths');
  checkOfferFields(f, { ...opts, requireIssuer: false });
  if (f.offerIssuerId !== undefined || f.offerPaths !== undefined) checkOfferResponse(f);
  else checkWithoutOffer(f);
  checkInvreqChain(f, opts.chains);
  // "if `invreq_bip_353_name` is present: MUST reject the invoice request if `name` or `domain` contain
  // any bytes which are not `0`-`9`, `a`-`z`, `A`-`Z`, `-`, `_` or `.`."
  const hrn = f.invreqBip353Name;
  if (hrn && !(BIP353_CHARS.test(hrn.name) && BIP353_CHARS.test(hrn.domain))) {
    semantic('INVALID_FIELD', 'invreq_bip_353_name', 'only 0-9 a-z A-Z - _ . are allowed');
  }
}

/** "if `offer_issuer_id` or `offer_paths` are present (response to an offer)". */
function checkOfferResponse(f: InvoiceRequestFields): void {
  if (f.offerQuantityMax !== undefined) {
    // "MUST reject the invoice request if there is no `invreq_quantity` field."
    const q = required(f.invreqQuantity, 'invreq_quantity');
    // "if `offer_quantity_max` is non-zero: MUST reject … if `invreq_quantity` is zero, OR greater".
    if (q === 0n || (f.offerQuantityMax !== 0n && q > f.offerQuantityMax)) {
      semantic('QUANTITY_INVALID', 'invreq_quantity', `${q} outside 1..${f.offerQuantityMax || '∞'}`);
    }
  } else if (f.invreqQuantity !== undefined) {
    // "otherwise: MUST reject the invoice request if there is an `invreq_quantity` field."
    semantic('QUANTITY_INVALID', 'invreq_quantity', 'the offer has no offer_quantity_max');
  }
  if (f.offerAmount === undefined) {
    // "otherwise (no `offer_amount`): MUST reject the invoice request if it does not contain `invreq_amount`."
    required(f.invreqAmount, 'invreq_amount');
  } else if (f.invreqAmount !== undefined && f.offerCurrency === undefined) {
    // "MUST reject the invoice request if `invreq_amount`.`msat` is less than the *expected amount*."
    // With `offer_currency` the expected amount needs an exchange rate: the caller checks it.
    const expected = f.offerAmount * (f.invreqQuantity ?? 1n);
    if (f.invreqAmount < expected) {
      semantic('INVALID_AMOUNT', 'invreq_amount', `${f.invreqAmount} is less than the expected ${expected}`);
    }
  }
}

/** "otherwise (no `offer_issuer_id` or `offer_paths`, not a response to our offer)". */
function checkWithoutOffer(f: InvoiceRequestFields): void {
  // "MUST reject the invoice request if any of the following are present: `offer_chains`,
  // `offer_features` or `offer_quantity_max`."
  forbidden(f.offerChains, 'offer_chains', 'not allowed without an offer');
  forbidden(f.offerFeatures, 'offer_features', 'not allowed without an offer');
  forbidden(f.offerQuantityMax, 'offer_quantity_max', 'not allowed without an offer');
  // "MUST reject the invoice request if `invreq_amount` is not present."
  required(f.invreqAmount, 'invreq_amount');
}

/**
 * "if `invreq_chain` is not present: MUST reject … if bitcoin is not a supported chain. otherwise: MUST
 * reject … if `invreq_chain`.`chain` is not a supported chain." Stricter (the writer's rule): the chain
 * must also be one the offer names (bitcoin when `offer_chains` is absent).
 */
function checkInvreqChain(f: InvoiceRequestFields, accepted: readonly Uint8Array[] | undefined): void {
  const chain = f.invreqChain ?? BITCOIN_CHAIN;
  if (f.invreqChain !== undefined && !hasChain(f.offerChains ?? [BITCOIN_CHAIN], chain)) {
    semantic('UNSUPPORTED_CHAIN', 'invreq_chain', 'not one of the offer chains');
  }
  if (accepted !== undefined && !hasChain(accepted, chain)) {
    semantic('UNSUPPORTED_CHAIN', 'invreq_chain', 'chain not accepted');
  }
}

/**
 * Decode an invoice request (`lnr…` string or TLV bytes) and check its reader requirements. The
 * signature is present but **not checked**: pass the result to {@link verifyInvoiceRequest}.
 *
 * @throws DecodeError, SemanticError, SignatureError(`MISSING_SIGNATURE`).
 */
export function decodeInvoiceRequest(
  input: string | Uint8Array,
  opts: ReadOptions = {},
): ParsedInvoiceRequest {
  return decodeSigned(
    NAME,
    inputBytes(input, 'lnr'),
    INVOICE_REQUEST_TABLE,
    MESSAGE_RANGES.invoiceRequest,
    (f) => checkInvoiceRequestFields(f, opts),
  );
}

/**
 * "MUST reject the invoice request if `signature` is not correct as detailed in Signature Calculation
 * using the `invreq_payer_id`."
 *
 * @throws SignatureError `BAD_SIGNATURE`.
 */
export function verifyInvoiceRequest(invreq: ParsedInvoiceRequest): VerifiedInvoiceRequest {
  return verifySigned(invreq, invreq.fields.invreqPayerId!);
}

/**
 * Build an unsigned invoice request. With an `offer`, every offer record is copied byte for byte
 * ("MUST copy all fields from the offer (including unknown fields)") and `fields` adds the invreq
 * fields; without one, `fields` holds everything. Runs the reader's checks.
 *
 * @example
 * ```ts
 * const unsigned = buildInvoiceRequest(offer, { invreqMetadata, invreqPayerId: bobId, invreqAmount: 1000n });
 * const invreq = signInvoiceRequest(unsigned, bobSecret);
 * ```
 */
export function buildInvoiceRequest(
  offer: Offer | undefined,
  fields: InvoiceRequestFields,
  opts: ReadOptions & { unknown?: readonly TlvRecord[] } = {},
): UnsignedInvoiceRequest {
  if (fields.signature !== undefined) throw new RangeError('fields.signature: sign with signInvoiceRequest');
  const all: InvoiceRequestFields = offer ? { ...(offer.fields as OfferFields), ...fields } : fields;
  const unknown = [...(offer?.unknown ?? []), ...(opts.unknown ?? [])];
  const s = buildStream(INVOICE_REQUEST_TABLE, all, unknown, MESSAGE_RANGES.invoiceRequest, NAME);
  checkInvoiceRequestFields(s.values, opts);
  return { kind: NAME, bytes: s.bytes, records: s.records, unknown: s.unknown, fields: s.values };
}

/**
 * Sign with the secret key of `invreq_payer_id` (BIP-340, `auxRand` fixed for reproducible vectors).
 *
 * @throws RangeError when `secretKey` does not belong to `invreq_payer_id`.
 */
export function signInvoiceRequest(
  unsigned: UnsignedInvoiceRequest,
  secretKey: Uint8Array,
  auxRand?: Uint8Array,
): VerifiedInvoiceRequest {
  const key = { publicKey: unsigned.fields.invreqPayerId!, field: 'invreq_payer_id' };
  return signStream(unsigned, INVOICE_REQUEST_TABLE, MESSAGE_RANGES.invoiceRequest, key, secretKey, auxRand);
}

/** The `lnr…` string of an invoice request. */
export function encodeInvoiceRequest(invreq: UnsignedInvoiceRequest | ParsedInvoiceRequest): string {
  return encodeBolt12String('lnr', invreq.bytes);
}
