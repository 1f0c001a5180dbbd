/**
 * The payer (often a phone too). It asks for an invoice over the offer's path; the recipient's server
 * answers with the static invoice; the payer checks it is signed by the offer's issuer and made for
 * that very offer, picks a preimage, and sends the HTLC to its LSP flagged `hold_htlc`. The LSP's
 * `revoke_and_ack` brings a release path, and the payer sends `held_htlc_available` to the recipient
 * over the invoice's paths with that release path as the reply path. Then it may go offline: it learns
 * the outcome when it comes back.
 *
 * Proof of payment: none. The payer chose the preimage, so holding it proves nothing about the
 * recipient (bolts#1149: "Payers will not get proofs in the case that they received a static invoice").
 */

import { encodeAsyncMessage } from '@asyncpay/codec/async/message';
import type { BlindedPath } from '@asyncpay/codec/blinded-path';
import { type BlindedPayInfo, decodeInvoice, verifyInvoice } from '@asyncpay/codec/bolt12/invoice';
import { decodeInvoiceRequest } from '@asyncpay/codec/bolt12/invoice-request';
import { decodeOffer } from '@asyncpay/codec/bolt12/offer';
import {
  decodeStaticInvoice,
  type VerifiedStaticInvoice,
  verifyStaticInvoice,
} from '@asyncpay/codec/bolt12/static-invoice';
import { equalBytes } from '@asyncpay/codec/bytes';
import type { ShortChannelId } from '@asyncpay/codec/fundamental';
import { decodeFailurePacket } from '@asyncpay/codec/onion/failure';
import type { DeliveredOnionMessage } from '@asyncpay/codec/onion/onion-message';
import type { TlvRecord } from '@asyncpay/codec/tlv';
import { paymentOnionExtras } from '@asyncpay/codec/wire/payment-onion-extras';
import type { ReleasePath } from '@asyncpay/codec/wire/revoke-and-ack';
import type { Htlc } from '@asyncpay/ln/channel/ledger';
import type { PeerChannel } from '@asyncpay/ln/channel/peer';
import { LnNode, type NodeOptions } from '@asyncpay/ln/node/node';
import type { Table } from '@asyncpay/ln/store/sqlite';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { CTX } from './contexts.js';
import { HtlcAsyncError } from './errors.js';
import { requestInvoice } from './invoice-request.js';
import { routeThroughLsp } from './routes.js';
import { BOLT12_CONTENT, decodeBlindedPathHex, encodeBlindedPathHex, sameOffer } from './wire.js';

export { PAYER_CLTV_BUDGET } from './routes.js';

/** Where a payment stands, from the invoice request to settled, failed or refused. */
export type PaymentStatus = 'requested' | 'sent' | 'awaiting-release' | 'settled' | 'failed' | 'refused';

/** A payment as the payer stores it (SQLite). */
export interface Payment {
  id: string;
  offer: string;
  amountMsat: bigint;
  invoiceRequest: string;
  status: PaymentStatus;
  paymentHash?: string;
  preimage?: string;
  htlcId?: bigint;
  heldPaths?: string[];
  /** A fresh invoice (hex) paid instead of the static one: with the preimage, a proof of payment. */
  invoice?: string;
  /** The preimage the recipient revealed, for a fresh invoice (hex). */
  proofPreimage?: string;
  sharedSecrets?: string[];
  failure?: string;
  requestedAt: number;
  sentAt?: number;
  doneAt?: number;
}

/** The default fee budget: 1% of the amount plus 10 sat. */
export function defaultMaxFeeMsat(amountMsat: bigint): bigint {
  return amountMsat / 100n + 10_000n;
}

/** The payer's options: the channel graph it routes with and its fee budget. */
export interface PayerOptions extends NodeOptions {
  /** The most the payer pays in routing fees for `amountMsat` (default {@link defaultMaxFeeMsat}). */
  maxFeeMsat?: (amountMsat: bigint) => bigint;
  /** Public channel graph: the channel between two nodes (stands in for gossip). */
  scidBetween: (a: string, b: string) => ShortChannelId;
}

