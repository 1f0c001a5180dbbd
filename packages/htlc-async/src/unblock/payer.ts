/**
 * The payer (A) of the `payment_unblock` variant, often a phone too. While the recipient is online it
 * fetches a normal BOLT 12 invoice the usual way (`invoice_request` over the offer's path → `invoice`
 * over its reply path) and checks it: signed by the offer's issuer, mirroring its request. To pay:
 *
 * 1. it draws a secret `pid` and asks its LSP, with `payment_unblock_hold { [h], SHA256(pid) }` over the
 *    path the LSP handed it, to block the HTLC with the invoice's hash `h`;
 * 2. once the LSP confirmed the hold (`payment_unblock_hold_ack` over the reply path, `hold-ack.ts`), it
 *    sends the HTLC (no `hold_htlc` flag: the LSP blocks it by hash), stored as `sent` in the same
 *    transaction as the offer. No confirmation within {@link HOLD_ACK_TIMEOUT_SECONDS}: no HTLC is
 *    sent and the payment fails (`HOLD_NOT_CONFIRMED`) — a lost hold request never lets it through;
 * 3. once the LSP's `revoke_and_ack` has locked it in, it sends the recipient
 *    `payment_unblock_available { pid, unblock_node_id = its LSP, [h] }` over the offer's path, and may
 *    go offline. It learns the outcome when it comes back.
 *
 * Proof of payment: the recipient settles with its own preimage, so the payer ends with the preimage of
 * the payment hash of an invoice the recipient signed.
 *
 * @example
 * ```ts
 * payer.useHoldPath(lsp.holdRequestPath(payer.id));
 * const id = payer.requestInvoice(offer, 50_000_000n, 'thanks!'); // the recipient is online
 * await clock.advanceAsync(5); // the invoice arrives
 * payer.pay(id);
 * ```
 */

import {
  encodePaymentUnblockAvailable,
  encodePaymentUnblockHold,
} from '@asyncpay/codec/async/payment-unblock';
import type { BlindedPath } from '@asyncpay/codec/blinded-path';
import { decodeInvoice, type VerifiedInvoice, verifyInvoice } from '@asyncpay/codec/bolt12/invoice';
import { decodeInvoiceRequest } from '@asyncpay/codec/bolt12/invoice-request';
import { decodeOffer } from '@asyncpay/codec/bolt12/offer';
import { equalBytes } from '@asyncpay/codec/bytes';
import type { ShortChannelId } from '@asyncpay/codec/fundamental';
import { decodeFailurePacket } from '@asyncpay/codec/onion/failure';
import type { DeliveredOnionMessage } from '@asyncpay/codec/onion/onion-message';
import type { TlvRecord } from '@asyncpay/codec/tlv';
import type { ReleasePath } from '@asyncpay/codec/wire/revoke-and-ack';
import type { Htlc } from '@asyncpay/ln/channel/ledger';
import type { PeerChannel } from '@asyncpay/ln/channel/peer';
import type { Timer } from '@asyncpay/ln/node/clock';
import { LnNode, type NodeOptions } from '@asyncpay/ln/node/node';
import type { Table } from '@asyncpay/ln/store/sqlite';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { requestInvoice } from '../invoice-request.js';
import { routeThroughLsp } from '../routes.js';
import { BOLT12_CONTENT, decodeBlindedPathHex, encodeBlindedPathHex } from '../wire.js';
import { UNBLOCK_CTX } from './contexts.js';
import { UnblockError } from './errors.js';
import { decodePaymentUnblockHoldAck, PAYMENT_UNBLOCK_HOLD_ACK_TYPE } from './hold-ack.js';
import { sameRecords } from './recipient.js';

/** How long the payer waits for its LSP to confirm a hold before giving the payment up. */
export const HOLD_ACK_TIMEOUT_SECONDS = 60;

/** Where a payment of the `payment_unblock` variant stands at the payer. */
export type UnblockPaymentStatus =
  | 'requested'
  | 'invoiced'
  /** The hold is asked for; no HTLC until the LSP confirms it. */
  | 'holding'
  | 'sent'
  | 'awaiting-release'
  | 'settled'
  | 'failed'
  | 'refused';

