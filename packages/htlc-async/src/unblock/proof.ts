/**
 * The proof the payer of the `payment_unblock` variant ends with: the preimage the recipient revealed
 * by settling, and the recipient's signed BOLT 12 invoice whose `invoice_payment_hash` it opens. The
 * transcript carries it as `preimage ‖ invoice` (32 bytes, then the invoice's TLV stream).
 *
 * The proof does **not** carry the offer, and must not: anyone can sign an invoice over a preimage of
 * their own choosing, so a proof only means something against the offer the verifier already knows the
 * payer meant to pay (from the shop's page, a QR code…). {@link checkPreimageProof} takes that offer and
 * checks the invoice answers it: signed by the key the offer names, and carrying the offer's records.
 *
 * What it binds: the **amount** and the **text** (the offer's description and the payer's note are in
 * the signed invoice). Not the **payer**: every node on the route learns the preimage when the HTLC
 * settles, so holding it shows the invoice was paid, not by whom (BOLT 12's payer proofs would add a
 * signature by `invreq_payer_id`).
 *
 * @example
 * ```ts
 * const proof = preimageProof(preimage, invoice.bytes);
 * verifyPreimageProof(proof.hex!, offer); // true for the offer the invoice answers, false for any other
 * ```
 */
import { decodeInvoice, verifyInvoice } from '@asyncpay/codec/bolt12/invoice';
import { decodeOffer, expectedSigningKeys, offerRecords } from '@asyncpay/codec/bolt12/offer';
import { equalBytes } from '@asyncpay/codec/bytes';
import type { Proof } from '@asyncpay/ln/node/transcript';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { UnblockError } from './errors.js';
import { sameRecords } from './recipient.js';

/** The transcript's proof for a settled payment. */
export function preimageProof(preimage: Uint8Array, invoice: Uint8Array): Proof {
  const bytes = concatBytes(preimage, invoice);
  return {
    kind: 'preimage',
    summary:
      "The preimage of the payment hash in the recipient's signed invoice: the recipient was paid that invoice (amount and description), though not provably by this payer.",
    hex: bytesToHex(bytes),
    size: bytes.length,
    binds: { payer: false, amount: true, text: true },
  };
}

/**
 * Check a proof as a third party would, against `offer` (an `lno…` string or its TLV bytes), the offer
 * the verifier knows the payer paid:
 * - the invoice parses and is signed by its `invoice_node_id` (codec errors, e.g. `BAD_SIGNATURE`);
 * - `invoice_node_id` is the key `offer` names — `offer_issuer_id`, or else the final blinded node id
 *   of one of its `offer_paths` (BOLT 12) — (`PROOF_NOT_FOR_OFFER`, field `invoice_node_id`);
 * - the invoice's offer records (types 1–79, 1000000000–1999999999) equal `offer`'s, record by record
 *   (`PROOF_NOT_FOR_OFFER`, field `offer`);
 * - `SHA256(preimage) = invoice_payment_hash` (`PREIMAGE_MISMATCH`).
 *
 * Neither the invoice's nor the offer's expiry is checked (they may be long past).
 *
 * @throws UnblockError, or the codec's DecodeError / SemanticError / SignatureError.
 */
export function checkPreimageProof(hex: string, offer: string | Uint8Array): void {
  const bytes = hexToBytes(hex);
  const known = decodeOffer(offer);
  const invoice = verifyInvoice(decodeInvoice(bytes.subarray(32)));
  const nodeId = invoice.fields.invoiceNodeId!;
  if (!expectedSigningKeys(known.fields).some((k) => equalBytes(k, nodeId)))
    throw new UnblockError(
      'PROOF_NOT_FOR_OFFER',
      'the invoice is not signed by the key the offer names',
      'invoice_node_id',
    );
  if (!sameRecords(offerRecords(invoice.records), offerRecords(known.records)))
    throw new UnblockError('PROOF_NOT_FOR_OFFER', 'the invoice does not answer this offer', 'offer');
  if (bytes.length < 32 || !equalBytes(sha256(bytes.subarray(0, 32)), invoice.fields.invoicePaymentHash!))
    throw new UnblockError(
      'PREIMAGE_MISMATCH',
      'the preimage does not open the invoice payment hash',
      'preimage',
    );
}

/** {@link checkPreimageProof} as a yes or no. */
export function verifyPreimageProof(hex: string, offer: string | Uint8Array): boolean {
  try {
    checkPreimageProof(hex, offer);
    return true;
  } catch {
    return false;
  }
}