/**
 * The payer (see the module comment).
 *
 * ```ts
 * const id = payer.pay(offerString, 50_000_000n, 'thanks!');
 * // … later: payer.payment(id)?.status === 'settled'
 * ```
 */
export class Payer extends LnNode {
  private readonly payments: Table<Payment>;
  private readonly scidBetween: PayerOptions['scidBetween'];
  private readonly maxFeeMsat: (amountMsat: bigint) => bigint;

  constructor(opts: PayerOptions) {
    super(opts);
    this.payments = this.store.namespace<Payment>('payments');
    this.scidBetween = opts.scidBetween;
    this.maxFeeMsat = opts.maxFeeMsat ?? defaultMaxFeeMsat;
  }

  payment(id: string): Payment | undefined {
    return this.payments.get(id);
  }

  /**
   * Pay `amountMsat` to an offer. Fails at once (typed codec errors) on an offer that does not parse,
   * breaks BOLT 12's reader rules, or has expired.
   */
  pay(offerString: string, amountMsat: bigint, note?: string): string {
    const offer = decodeOffer(offerString, { now: this.clock.now() });
    const path = offer.fields.offerPaths?.[0];
    if (!path)
      throw new HtlcAsyncError(
        'UNEXPECTED_PAYMENT',
        'offer has no path to reach the recipient',
        'offer_paths',
      );
    const id = bytesToHex(this.freshSecret('payment-id'));
    // Recorded in the same step as it is sent (it is delivered later on the clock, so a reply always
    // finds the payment).
    this.store.transaction(() => {
      const r = requestInvoice(
        this,
        this.lsp,
        offer,
        path,
        amountMsat,
        this.sealContext(CTX.outboundPayment, hexToBytes(id)),
        note,
      );
      this.payments.put(id, {
        id,
        offer: offerString,
        amountMsat,
        invoiceRequest: bytesToHex(r.bytes),
        status: 'requested',
        requestedAt: this.clock.now(),
      });
    });
    return id;
  }

  protected override onOnionMessage(msg: DeliveredOnionMessage, _from: string): void {
    for (const rec of msg.content) {
      if (rec.type === BOLT12_CONTENT.staticInvoice) this.onStaticInvoice(msg, rec.value);
      else if (rec.type === BOLT12_CONTENT.invoice) this.onInvoice(msg, rec.value);
    }
  }

  private onStaticInvoice(msg: DeliveredOnionMessage, bytes: Uint8Array): void {
    const ctx = this.openContext(CTX.outboundPayment, msg.pathId);
    if (!ctx)
      throw new HtlcAsyncError('FORGED_CONTEXT', 'static invoice over a path we did not make', 'path_id');
    const p = this.payments.get(bytesToHex(ctx));
    if (p?.status !== 'requested') return; // a duplicate, or the payment moved on
    let invoice: VerifiedStaticInvoice;
    try {
      // Parse, interpret (reader rules, expiry), authenticate (signed by the offer's issuer) ...
      invoice = verifyStaticInvoice(
        decodeStaticInvoice(bytes, { profile: this.profile, now: this.clock.now() }),
      );
      // ... and check it is for the offer we asked about: "the offer TLV record bytes of the invoice must
      // equal those of the invreq" (LDK `is_from_same_offer`).
      if (!sameOffer({ records: decodeInvreqRecords(p.invoiceRequest) }, invoice)) {
        throw new HtlcAsyncError('INVOICE_NOT_FOR_OFFER', 'static invoice is for another offer', 'offer');
      }
    } catch (e) {
      this.store.transaction(() =>
        this.payments.put(p.id, {
          ...p,
          status: 'refused',
          failure: String((e as { code?: string }).code),
          doneAt: this.clock.now(),
        }),
      );
      throw e;
    }
    this.note('reply: static invoice', { bytes: bytes.length });
    try {
      this.send(p, invoice);
    } catch (e) {
      this.store.transaction(() =>
        this.payments.put(p.id, {
          ...p,
          status: 'refused',
          failure: String((e as { code?: string }).code),
          doneAt: this.clock.now(),
        }),
      );
      throw e;
    }
  }

