/**
 * Static invoices (bolts#1149, LDK 0.2 `offers/static_invoice.rs`): an invoice the recipient signs
 * ahead of time and leaves with an always-online node, which returns it to payers while the recipient
 * is offline. It has no payment hash; the payer picks the preimage and pays asynchronously through the
 * `held_htlc_available` onion message.
 *
 * Layout: the offer records (1–79, experimental 1000000000–1999999999) copied byte for byte, the invoice
 * range (160–239), `signature` (240) and the experimental invoice range. No invoice_request field: a
 * record in 0 or 80–159 (or 2000000000–2999999999) fails the parse with `TLV_TYPE_OUT_OF_RANGE`, as in
 * LDK, whose static-invoice stream has no invoice_request range.
 *
 * The paths for `held_htlc_available` depend on the {@link WireProfile}:
 *
 * | profile | type | name                           | reader                | writer                     |
 * |---------|------|--------------------------------|-----------------------|----------------------------|
 * | `ldk`   | 236  | `held_htlc_available_paths`    | required, ≥1 path     | ≥1 path (LDK's builder)    |
 * | `spec`  | 178  | `static_invoice_message_paths` | required, ≥1 path     | ≥2 paths (bolts#1149)      |
 *
 * bolts#1149 reader: "if `invoice_payment_hash` is unset: MUST reject the invoice if
 * `static_invoice_message_paths` is not present or is empty"; writer: "MUST include
 * `static_invoice_message_paths` containing at least two paths to the recipient". LDK's parser only
 * requires the field; an empty list is refused here in both profiles (stricter than LDK's parser, as
 * LDK's builder never writes one).
 *
 * @example
 * ```ts
 * const unsigned = buildStaticInvoice(offer, { invoicePaths, invoiceBlindedpay, invoiceCreatedAt: now,
 *   invoiceNodeId: aliceId, heldHtlcAvailablePaths: [path] });
 * const invoice = signStaticInvoice(unsigned, aliceSecret);
 * verifyStaticInvoice(decodeStaticInvoice(invoice.bytes, { now }));
 * ```
 */
