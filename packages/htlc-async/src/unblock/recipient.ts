/**
 * The often-offline recipient (B) of the `payment_unblock` variant. While online it registers a wake-up
 * webhook with its LSP, publishes a BOLT 12 offer whose path goes through that LSP, and answers
 * `invoice_request`s with a **normal BOLT 12 invoice carrying a payment hash whose preimage it drew
 * itself**. Later, woken by a push, it reads `payment_unblock_available` (the payer's `pid` and the node
 * holding the HTLC), sends `payment_unblock_release` to that node with `pid` in its `encrypted_data_tlv`,
 * and settles the HTLC with its own preimage — so the payer ends with a real proof of payment.
 *
 * A claim is two steps: the invoice is marked `paid` (committed first, so a restart never claims twice),
 * then the HTLC is fulfilled. A node restarted from its SQLite file (`restart: true`) finishes any claim
 * a crash cut between the two: it fulfills each locked-in HTLC still pending whose invoice is `paid`.
 *
 * @example
 * ```ts
 * recipient.registerWebhook(device.webhookUrl());
 * const offer = recipient.createOffer('coffee'); // give it to payers; stay online to answer them
 * ```
 */
import {
  decodePaymentUnblockAvailable,
  encodePaymentUnblockRelease,
  PAYMENT_UNBLOCK_TYPES,
  paymentUnblockEncryptedDataTlvs,
} from '@asyncpay/codec/async/payment-unblock';
import { buildInvoice, signInvoice } from '@asyncpay/codec/bolt12/invoice';
import { decodeInvoiceRequest, verifyInvoiceRequest } from '@asyncpay/codec/bolt12/invoice-request';
import { buildOffer, decodeOffer, encodeOffer, offerRecords } from '@asyncpay/codec/bolt12/offer';
import { equalBytes } from '@asyncpay/codec/bytes';
import { createBlindedPath } from '@asyncpay/codec/onion/blinding';
import { encodeEncryptedData } from '@asyncpay/codec/onion/encrypted-data';
import type { DeliveredOnionMessage } from '@asyncpay/codec/onion/onion-message';
import { type PeeledPayment, peelPaymentOnion } from '@asyncpay/codec/onion/payment';
import { encodeTlvValues, type TlvRecord } from '@asyncpay/codec/tlv';
import { decodeUpdateAddHtlc, type UpdateAddHtlc } from '@asyncpay/codec/wire/update-add-htlc';
import type { Htlc } from '@asyncpay/ln/channel/ledger';
import type { PeerChannel } from '@asyncpay/ln/channel/peer';
import { failureReason } from '@asyncpay/ln/node/forwarding';
import { LnNode, type NodeOptions } from '@asyncpay/ln/node/node';
import type { Table } from '@asyncpay/ln/store/sqlite';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { decodeU64, encodeU64 } from '../contexts.js';
import { paymentPathThroughLsp } from '../routes.js';
import { BOLT12_CONTENT } from '../wire.js';
import { UNBLOCK_CTX } from './contexts.js';
import { UnblockError } from './errors.js';

/**
 * How long the recipient's invoices stay payable: two weeks, longer than the payer LSP can block an
 * HTLC (the payer's 1008-block CLTV budget), so a payment sent in time is still accepted when the
 * recipient wakes days later.
 */
export const UNBLOCK_INVOICE_RELATIVE_EXPIRY = 14 * 86_400;

/** An invoice as the recipient keeps it, keyed by payment hash (hex). */
export interface IssuedInvoice {
  paymentHash: string;
  /** Drawn by the recipient; revealed only by settling. */
  preimage: string;
  amountMsat: bigint;
  invoice: string;
  description: string;
  payerNote: string;
  status: 'unpaid' | 'paid';
  expiresAt: number;
  /** `pid`s already sent in a release (a `pid` is released once; a wrong one does not block a later). */
  releasedPids: string[];
}

/** The recipient of the `payment_unblock` variant. */
export class UnblockRecipient extends LnNode {
  private readonly offerKey: Uint8Array;
  private readonly offers: Table<string>;
  private readonly invoices: Table<IssuedInvoice>;
  /** Payments received: payment hash → amount. */
  readonly received = new Map<string, bigint>();

  constructor(opts: NodeOptions) {
    super(opts);
    this.offerKey = sha256(concatBytes(this.privkey, new TextEncoder().encode('asyncpay/unblock-offer-key')));
    this.offers = this.store.namespace<string>('unblock_offers');
    this.invoices = this.store.namespace<IssuedInvoice>('unblock_invoices');
    if (opts.restart) this.finishClaims();
  }