  /** Pick the preimage, build the onion through our LSP and the invoice's blinded path, and send held. */
  /** Pay a static invoice: we pick the preimage, the HTLC is held at our LSP until the recipient asks. */
  private send(p: Payment, invoice: VerifiedStaticInvoice): void {
    const preimage = this.freshSecret('preimage');
    const extras = paymentOnionExtras(this.profile);
    this.sendHtlc(p, {
      path: invoice.fields.invoicePaths![0]!,
      payinfo: invoice.fields.invoiceBlindedpay![0]!,
      paymentHash: sha256(preimage),
      extra: [
        { type: extras.invoice_request.type, value: hexToBytes(p.invoiceRequest) },
        { type: extras.sender_provided_payment_preimage.type, value: preimage },
      ],
      hold: true,
      record: {
        preimage: bytesToHex(preimage),
        heldPaths: invoice.fields.heldHtlcAvailablePaths!.map(encodeBlindedPathHex),
      },
    });
  }

  /**
   * Route through our LSP and the invoice's blinded path, check the fee budget, and offer the HTLC —
   * stored as 'sent' in the same store transaction as the offer, so after a crash a duplicate invoice
   * cannot start a second HTLC for the same payment.
   */
  private sendHtlc(
    p: Payment,
    a: {
      path: BlindedPath;
      payinfo: BlindedPayInfo;
      paymentHash: Uint8Array;
      extra: TlvRecord[];
      hold: boolean;
      record: Partial<Payment>;
    },
  ): void {
    const A = p.amountMsat;
    const route = routeThroughLsp({
      payer: this,
      lsp: this.lsp,
      path: a.path,
      payinfo: a.payinfo,
      amountMsat: A,
      paymentHash: a.paymentHash,
      extra: a.extra,
      scidBetween: this.scidBetween,
    });
    const { lspAmountMsat: lspAmount, cltvExpiry: totalCltv, onion } = route;
    // The invoice sets the blinded path's fees: a payer caps what it pays before any HTLC exists.
    if (lspAmount - A > this.maxFeeMsat(A)) {
      throw new HtlcAsyncError(
        'FEES_TOO_HIGH',
        `fees of ${lspAmount - A} msat exceed the budget of ${this.maxFeeMsat(A)} msat`,
        'invoice_blindedpay',
      );
    }
    this.store.transaction(() => {
      const htlc = this.channelWith(this.lsp).offerHtlc({
        amountMsat: lspAmount,
        paymentHash: a.paymentHash,
        cltvExpiry: totalCltv,
        onion: onion.packet,
        hold: a.hold,
      });
      this.payments.put(p.id, {
        ...p,
        ...a.record,
        status: 'sent',
        paymentHash: bytesToHex(a.paymentHash),
        htlcId: htlc.id,
        sharedSecrets: onion.sharedSecrets.map((s) => bytesToHex(s)),
        sentAt: this.clock.now(),
      });
    });
    this.note(a.hold ? 'sent held htlc' : 'sent htlc', {
      amountMsat: lspAmount.toString(),
      cltvExpiry: totalCltv,
    });
  }

  /**
   * A fresh invoice from the recipient itself (online: its server forwarded our request). If it comes
   * before the static invoice and answers our very request, pay it directly — no hold, the recipient's
   * own payment hash — and the preimage we get back is a proof of payment. Later, it is ignored.
   */
  private onInvoice(msg: DeliveredOnionMessage, bytes: Uint8Array): void {
    const ctx = this.openContext(CTX.outboundPayment, msg.pathId);
    if (!ctx) throw new HtlcAsyncError('FORGED_CONTEXT', 'invoice over a path we did not make', 'path_id');
    const p = this.payments.get(bytesToHex(ctx));
    if (p?.status !== 'requested') {
      this.note('fresh invoice too late', { status: p?.status ?? 'unknown' });
      return;
    }
    const invoice = verifyInvoice(decodeInvoice(bytes, { now: this.clock.now() }));
    // BOLT 12: the invoice copies the request; ours is known by its payer id and metadata.
    const ours = decodeInvoiceRequest(hexToBytes(p.invoiceRequest));
    if (
      !sameOffer(ours, invoice) ||
      !equalBytes(invoice.fields.invreqPayerId!, ours.fields.invreqPayerId!) ||
      !equalBytes(
        invoice.fields.invreqMetadata ?? new Uint8Array(0),
        ours.fields.invreqMetadata ?? new Uint8Array(0),
      )
    ) {
      throw new HtlcAsyncError('INVOICE_NOT_FOR_OFFER', 'invoice answers another request', 'invoice');
    }
    if ((invoice.fields.invoiceAmount ?? 0n) > p.amountMsat) {
      throw new HtlcAsyncError(
        'UNEXPECTED_PAYMENT',
        'invoice asks more than we offered to pay',
        'invoice_amount',
      );
    }
    this.note('reply: fresh invoice', { bytes: bytes.length });
    this.sendHtlc(p, {
      path: invoice.fields.invoicePaths![0]!,
      payinfo: invoice.fields.invoiceBlindedpay![0]!,
      paymentHash: invoice.fields.invoicePaymentHash!,
      extra: [],
      hold: false,
      record: { invoice: bytesToHex(invoice.bytes) },
    });
  }