/** A payment as the payer keeps it (hex for bytes, so the store round-trips it). */
export interface UnblockPayment {
  id: string;
  offer: string;
  amountMsat: bigint;
  invoiceRequest: string;
  status: UnblockPaymentStatus;
  /** The recipient's signed invoice, once verified. */
  invoice?: string;
  paymentHash?: string;
  /** The secret release id; sent to the recipient only once the HTLC is locked in. */
  pid?: string;
  htlcId?: bigint;
  sharedSecrets?: string[];
  /** The recipient's preimage, learnt when the HTLC is settled: with `invoice`, the proof. */
  preimage?: string;
  failure?: string;
  requestedAt: number;
  sentAt?: number;
  doneAt?: number;
}

/** Options of {@link UnblockPayer}. */
export interface UnblockPayerOptions extends NodeOptions {
  /** Public channel graph: the channel between two nodes (stands in for gossip). */
  scidBetween: (a: string, b: string) => ShortChannelId;
}

/** The payer of the `payment_unblock` variant. */
export class UnblockPayer extends LnNode {
  private readonly payments: Table<UnblockPayment>;
  private readonly config: Table<string>;
  private readonly scidBetween: UnblockPayerOptions['scidBetween'];
  /** Timers of this process (they die with it: {@link UnblockPayer.kill}). */
  private readonly timers = new Set<Timer>();

  constructor(opts: UnblockPayerOptions) {
    super(opts);
    this.payments = this.store.namespace<UnblockPayment>('unblock_payments');
    this.config = this.store.namespace<string>('unblock_config');
    this.scidBetween = opts.scidBetween;
    // After a restart the wait for a hold's confirmation starts again (its timer died with the process).
    if (opts.restart)
      for (const [id, p] of this.payments.entries()) if (p.status === 'holding') this.awaitHoldAck(id);
  }

  /** Keep the path our LSP handed us for `payment_unblock_hold` (out of band, e.g. at channel open). */
  useHoldPath(path: BlindedPath): void {
    this.store.transaction(() => this.config.put('hold_path', encodeBlindedPathHex(path)));
  }

  /** The payment `id`, if any. */
  payment(id: string): UnblockPayment | undefined {
    return this.payments.get(id);
  }