import { type BlindedPath, blindedPaths } from '../blinded-path.js';
import { DEFAULT_PROFILE, type WireProfile } from '../profile.js';
import { type TlvField, type TlvRecord, type TlvValues, tlv } from '../tlv.js';
import { encodeBolt12String } from './bech32.js';
import { checkInvoicePaths, checkNodeId, INVOICE_FIELDS_TABLE, KNOWN_INVOICE_FEATURES } from './invoice.js';
import {
  type Bolt12Message,
  buildStream,
  checkExpiry,
  checkFeatures,
  checkPaths,
  decodeSigned,
  forbidden,
  inputBytes,
  markVerified,
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

/** The `held_htlc_available` paths field per profile. */
// biome-ignore format: aligned table
export const HELD_HTLC_PATHS_FIELD: Record<WireProfile, TlvField<BlindedPath[]>> = {
  ldk:  tlv(236n, 'held_htlc_available_paths',    blindedPaths),
  spec: tlv(178n, 'static_invoice_message_paths', blindedPaths),
};

/** The fewest `held_htlc_available` paths a writer puts in, per profile (the reader needs one). */
export const MIN_WRITER_HELD_HTLC_PATHS: Record<WireProfile, number> = { ldk: 1, spec: 2 };

function tableFor(profile: WireProfile) {
  return {
    ...OFFER_TABLE,
    ...INVOICE_FIELDS_TABLE,
    heldHtlcAvailablePaths: HELD_HTLC_PATHS_FIELD[profile],
    ...SIGNATURE_TABLE,
  } as const;
}

/** The static-invoice table of each profile. */
export const STATIC_INVOICE_TABLES = { ldk: tableFor('ldk'), spec: tableFor('spec') } as const;

/** The static-invoice fields, all optional as on the wire (the same keys in both profiles). */
export type StaticInvoiceFields = TlvValues<ReturnType<typeof tableFor>>;

/** "if the expiry … is not 2 weeks after `invoice_created_at`: MUST set `invoice_relative_expiry`". */
export const DEFAULT_STATIC_INVOICE_RELATIVE_EXPIRY = 1_209_600n;

/** Options of the static-invoice reader and builder. */
export interface StaticInvoiceOptions extends ReadOptions {
  /** Which wire numbers to speak (default `'ldk'`: the paths field is 236). */
  profile?: WireProfile;
}

interface WithProfile {
  /** The profile the message was read or built with. */
  readonly profile: WireProfile;
}

/** A built static invoice, not yet signed. */
export type UnsignedStaticInvoice = Bolt12Message<'static_invoice', StaticInvoiceFields> & WithProfile;
/** A decoded static invoice whose signature has not been checked. */
export type ParsedStaticInvoice = SignedMessage<'static_invoice', StaticInvoiceFields> & WithProfile;
/** A static invoice whose signature by `invoice_node_id` is known to be valid. */
export type VerifiedStaticInvoice = Verified<ParsedStaticInvoice>;

const NAME = 'static_invoice';

/** The reader requirements of a static invoice (all but the signature). */
export function checkStaticInvoiceFields(f: StaticInvoiceFields, opts: StaticInvoiceOptions = {}): void {
  const profile = opts.profile ?? DEFAULT_PROFILE;
  const pathsName = HELD_HTLC_PATHS_FIELD[profile].name;
  // bolts#1149 writer: "MUST NOT set `invoice_payment_hash`", "MUST NOT set `invoice_amount`" (LDK:
  // UnexpectedPaymentHash, UnexpectedAmount).
  forbidden(f.invoicePaymentHash, 'invoice_payment_hash', 'a static invoice has no payment hash');
  forbidden(f.invoiceAmount, 'invoice_amount', 'a static invoice has no amount');
  checkInvoicePaths(f);
  // "MUST reject the invoice if `static_invoice_message_paths` is not present or is empty".
  const held = required(f.heldHtlcAvailablePaths, pathsName);
  if (held.length === 0) semantic('MISSING_FIELD', pathsName, 'must hold at least one path');
  checkPaths(held, pathsName);
  // "MUST reject the invoice if `invoice_created_at` is not present." / "… `invoice_node_id` …".
  const createdAt = required(f.invoiceCreatedAt, 'invoice_created_at');
  const nodeId = required(f.invoiceNodeId, 'invoice_node_id');
  // The offer must be answerable through the static invoice server: LDK requires `offer_paths`.
  if ((f.offerPaths?.length ?? 0) === 0)
    semantic('MISSING_FIELD', 'offer_paths', 'a static invoice needs offer paths');
  // bolts#1149 offer writer: "if it is often-offline …: MUST NOT include more than 1 chain in `offer_chains`".
  if ((f.offerChains?.length ?? 0) > 1) semantic('UNEXPECTED_CHAIN', 'offer_chains', 'at most one chain');
  checkOfferFields(f, { ...opts, requireIssuer: true });
  checkNodeId(nodeId, f as OfferFields);
  checkFeatures(f.invoiceFeatures, KNOWN_INVOICE_FEATURES, 'invoice_features');
  const expiry = f.invoiceRelativeExpiry ?? DEFAULT_STATIC_INVOICE_RELATIVE_EXPIRY;
  checkExpiry(opts.now, createdAt + expiry, 'invoice_relative_expiry');
}

/**
 * Decode a static invoice (`lni…` string or TLV bytes) in `opts.profile` and check its reader
 * requirements. The signature is **not checked**: pass the result to {@link verifyStaticInvoice}.
 *
 * @throws DecodeError, SemanticError, SignatureError(`MISSING_SIGNATURE`).
 */
export function decodeStaticInvoice(
  input: string | Uint8Array,
  opts: StaticInvoiceOptions = {},
): ParsedStaticInvoice {
  const profile = opts.profile ?? DEFAULT_PROFILE;
  const table = STATIC_INVOICE_TABLES[profile];
  const { kind, ...rest } = decodeSigned(
    NAME,
    inputBytes(input, 'lni'),
    table,
    MESSAGE_RANGES.staticInvoice,
    (f) => checkStaticInvoiceFields(f, { ...opts, profile }),
  );
  return { kind, profile, ...rest };
}

/**
 * Check the signature: tag "lightning" ‖ "static_invoice" ‖ "signature", key `invoice_node_id`.
 *
 * @throws SignatureError `BAD_SIGNATURE`.
 */
export function verifyStaticInvoice(invoice: ParsedStaticInvoice): VerifiedStaticInvoice {
  return verifySigned(invoice, invoice.fields.invoiceNodeId!);
}

/** The invoice fields a static invoice builder takes (the offer supplies the rest). */
export type StaticInvoiceOwnFields = Omit<StaticInvoiceFields, keyof OfferFields | 'signature'>;

/**
 * Build an unsigned static invoice for `offer`: the offer records are copied byte for byte, `fields`
 * adds the invoice fields. Runs the reader's checks plus the writer's path count for the profile
 * (`INVALID_FIELD` below {@link MIN_WRITER_HELD_HTLC_PATHS}).
 */
export function buildStaticInvoice(
  offer: Offer,
  fields: StaticInvoiceOwnFields,
  opts: StaticInvoiceOptions & { unknown?: readonly TlvRecord[] } = {},
): UnsignedStaticInvoice {
  const profile = opts.profile ?? DEFAULT_PROFILE;
  const table = STATIC_INVOICE_TABLES[profile];
  const all: StaticInvoiceFields = { ...(offer.fields as OfferFields), ...fields };
  const unknown = [...offer.unknown, ...(opts.unknown ?? [])];
  const s = buildStream(table, all, unknown, MESSAGE_RANGES.staticInvoice, NAME);
  checkStaticInvoiceFields(s.values, { ...opts, profile });
  const held = s.values.heldHtlcAvailablePaths ?? [];
  if (held.length < MIN_WRITER_HELD_HTLC_PATHS[profile]) {
    semantic(
      'INVALID_FIELD',
      HELD_HTLC_PATHS_FIELD[profile].name,
      `a writer includes at least ${MIN_WRITER_HELD_HTLC_PATHS[profile]} paths in the ${profile} profile`,
    );
  }
  const { bytes, records, unknown: kept, values } = s;
  return { kind: NAME, profile, bytes, records, unknown: kept, fields: values };
}

/**
 * Sign with the secret key of `invoice_node_id` (= `offer_issuer_id`).
 *
 * @throws RangeError when `secretKey` does not belong to `invoice_node_id`.
 */
export function signStaticInvoice(
  unsigned: UnsignedStaticInvoice,
  secretKey: Uint8Array,
  auxRand?: Uint8Array,
): VerifiedStaticInvoice {
  const table = STATIC_INVOICE_TABLES[unsigned.profile];
  const key = { publicKey: unsigned.fields.invoiceNodeId!, field: 'invoice_node_id' };
  const { kind, ...rest } = signStream(
    unsigned,
    table,
    MESSAGE_RANGES.staticInvoice,
    key,
    secretKey,
    auxRand,
  );
  return markVerified({ kind, profile: unsigned.profile, ...rest });
}

/** The `lni…` string of a static invoice (LDK uses the invoice prefix for both). */
export function encodeStaticInvoice(invoice: UnsignedStaticInvoice | ParsedStaticInvoice): string {
  return encodeBolt12String('lni', invoice.bytes);
}