  /**
   * After a restart: a received HTLC still pending (and locked in) whose invoice is already `paid` is
   * one a crash caught between marking the invoice paid and fulfilling it. Fulfill it now; it would
   * otherwise wait for a re-delivery that is refused (the invoice is no longer unpaid).
   */
  private finishClaims(): void {
    for (const c of this.channels.values()) {
      const unlocked = new Set(
        c.snapshot().pendingAdds.map((hex) => String(decodeUpdateAddHtlc(hexToBytes(hex), this.profile).id)),
      );
      for (const htlc of c.ledger.pending()) {
        if (htlc.direction !== 'received' || htlc.status !== 'pending' || unlocked.has(String(htlc.id)))
          continue;
        const inv = this.invoices.get(bytesToHex(htlc.paymentHash));
        if (inv?.status !== 'paid') continue;
        try {
          c.fulfillHtlc(htlc.id, hexToBytes(inv.preimage));
        } catch (e) {
          this.refused('claim after restart', e);
          continue;
        }
        this.received.set(inv.paymentHash, htlc.amountMsat);
        this.note('claimed payment', {
          amountMsat: htlc.amountMsat.toString(),
          payerNote: inv.payerNote,
          afterRestart: true,
        });
      }
    }
  }

  /** The invoice issued for `paymentHash` (hex), if any. */
  invoice(paymentHash: string): IssuedInvoice | undefined {
    return this.invoices.get(paymentHash);
  }

  /** Register the push webhook with the LSP (LSPS5 over LSPS0). */
  registerWebhook(url: string): void {
    this.sendLsps(this.lsp, {
      jsonrpc: '2.0',
      id: bytesToHex(this.freshSecret('rpc-id')).slice(0, 16),
      method: 'lsps5.set_webhook',
      params: { app_name: 'asyncpay wallet', webhook: url },
    });
  }

  /**
   * A BOLT 12 offer without amount, signed invoices by a key of its own, reachable over one blinded
   * path through our LSP (so messages for us wait in the LSP's mailbox while we are offline).
   */
  createOffer(description: string): string {
    const index = this.offers.count();
    const path = this.blindedPathToSelf(
      [hexToBytes(this.lsp)],
      this.sealContext(UNBLOCK_CTX.offer, encodeU64(index)),
    );
    const offer = encodeOffer(
      buildOffer({
        offerDescription: description,
        offerIssuerId: secp256k1.getPublicKey(this.offerKey, true),
        offerPaths: [path],
      }),
    );
    this.store.transaction(() => this.offers.put(String(index), offer));
    // What a verifier of the payer's proof must know independently of the proof (`proof.ts`).
    this.note('offer published', { offer });
    return offer;
  }

  protected override onOnionMessage(msg: DeliveredOnionMessage, _from: string): void {
    for (const rec of msg.content) {
      if (rec.type === BOLT12_CONTENT.invoiceRequest) this.onInvoiceRequest(msg, rec.value);
      else if (rec.type === PAYMENT_UNBLOCK_TYPES.payment_unblock_available) this.onAvailable(msg, rec);
    }
  }

  private offerOf(msg: DeliveredOnionMessage, what: string): string {
    const ctx = this.openContext(UNBLOCK_CTX.offer, msg.pathId);
    const offer = ctx ? this.offers.get(String(decodeU64(ctx))) : undefined;
    if (!offer) throw new UnblockError('FORGED_CONTEXT', `${what} over a path we did not make`, 'path_id');
    return offer;
  }

  /** Step 1: answer an invoice request for our offer with a signed invoice whose preimage only we know. */
  private onInvoiceRequest(msg: DeliveredOnionMessage, bytes: Uint8Array): void {
    const offer = decodeOffer(this.offerOf(msg, 'invoice_request'));
    const invreq = verifyInvoiceRequest(decodeInvoiceRequest(bytes, { now: this.clock.now() }));
    if (!sameRecords(offerRecords(invreq.records), offerRecords(offer.records)))
      throw new UnblockError('NOT_OUR_OFFER', 'invoice request is not for our offer', 'invoice_request');
    if (!msg.replyPath) return;
    const amount = invreq.fields.invreqAmount!; // required by BOLT 12 for an offer without amount
    const preimage = this.freshSecret('preimage');
    const paymentHash = sha256(preimage);
    const now = this.clock.now();
    // The final path_id seals the payment hash.
    const { path, payinfo } = paymentPathThroughLsp(
      this,
      this.lsp,
      this.sealContext(UNBLOCK_CTX.payment, paymentHash),
    );
    const invoice = signInvoice(
      buildInvoice(
        invreq,
        {
          invoicePaths: [path],
          invoiceBlindedpay: [payinfo],
          invoiceCreatedAt: BigInt(now),
          invoiceRelativeExpiry: BigInt(UNBLOCK_INVOICE_RELATIVE_EXPIRY),
          invoicePaymentHash: paymentHash,
          invoiceAmount: amount,
          invoiceNodeId: offer.fields.offerIssuerId!,
        },
        { now },
      ),
      this.offerKey,
      this.freshSecret('aux'),
    );
    this.store.transaction(() =>
      this.invoices.put(bytesToHex(paymentHash), {
        paymentHash: bytesToHex(paymentHash),
        preimage: bytesToHex(preimage),
        amountMsat: amount,
        invoice: bytesToHex(invoice.bytes),
        description: offer.fields.offerDescription ?? '',
        payerNote: invreq.fields.invreqPayerNote ?? '',
        status: 'unpaid',
        expiresAt: now + UNBLOCK_INVOICE_RELATIVE_EXPIRY,
        releasedPids: [],
      }),
    );
    this.sendOnionMessage(
      {
        path: msg.replyPath,
        via: [hexToBytes(this.lsp)],
        content: [{ type: BOLT12_CONTENT.invoice, value: invoice.bytes }],
      },
      'invoice',
    );
  }

