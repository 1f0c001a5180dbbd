/**
 * How a payer asks an offer for an invoice, in every flow here: a BOLT 12 `invoice_request` signed
 * with a fresh payer key (so two payments are not linkable by it), sent along the offer's first path
 * through the payer's LSP, with a reply path back through that LSP whose `path_id` seals `replyContext`.
 *
 * ```ts
 * const invreq = requestInvoice(payer, lsp, offer, path, 50_000_000n, payer.sealContext('outbound_payment', id));
 * ```
 */
import type { BlindedPath } from '@asyncpay/codec/blinded-path';
import {
  buildInvoiceRequest,
  signInvoiceRequest,
  type VerifiedInvoiceRequest,
} from '@asyncpay/codec/bolt12/invoice-request';
import type { Offer } from '@asyncpay/codec/bolt12/offer';
import type { LnNode } from '@asyncpay/ln/node/node';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { BOLT12_CONTENT } from './wire.js';

/** Sign an invoice request for `amountMsat` (and an optional payer note) and send it; returns it. */
export function requestInvoice(
  payer: LnNode,
  lsp: string,
  offer: Offer,
  path: BlindedPath,
  amountMsat: bigint,
  replyContext: Uint8Array,
  note?: string,
): VerifiedInvoiceRequest {
  const payerKey = payer.freshSecret('payer-key');
  const invreq = signInvoiceRequest(
    buildInvoiceRequest(offer, {
      invreqMetadata: payer.freshSecret('invreq-metadata'),
      invreqPayerId: secp256k1.getPublicKey(payerKey, true),
      invreqAmount: amountMsat,
      ...(note ? { invreqPayerNote: note } : {}),
    }),
    payerKey,
    payer.freshSecret('aux'),
  );
  payer.sendOnionMessage(
    {
      path,
      via: [hexToBytes(lsp)],
      content: [{ type: BOLT12_CONTENT.invoiceRequest, value: invreq.bytes }],
      replyPath: payer.blindedPathToSelf([hexToBytes(lsp)], replyContext),
    },
    'invoice_request',
  );
  return invreq;
}