  /**
   * The LSP locked in our HTLCs of this round and gave release paths: tell each recipient a payment
   * waits. LDK tags each path with its HTLC id; the spec profile gives them in the order of the held
   * HTLCs the round added. A path for an HTLC we did not hold is ignored ("ignore paths for non-held
   * HTLCs", for privacy).
   */
  override onRevoked(_c: PeerChannel, releasePaths: ReleasePath[], offered: bigint[]): void {
    const held = offered
      .map((id) => this.payments.entries().find(([, p]) => p.status === 'sent' && p.htlcId === id)?.[1])
      .filter((p): p is Payment => p !== undefined);
    for (const [i, p] of held.entries()) {
      const path =
        releasePaths.find((r) => r.htlcId === p.htlcId)?.path ??
        (this.profile === 'spec' ? releasePaths[i]?.path : undefined);
      if (!path) continue;
      for (const heldPath of p.heldPaths ?? []) {
        this.sendOnionMessage(
          {
            path: decodeBlindedPathHex(heldPath),
            via: [hexToBytes(this.lsp)],
            content: [encodeAsyncMessage({ kind: 'held_htlc_available' }, this.profile)],
            replyPath: path,
          },
          'held_htlc_available',
        );
      }
      this.store.transaction(() => this.payments.put(p.id, { ...p, status: 'awaiting-release' }));
      this.note('reply: release path', { htlc: Number(p.htlcId) });
    }
  }

  override onHtlcFulfilled(_c: PeerChannel, htlc: Htlc, preimage: Uint8Array): void {
    const p = this.byHash(htlc.paymentHash);
    if (!p) return;
    // A static-invoice payment settles with the preimage we chose (no proof); a fresh invoice's with the
    // recipient's own, which with the signed invoice proves the payment.
    const proof = p.invoice ? 'preimage' : 'none';
    this.store.transaction(() =>
      this.payments.put(p.id, {
        ...p,
        status: 'settled',
        doneAt: this.clock.now(),
        ...(p.invoice ? { proofPreimage: bytesToHex(preimage) } : {}),
      }),
    );
    this.note('reply: payment settled', { preimage: bytesToHex(preimage).slice(0, 16), proof });
  }

  override onHtlcFailed(_c: PeerChannel, htlc: Htlc, reason: Uint8Array): void {
    const p = this.byHash(htlc.paymentHash);
    if (!p) return;
    let failure = 'unreadable';
    try {
      const d = decodeFailurePacket(
        (p.sharedSecrets ?? []).map((s) => hexToBytes(s)),
        reason,
      );
      failure = `${d.message.name ?? d.message.code} at hop ${d.hopIndex}`;
    } catch {
      // An empty or corrupted reason: the payment failed, the origin cannot tell where.
    }
    this.store.transaction(() =>
      this.payments.put(p.id, { ...p, status: 'failed', failure, doneAt: this.clock.now() }),
    );
    this.note('payment failed', { failure });
  }

  private byHash(hash: Uint8Array): Payment | undefined {
    const h = bytesToHex(hash);
    return this.payments.entries().find(([, p]) => p.paymentHash === h)?.[1];
  }
}

function decodeInvreqRecords(hex: string) {
  return decodeInvoiceRequest(hexToBytes(hex)).records;
}