  /**
   * Steps 5–6: the payer's `pid` arrived (from our LSP's mailbox, after a wake-up). UNBLOCK.md: "SHOULD
   * ignore it unless a listed hash (if any) belongs to one of its unpaid invoices" — stricter here: the
   * hashes must be present, since without them we could not tell which invoice a release would pay.
   */
  private onAvailable(msg: DeliveredOnionMessage, rec: TlvRecord): void {
    this.offerOf(msg, 'payment_unblock_available');
    const m = decodePaymentUnblockAvailable(rec);
    const now = this.clock.now();
    const inv = (m.paymentHashes ?? [])
      .map((h) => this.invoices.get(bytesToHex(h)))
      .find((i) => i?.status === 'unpaid' && now <= i.expiresAt);
    if (!inv)
      throw new UnblockError('UNKNOWN_PAYMENT', 'no unpaid invoice of ours is named', 'payment_hashes');
    const pid = bytesToHex(m.pid);
    if (inv.releasedPids.includes(pid)) return; // a duplicate of a message we already acted on
    this.store.transaction(() =>
      this.invoices.put(inv.paymentHash, { ...inv, releasedPids: [...inv.releasedPids, pid] }),
    );
    // "SHOULD send payment_unblock_release to unblock_node_id, with payment_unblock = pid in that node's
    // encrypted_data_tlv": we write the path (through our LSP) and so that node's encrypted data.
    const release = createBlindedPath({
      sessionKey: this.freshSecret('release-path'),
      hops: [
        { nodeId: hexToBytes(this.lsp), data: encodeEncryptedData({ next_node_id: m.unblockNodeId }) },
        {
          nodeId: m.unblockNodeId,
          data: encodeEncryptedData(
            {},
            encodeTlvValues(paymentUnblockEncryptedDataTlvs, { payment_unblock: m.pid }),
          ),
        },
      ],
    }).path;
    this.sendOnionMessage(
      { path: release, content: [encodePaymentUnblockRelease()] },
      'payment_unblock_release',
    );
    this.note('asked to unblock the htlc', { paymentHash: inv.paymentHash.slice(0, 16) });
  }

  override onHtlcLockedIn(c: PeerChannel, htlc: Htlc, add: UpdateAddHtlc): void {
    let peeled: PeeledPayment | undefined;
    let inv: IssuedInvoice;
    try {
      peeled = peelPaymentOnion({
        nodePrivkey: this.privkey,
        packet: add.onionRoutingPacket,
        paymentHash: add.paymentHash,
        ...(add.pathKey ? { pathKey: add.pathKey } : {}),
      });
      inv = this.check(htlc, peeled);
    } catch (e) {
      c.failHtlc(
        htlc.id,
        failureReason(peeled?.sharedSecret, {
          code: 'incorrect_or_unknown_payment_details',
          fields: { htlc_msat: htlc.amountMsat, height: this.height() },
        }),
      );
      this.refused('payment', e);
      return;
    }
    // Step 7: settle with our own preimage. Marked paid first, so a restart never claims twice; a crash
    // between the two steps is finished by `finishClaims` when the node restarts from its file.
    this.store.transaction(() => this.invoices.put(inv.paymentHash, { ...inv, status: 'paid' }));
    c.fulfillHtlc(htlc.id, hexToBytes(inv.preimage));
    this.received.set(inv.paymentHash, htlc.amountMsat);
    this.note('claimed payment', { amountMsat: htlc.amountMsat.toString(), payerNote: inv.payerNote });
  }

  /** The HTLC is for one of our unpaid invoices, over that invoice's own path, paying enough. */
  private check(htlc: Htlc, peeled: PeeledPayment): IssuedInvoice {
    const ctx = this.openContext(UNBLOCK_CTX.payment, peeled.blinded?.encryptedData.values.path_id);
    if (!ctx) throw new UnblockError('FORGED_CONTEXT', 'payment not over our payment path', 'path_id');
    const inv = this.invoices.get(bytesToHex(htlc.paymentHash));
    if (!equalBytes(ctx, htlc.paymentHash) || inv?.status !== 'unpaid')
      throw new UnblockError('UNKNOWN_PAYMENT', 'no unpaid invoice with that payment hash', 'payment_hash');
    const total = peeled.payload.values.total_amount_msat ?? htlc.amountMsat;
    if (htlc.amountMsat < inv.amountMsat || total < inv.amountMsat)
      throw new UnblockError('UNKNOWN_PAYMENT', 'pays less than the invoice amount', 'amount_msat');
    return inv;
  }
}

/** Two record lists with the same types and bytes, in order. */
export function sameRecords(a: readonly TlvRecord[], b: readonly TlvRecord[]): boolean {
  return (
    a.length === b.length && a.every((r, i) => r.type === b[i]!.type && equalBytes(r.value, b[i]!.value))
  );
}
