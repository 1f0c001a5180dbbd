/**
 * The proof the payer of the `payment_unblock` variant ends with: the preimage the recipient revealed
 * by settling, and the recipient's signed BOLT 12 invoice whose `invoice_payment_hash` it opens. The
 * transcript carries it as `preimage ‖ invoice` (32 bytes, then the invoice's TLV stream).
 *
 * What it binds: the **amount** and the **text** (the offer's description and the payer's note are in
 * the signed invoice). Not the **payer**: every node on the route learns the preimage when the HTLC
 * settles, so holding it shows the invoice was paid, not by whom (BOLT 12's payer proofs would add a
 * signature by `invreq_payer_id`).
 *
 * @example
 * ```ts
 * const proof = preimageProof(preimage, invoice.bytes);
 * verifyPreimageProof(proof.hex!); // true
 * ```
 */
import { decodeInvoice, verifyInvoice } from '@asyncpay/codec/bolt12/invoice';
import { equalBytes } from '@asyncpay/codec/bytes';
import type { Proof } from '@asyncpay/ln/node/transcript';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';

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
 * Check a proof as a third party would: the invoice parses, is signed by its `invoice_node_id`, and
 * `SHA256(preimage) = invoice_payment_hash`. The invoice's expiry is not checked (it may be long past).
 */
export function verifyPreimageProof(hex: string): boolean {
  try {
    const bytes = hexToBytes(hex);
    const invoice = verifyInvoice(decodeInvoice(bytes.subarray(32)));
    return equalBytes(sha256(bytes.subarray(0, 32)), invoice.fields.invoicePaymentHash!);
  } catch {
    return false;
  }
}