  /** Ask the offer's issuer for an invoice of `amountMsat`; returns the payment id. */
  requestInvoice(offerString: string, amountMsat: bigint, note?: string): string {
    const offer = decodeOffer(offerString, { now: this.clock.now() });
    const path = offer.fields.offerPaths?.[0];
    if (!path)
      throw new UnblockError('UNKNOWN_PAYMENT', 'offer has no path to reach the recipient', 'offer_paths');
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
        this.sealContext(UNBLOCK_CTX.outbound, hexToBytes(id)),
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
      if (rec.type === BOLT12_CONTENT.invoice) this.onInvoice(msg, rec.value);
      else if (rec.type === PAYMENT_UNBLOCK_HOLD_ACK_TYPE) this.onHoldAck(msg, rec);
    }
  }

  /** Parse, interpret (reader rules, expiry), authenticate (signed by the offer's key), and match our request. */
  private onInvoice(msg: DeliveredOnionMessage, bytes: Uint8Array): void {
    const ctx = this.openContext(UNBLOCK_CTX.outbound, msg.pathId);
    if (!ctx) throw new UnblockError('FORGED_CONTEXT', 'invoice over a path we did not make', 'path_id');
    const p = this.payments.get(bytesToHex(ctx));
    if (p?.status !== 'requested') return; // a duplicate, or the payment moved on
    let invoice: VerifiedInvoice;
    try {
      invoice = verifyInvoice(decodeInvoice(bytes, { now: this.clock.now() }));
      // BOLT 12, the reader of an invoice: "MUST reject the invoice if … the fields in ranges 0 to 159 and
      // 1000000000 to 2999999999 (inclusive) do not exactly match the invoice request".
      const request = decodeInvoiceRequest(hexToBytes(p.invoiceRequest)).records;
      if (!sameRecords(mirrored(invoice.records), mirrored(request)))
        throw new UnblockError(
          'INVOICE_NOT_FOR_REQUEST',
          'the invoice does not mirror our request',
          'invoice',
        );
    } catch (e) {
      this.put({
        ...p,
        status: 'refused',
        failure: String((e as { code?: string }).code),
        doneAt: this.clock.now(),
      });
      throw e;
    }
    this.put({
      ...p,
      status: 'invoiced',
      invoice: bytesToHex(invoice.bytes),
      paymentHash: bytesToHex(invoice.fields.invoicePaymentHash!),
    });
    this.note('invoice verified', { bytes: bytes.length });
  }

  /**
   * Step 1: draw `pid` and ask our LSP to block the invoice's hash, with a reply path for its
   * confirmation. Fails at once if the invoice has expired meanwhile. The HTLC goes out only when the
   * confirmation comes ({@link UnblockPayer.onHoldAck}); without one in time the payment fails.
   */
  pay(id: string): void {
    const p = this.payments.get(id);
    if (!p?.invoice || p.status !== 'invoiced')
      throw new Error(`payment ${id.slice(0, 8)} has no invoice to pay`);
    const holdPath = this.config.get('hold_path');
    if (!holdPath) throw new Error('no hold path from our LSP');
    const invoice = decodeInvoice(hexToBytes(p.invoice), { now: this.clock.now() });
    const paymentHash = invoice.fields.invoicePaymentHash!;
    const pid = this.freshSecret('pid');
    this.put({ ...p, status: 'holding', pid: bytesToHex(pid) });
    this.sendOnionMessage(
      {
        path: decodeBlindedPathHex(holdPath),
        content: [encodePaymentUnblockHold({ paymentHashes: [paymentHash], unblockHash: sha256(pid) })],
        replyPath: this.blindedPathToSelf([], this.sealContext(UNBLOCK_CTX.holdAck, hexToBytes(id))),
      },
      'payment_unblock_hold',
    );
    this.awaitHoldAck(id);
  }

  /** The process dies: it stops reacting (its state is whatever its store committed). */
  kill(): void {
    for (const t of this.timers) t.cancel();
    this.router.crash(this.id);
  }

  /** No confirmation within {@link HOLD_ACK_TIMEOUT_SECONDS}: the payment fails, no HTLC was sent. */
  private awaitHoldAck(id: string): void {
    const timer = this.clock.after(HOLD_ACK_TIMEOUT_SECONDS, `hold ack timeout ${id.slice(0, 8)}`, () => {
      this.timers.delete(timer);
      const now = this.payments.get(id);
      if (now?.status !== 'holding') return;
      this.put({ ...now, status: 'failed', failure: 'HOLD_NOT_CONFIRMED', doneAt: this.clock.now() });
      this.note('payment failed', { failure: 'HOLD_NOT_CONFIRMED' });
    });
    this.timers.add(timer);
  }

  /** Step 2: our LSP confirmed the hold for this payment's `SHA256(pid)`: now send the HTLC. */
  private onHoldAck(msg: DeliveredOnionMessage, rec: TlvRecord): void {
    const ctx = this.openContext(UNBLOCK_CTX.holdAck, msg.pathId);
    if (!ctx)
      throw new UnblockError(
        'FORGED_CONTEXT',
        'payment_unblock_hold_ack over a path we did not make',
        'path_id',
      );
    const p = this.payments.get(bytesToHex(ctx));
    if (p?.status !== 'holding') return; // a duplicate, or the payment gave up waiting
    const ack = decodePaymentUnblockHoldAck(rec);
    if (!equalBytes(ack.unblockHash, sha256(hexToBytes(p.pid!))))
      throw new UnblockError('HOLD_ACK_MISMATCH', 'the acknowledged hold is not ours', 'unblock_hash');
    this.note('reply: hold confirmed');
    this.sendHtlc(p);
  }

  /** The HTLC through our LSP and the invoice's blinded path, stored `sent` in the offer's transaction. */
  private sendHtlc(p: UnblockPayment): void {
    const invoice = decodeInvoice(hexToBytes(p.invoice!), { now: this.clock.now() });
    const paymentHash = invoice.fields.invoicePaymentHash!;
    const path = invoice.fields.invoicePaths![0]!;
    const payinfo = invoice.fields.invoiceBlindedpay![0]!;
    const {
      lspAmountMsat: lspAmount,
      cltvExpiry: totalCltv,
      onion,
    } = routeThroughLsp({
      payer: this,
      lsp: this.lsp,
      path,
      payinfo,
      amountMsat: p.amountMsat,
      paymentHash,
      scidBetween: this.scidBetween,
    });
    // One transaction: the payment is 'sent' (so it is never paid again) exactly when the channel has
    // the HTLC; a crash before the commit leaves neither.
    this.store.transaction(() => {
      const sent: UnblockPayment = {
        ...p,
        status: 'sent',
        sharedSecrets: onion.sharedSecrets.map((s) => bytesToHex(s)),
        sentAt: this.clock.now(),
      };
      this.payments.put(p.id, sent);
      const htlc = this.channelWith(this.lsp).offerHtlc({
        amountMsat: lspAmount,
        paymentHash,
        cltvExpiry: totalCltv,
        onion: onion.packet,
      });
      this.payments.put(p.id, { ...sent, htlcId: htlc.id });
    });
    this.note('sent htlc to be blocked', { amountMsat: lspAmount.toString(), cltvExpiry: totalCltv });
  }

  /** Step 4: our LSP locked the HTLC in (and blocks it): tell the recipient `pid` and who holds it. */
  override onRevoked(c: PeerChannel, _releasePaths: ReleasePath[]): void {
    for (const [, p] of this.payments.entries()) {
      if (p.status !== 'sent' || c.peer !== this.lsp || p.htlcId === undefined) continue;
      if (c.ledger.htlc('offered', p.htlcId)?.status !== 'pending') continue;
      const path = decodeOffer(p.offer).fields.offerPaths![0]!;
      this.sendOnionMessage(
        {
          path,
          via: [hexToBytes(this.lsp)],
          content: [
            encodePaymentUnblockAvailable({
              pid: hexToBytes(p.pid!),
              unblockNodeId: hexToBytes(this.lsp),
              paymentHashes: [hexToBytes(p.paymentHash!)],
            }),
          ],
        },
        'payment_unblock_available',
      );
      this.put({ ...p, status: 'awaiting-release' });
      this.note('reply: htlc locked in at the LSP');
    }
  }

  override onHtlcFulfilled(_c: PeerChannel, htlc: Htlc, preimage: Uint8Array): void {
    const p = this.byHash(htlc.paymentHash);
    if (!p) return;
    // The channel already checked SHA256(preimage) = payment_hash: the hash the recipient signed.
    this.put({ ...p, status: 'settled', preimage: bytesToHex(preimage), doneAt: this.clock.now() });
    this.note('reply: payment settled', { preimage: bytesToHex(preimage).slice(0, 16), proof: 'preimage' });
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
    this.put({ ...p, status: 'failed', failure, doneAt: this.clock.now() });
    this.note('payment failed', { failure });
  }

  private put(p: UnblockPayment): void {
    this.store.transaction(() => this.payments.put(p.id, p));
  }

  private byHash(hash: Uint8Array): UnblockPayment | undefined {
    const h = bytesToHex(hash);
    return this.payments.entries().find(([, p]) => p.paymentHash === h && p.htlcId !== undefined)?.[1];
  }
}

/** The records an invoice mirrors from its request: types 0–159 and 1000000000–2999999999. */
function mirrored(records: readonly TlvRecord[]): TlvRecord[] {
  return records.filter((r) => r.type < 160n || (r.type >= 1_000_000_000n && r.type <= 2_999_999_999n));
}
