/**
 * Fixed BOLT 12 fixtures shared by the static-invoice vector generator, the BOLT 12 tests and the
 * benchmark: keys made of repeated bytes named after people, opaque blinded paths, and a valid offer,
 * invoice request, invoice and static invoice built from them.
 *
 * - Alice (`41…`): the often-offline recipient, offer issuer and invoice signer.
 * - Bob (`42…`): the payer.
 * - Carol (`43…`): Alice's LSP and static invoice server (the paths' introduction node).
 * - Dave (`44…`): the introduction node of Alice's payment path.
 *
 * The blinded paths are well-formed on the wire but carry opaque `encrypted_recipient_data`: they are
 * codec fixtures, not routable paths. This module writes no vector file (`vectors` is empty).
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { BlindedPath } from '../src/blinded-path.js';
import {
  type BlindedPayInfo,
  buildInvoice,
  signInvoice,
  type VerifiedInvoice,
} from '../src/bolt12/invoice.js';
import {
  buildInvoiceRequest,
  signInvoiceRequest,
  type VerifiedInvoiceRequest,
} from '../src/bolt12/invoice-request.js';
import { signRecords } from '../src/bolt12/message.js';
import { buildOffer, type Offer, type OfferFields } from '../src/bolt12/offer.js';
import {
  buildStaticInvoice,
  type StaticInvoiceOwnFields,
  signStaticInvoice,
  type VerifiedStaticInvoice,
} from '../src/bolt12/static-invoice.js';
import type { WireProfile } from '../src/profile.js';
import { encodeTlvRecords, type TlvRecord } from '../src/tlv.js';

/** A secret key of 32 repeated bytes. */
export const secretKey = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);
/** The 33-byte compressed public key of {@link secretKey}(`byte`). */
export const nodeId = (byte: number): Uint8Array => secp256k1.getPublicKey(secretKey(byte), true);

/** The people of the fixtures: secret key and 33-byte node id. */
// biome-ignore format: aligned table
export const PEOPLE = {
  alice: { secret: secretKey(0x41), id: nodeId(0x41) },
  bob:   { secret: secretKey(0x42), id: nodeId(0x42) },
  carol: { secret: secretKey(0x43), id: nodeId(0x43) },
  dave:  { secret: secretKey(0x44), id: nodeId(0x44) },
} as const;

/** BIP-340 auxiliary randomness used for every fixture signature (32 zero bytes). */
export const AUX = new Uint8Array(32);

/** `invoice_created_at` of every fixture invoice: 2023-11-14T22:13:20Z. */
export const CREATED_AT = 1_700_000_000n;

/** A blinded path introduced by `intro` with `hops` opaque hops (blinded ids from keys 0x50 + i). */
export function opaquePath(intro: Uint8Array, hops: number, seed: number): BlindedPath {
  return {
    introductionNode: { nodeId: intro },
    pathKey: nodeId(0x60 + seed),
    hops: Array.from({ length: hops }, (_, i) => ({
      blindedNodeId: nodeId(0x50 + seed * 4 + i),
      encryptedData: new Uint8Array(16 + i).fill(0xe0 + seed),
    })),
  };
}

/** The payinfo of Alice's payment path. */
export const PAYINFO: BlindedPayInfo = {
  feeBaseMsat: 1000,
  feeProportionalMillionths: 100,
  cltvExpiryDelta: 144,
  htlcMinimumMsat: 1n,
  htlcMaximumMsat: 1_000_000_000n,
  features: new Uint8Array(),
};

/** MPP/optional (bit 17), as LDK's static invoices set it. */
export const MPP_OPTIONAL = Uint8Array.of(0x02, 0x00, 0x00);

/** Alice's async-receive offer: no amount, issuer id, one offer path through Carol. */
export const ASYNC_OFFER_FIELDS: OfferFields = {
  offerDescription: 'coffee for Alice',
  offerIssuerId: PEOPLE.alice.id,
  offerPaths: [opaquePath(PEOPLE.carol.id, 2, 0)],
};

/** Alice's async-receive offer, with `extra` fields and `unknown` odd records. */
export function asyncOffer(extra: OfferFields = {}, unknown: TlvRecord[] = []): Offer {
  return buildOffer({ ...ASYNC_OFFER_FIELDS, ...extra }, { unknown });
}

/** The invoice fields of Alice's static invoice (two held_htlc_available paths through Carol). */
export function staticInvoiceFields(): StaticInvoiceOwnFields {
  return {
    invoicePaths: [opaquePath(PEOPLE.dave.id, 2, 1)],
    invoiceBlindedpay: [PAYINFO],
    invoiceCreatedAt: CREATED_AT,
    invoiceFeatures: MPP_OPTIONAL,
    invoiceNodeId: PEOPLE.alice.id,
    heldHtlcAvailablePaths: [opaquePath(PEOPLE.carol.id, 1, 2), opaquePath(PEOPLE.carol.id, 2, 3)],
  };
}

/** Alice's signed static invoice in `profile`. */
export function aliceStaticInvoice(profile: WireProfile, offer = asyncOffer()): VerifiedStaticInvoice {
  return signStaticInvoice(
    buildStaticInvoice(offer, staticInvoiceFields(), { profile }),
    PEOPLE.alice.secret,
    AUX,
  );
}

/** Bob's signed invoice request for Alice's offer with an amount. */
export function bobInvoiceRequest(): VerifiedInvoiceRequest {
  const offer = buildOffer({ ...ASYNC_OFFER_FIELDS, offerAmount: 5000n });
  const unsigned = buildInvoiceRequest(offer, {
    invreqMetadata: new Uint8Array(16).fill(0x42),
    invreqPayerId: PEOPLE.bob.id,
    invreqAmount: 5000n,
  });
  return signInvoiceRequest(unsigned, PEOPLE.bob.secret, AUX);
}

/** Alice's signed invoice answering {@link bobInvoiceRequest}. */
export function aliceInvoice(): VerifiedInvoice {
  const unsigned = buildInvoice(bobInvoiceRequest(), {
    invoicePaths: [opaquePath(PEOPLE.dave.id, 2, 1), opaquePath(PEOPLE.carol.id, 3, 2)],
    invoiceBlindedpay: [PAYINFO, PAYINFO],
    invoiceCreatedAt: CREATED_AT,
    invoicePaymentHash: new Uint8Array(32).fill(0x77),
    invoiceAmount: 5000n,
    invoiceFeatures: MPP_OPTIONAL,
    invoiceNodeId: PEOPLE.alice.id,
  });
  return signInvoice(unsigned, PEOPLE.alice.secret, AUX);
}

/**
 * Re-sign records as `messageName` with `secret` (any old signature dropped): how negative cases
 * break one field and still carry a valid signature, so only the intended rule fails.
 */
export function resign(records: readonly TlvRecord[], messageName: string, secret: Uint8Array): Uint8Array {
  const body = records.filter((r) => r.type < 240n || r.type > 1000n);
  const sig = signRecords(body, messageName, secret, AUX);
  return encodeTlvRecords([...body, sig].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)));
}

/** This module writes no vector file. */
export const vectors: { file: string; generate(): unknown }[] = [];
