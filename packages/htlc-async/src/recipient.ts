/**
 * The often-offline recipient (a phone). While online it registers a wake-up webhook with its LSP and
 * has the LSP serve a **static invoice** for its offer (offer_paths_request → offer_paths →
 * serve_static_invoice → static_invoice_persisted). Later, woken by a push, it answers each
 * `held_htlc_available` with `release_held_htlc`, and claims the payment with the preimage the payer
 * chose, after checking that the payment's invoice request is for its own offer.
 */
import { decodeAsyncMessage, encodeAsyncMessage } from '@asyncpay/codec/async/message';
import type { BlindedPath } from '@asyncpay/codec/blinded-path';
import { type BlindedPayInfo, buildInvoice, signInvoice } from '@asyncpay/codec/bolt12/invoice';
import { decodeInvoiceRequest, verifyInvoiceRequest } from '@asyncpay/codec/bolt12/invoice-request';
import { buildOffer, decodeOffer, encodeOffer, type Offer } from '@asyncpay/codec/bolt12/offer';
import { buildStaticInvoice, signStaticInvoice } from '@asyncpay/codec/bolt12/static-invoice';
import type { DeliveredOnionMessage } from '@asyncpay/codec/onion/onion-message';
import { type PeeledPayment, peelPaymentOnion } from '@asyncpay/codec/onion/payment';
import { decodeTlvRecords } from '@asyncpay/codec/tlv';
import { checkSenderPreimage, paymentOnionExtras } from '@asyncpay/codec/wire/payment-onion-extras';
import type { UpdateAddHtlc } from '@asyncpay/codec/wire/update-add-htlc';
import type { Htlc } from '@asyncpay/ln/channel/ledger';
import type { PeerChannel } from '@asyncpay/ln/channel/peer';
import { failureReason } from '@asyncpay/ln/node/forwarding';
import { LnNode, type NodeOptions } from '@asyncpay/ln/node/node';
import type { Table } from '@asyncpay/ln/store/sqlite';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { CTX, decodeSlotExpiry, decodeU64, encodeSlotExpiry, encodeU64 } from './contexts.js';
import { HtlcAsyncError } from './errors.js';
import { paymentPathThroughLsp } from './routes.js';
import { BOLT12_CONTENT, sameOffer } from './wire.js';

export { MIN_FINAL_CLTV_EXPIRY_DELTA } from './routes.js';
/** How long the recipient's `held_htlc_available` paths stay valid (LDK: the offer's lifetime). */
export const HELD_HTLC_PATH_LIFETIME_SECONDS = 30 * 86_400;

interface OfferState {
  slot: number;
  offer: string;
  status: 'pending' | 'ready';
}

/** The often-offline recipient (see the module comment). */
export class Recipient extends LnNode {
  private readonly offerKey: Uint8Array;
  private readonly offers: Table<OfferState>;
  /** Preimages of the fresh invoices we issued, by payment hash (hex). */
  private readonly invoicePreimages: Table<{ preimage: string; amountMsat: bigint }>;
  /** Payments received: payment hash → amount. */
  readonly received = new Map<string, bigint>();

  constructor(opts: NodeOptions) {
    super(opts);
    this.offerKey = sha256(concatBytes(this.privkey, new TextEncoder().encode('asyncpay/offer-key')));
    this.offers = this.store.namespace<OfferState>('offers');
    this.invoicePreimages = this.store.namespace<{ preimage: string; amountMsat: bigint }>(
      'invoice_preimages',
    );
  }

  /** The LSP this recipient has its channel with. */

  /** Register the push webhook with the LSP (LSPS5 over LSPS0). */
  registerWebhook(url: string): void {
    this.sendLsps(this.lsp, {
      jsonrpc: '2.0',
      id: bytesToHex(this.freshSecret('rpc-id')).slice(0, 16),
      method: 'lsps5.set_webhook',
      params: { app_name: 'asyncpay wallet', webhook: url },
    });
  }

  /** Ask the static invoice server for offer paths for `slot` (over the path it handed us). */
  requestOfferPaths(serverPath: BlindedPath, slot = 0): void {
    const expiry = this.clock.now() + 2 * 3600;
    this.sendOnionMessage(
      {
        path: serverPath,
        content: [encodeAsyncMessage({ kind: 'offer_paths_request', invoiceSlot: slot }, this.profile)],
        replyPath: this.blindedPathToSelf(
          [hexToBytes(this.lsp)],
          this.sealContext(CTX.offerPaths, encodeSlotExpiry(slot, expiry)),
        ),
      },
      'offer_paths_request',
    );
    this.offers.put(String(slot), { slot, offer: '', status: 'pending' });
  }

  /** The offer string to publish, once the server has persisted its static invoice. */
  readyOffer(slot = 0): string | undefined {
    const o = this.offers.get(String(slot));
    return o?.status === 'ready' ? o.offer : undefined;
  }

  protected override onOnionMessage(msg: DeliveredOnionMessage, _from: string): void {
    for (const rec of msg.content) {
      if (rec.type === BOLT12_CONTENT.invoiceRequest) {
        this.onInvoiceRequest(msg, rec.value);
        continue;
      }
      const m = decodeAsyncMessage(rec, this.profile);
      if (m?.kind === 'offer_paths') this.onOfferPaths(msg, m.paths, m.pathsAbsoluteExpiry);
      else if (m?.kind === 'static_invoice_persisted') this.onPersisted(msg);
      else if (m?.kind === 'held_htlc_available') this.onHeldHtlcAvailable(msg);
    }
  }

  private onOfferPaths(msg: DeliveredOnionMessage, paths: BlindedPath[], expiry: bigint | undefined): void {
    const ctx = this.openContext(CTX.offerPaths, msg.pathId);
    if (!ctx)
      throw new HtlcAsyncError('FORGED_CONTEXT', 'offer_paths over a path we did not make', 'path_id');
    const { slot, expiry: ctxExpiry } = decodeSlotExpiry(ctx);
    if (this.clock.now() > ctxExpiry)
      throw new HtlcAsyncError('CONTEXT_EXPIRED', 'offer_paths came too late', 'path_id');
    if (!msg.replyPath) return;
    const now = this.clock.now();
    const offer = buildOffer({
      offerDescription: 'asyncpay demo shop',
      offerIssuerId: secp256k1.getPublicKey(this.offerKey, true),
      offerPaths: paths,
      ...(expiry !== undefined ? { offerAbsoluteExpiry: expiry } : {}),
    });
    const invoice = this.buildStaticInvoice(offer, slot, now);
    this.offers.put(String(slot), { slot, offer: encodeOffer(offer), status: 'pending' });
    this.sendOnionMessage(
      {
        path: msg.replyPath,
        content: [
          encodeAsyncMessage(
            {
              kind: 'serve_static_invoice',
              invoice: invoice.bytes,
              forwardInvoiceRequestPath: this.blindedPathToSelf(
                [hexToBytes(this.lsp)],
                this.sealContext(CTX.invoiceRequest, encodeU64(slot)),
              ),
            },
            this.profile,
          ),
        ],
        replyPath: this.blindedPathToSelf(
          [hexToBytes(this.lsp)],
          this.sealContext(CTX.staticInvoicePersisted, encodeU64(slot)),
        ),
      },
      'serve_static_invoice',
    );
  }

  /**
   * The static invoice: no payment hash and no amount (the payer picks the preimage), a blinded payment
   * path through the LSP, and the paths `held_htlc_available` must come over (two in the spec profile).
   */
  private buildStaticInvoice(offer: Offer, slot: number, now: number) {
    const lsp = hexToBytes(this.lsp);
    const { paymentPath, payinfo } = this.paymentPath(slot);
    const heldExpiry = now + HELD_HTLC_PATH_LIFETIME_SECONDS;
    const heldPaths = Array.from({ length: this.profile === 'spec' ? 2 : 1 }, (_, i) =>
      this.blindedPathToSelf([lsp], this.sealContext(CTX.heldHtlc, encodeU64(heldExpiry)), i),
    );
    const unsigned = buildStaticInvoice(
      offer,
      {
        invoicePaths: [paymentPath],
        invoiceBlindedpay: [payinfo],
        invoiceCreatedAt: BigInt(now),
        invoiceNodeId: offer.fields.offerIssuerId!,
        heldHtlcAvailablePaths: heldPaths,
      },
      { profile: this.profile, now },
    );
    return signStaticInvoice(unsigned, this.offerKey, this.freshSecret('aux'));
  }

  /** A blinded payment path through our LSP to us, whose final `path_id` seals the offer slot. */
  private paymentPath(slot: number): { paymentPath: BlindedPath; payinfo: BlindedPayInfo } {
    const { path, payinfo } = paymentPathThroughLsp(
      this,
      this.lsp,
      this.sealContext(CTX.payment, encodeU64(slot)),
    );
    return { paymentPath: path, payinfo };
  }

  /**
   * The server forwarded an `invoice_request` while we are online (bolts#1149: it "SHOULD forward the
   * invoice_request to the payee"): answer with a fresh invoice that has our own payment hash, so a payer
   * that gets it before the static invoice pays it directly and ends with a real proof of payment.
   */
  private onInvoiceRequest(msg: DeliveredOnionMessage, bytes: Uint8Array): void {
    const ctx = this.openContext(CTX.invoiceRequest, msg.pathId);
    if (!ctx)
      throw new HtlcAsyncError('FORGED_CONTEXT', 'invoice_request over a path we did not make', 'path_id');
    const slot = Number(decodeU64(ctx));
    const ours = this.offers.get(String(slot));
    const invreq = verifyInvoiceRequest(decodeInvoiceRequest(bytes, { now: this.clock.now() }));
    if (!ours || !sameOffer(invreq, decodeOffer(ours.offer))) {
      throw new HtlcAsyncError(
        'UNEXPECTED_PAYMENT',
        'invoice request is not for our offer',
        'invoice_request',
      );
    }
    if (!msg.replyPath) return;
    const preimage = this.freshSecret('invoice-preimage');
    const paymentHash = sha256(preimage);
    const { paymentPath, payinfo } = this.paymentPath(slot);
    const now = this.clock.now();
    const invoice = signInvoice(
      buildInvoice(
        invreq,
        {
          invoicePaths: [paymentPath],
          invoiceBlindedpay: [payinfo],
          invoiceCreatedAt: BigInt(now),
          invoicePaymentHash: paymentHash,
          invoiceAmount: invreq.fields.invreqAmount ?? 0n,
          invoiceNodeId: secp256k1.getPublicKey(this.offerKey, true),
        },
        { now },
      ),
      this.offerKey,
      this.freshSecret('aux'),
    );
    this.store.transaction(() =>
      this.invoicePreimages.put(bytesToHex(paymentHash), {
        preimage: bytesToHex(preimage),
        amountMsat: invreq.fields.invreqAmount ?? 0n,
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

  private onPersisted(msg: DeliveredOnionMessage): void {
    const ctx = this.openContext(CTX.staticInvoicePersisted, msg.pathId);
    if (!ctx)
      throw new HtlcAsyncError(
        'FORGED_CONTEXT',
        'static_invoice_persisted over a path we did not make',
        'path_id',
      );
    const slot = Number(decodeU64(ctx));
    const o = this.offers.get(String(slot));
    if (o) this.offers.put(String(slot), { ...o, status: 'ready' });
    this.note('offer ready', { slot });
  }

  private onHeldHtlcAvailable(msg: DeliveredOnionMessage): void {
    const ctx = this.openContext(CTX.heldHtlc, msg.pathId);
    if (!ctx)
      throw new HtlcAsyncError(
        'FORGED_CONTEXT',
        'held_htlc_available over a path we did not make',
        'path_id',
      );
    if (this.clock.now() > Number(decodeU64(ctx)))
      throw new HtlcAsyncError('CONTEXT_EXPIRED', 'held_htlc_available path expired', 'path_id');
    if (!msg.replyPath) return;
    // The reply path ends at the payer's LSP; we reach it through our own LSP.
    this.sendOnionMessage(
      {
        path: msg.replyPath,
        via: [hexToBytes(this.lsp)],
        content: [encodeAsyncMessage({ kind: 'release_held_htlc' }, this.profile)],
      },
      'release_held_htlc',
    );
    this.note('asked to release the held htlc');
  }

  override onHtlcLockedIn(c: PeerChannel, htlc: Htlc, add: UpdateAddHtlc): void {
    const extras = paymentOnionExtras(this.profile);
    const extraTypes = new Set(Object.values(extras).map((f) => f.type));
    let peeled: PeeledPayment | undefined;
    try {
      peeled = peelPaymentOnion({
        nodePrivkey: this.privkey,
        packet: add.onionRoutingPacket,
        paymentHash: add.paymentHash,
        ...(add.pathKey ? { pathKey: add.pathKey } : {}),
        allowUnknown: (t) => extraTypes.has(t),
      });
      this.claim(c, htlc, peeled, extras);
    } catch (e) {
      c.failHtlc(
        htlc.id,
        failureReason(peeled?.sharedSecret, {
          code: 'incorrect_or_unknown_payment_details',
          fields: { htlc_msat: htlc.amountMsat, height: this.height() },
        }),
      );
      this.refused('payment', e);
    }
  }

  /**
   * bolts#1149, the recipient of a static-invoice payment: the final hop must be on our payment path
   * (sealed `path_id`), carry the payer's invoice request for our offer, signed, paying at least what it
   * asked; "MUST use `sender_provided_payment_preimage` when claiming the HTLC".
   */
  private claim(
    c: PeerChannel,
    htlc: Htlc,
    peeled: PeeledPayment,
    extras: ReturnType<typeof paymentOnionExtras>,
  ): void {
    const pathId = peeled.blinded?.encryptedData.values.path_id;
    const ctx = this.openContext(CTX.payment, pathId);
    if (!ctx) throw new HtlcAsyncError('FORGED_CONTEXT', 'payment not over our payment path', 'path_id');
    const slot = Number(decodeU64(ctx));
    const records = peeled.payload.records.filter(
      (r) =>
        r.type === extras.invoice_request.type || r.type === extras.sender_provided_payment_preimage.type,
    );
    const values = decodeTlvRecords(records, extras).values;
    // A payment of a fresh invoice we issued carries no sender preimage: we claim with our own.
    const issued = this.invoicePreimages.get(bytesToHex(htlc.paymentHash));
    if (issued && values.sender_provided_payment_preimage === undefined) {
      if (htlc.amountMsat < issued.amountMsat) {
        throw new HtlcAsyncError('UNEXPECTED_PAYMENT', 'pays less than the invoice asked', 'amount_msat');
      }
      const own = hexToBytes(issued.preimage);
      this.store.transaction(() => {
        c.fulfillHtlc(htlc.id, own);
        this.invoicePreimages.delete(bytesToHex(htlc.paymentHash));
      });
      this.received.set(bytesToHex(htlc.paymentHash), htlc.amountMsat);
      this.note('claimed payment', { amountMsat: htlc.amountMsat.toString(), invoice: 'fresh' });
      return;
    }
    const preimage = checkSenderPreimage(values, htlc.paymentHash);
    const invreq = verifyInvoiceRequest(
      decodeInvoiceRequest(values.invoice_request!, { now: this.clock.now() }),
    );
    const ours = this.offers.get(String(slot));
    if (!ours) throw new HtlcAsyncError('UNEXPECTED_PAYMENT', 'no offer in that slot', 'slot');
    if (!sameOffer(invreq, decodeOffer(ours.offer))) {
      throw new HtlcAsyncError(
        'UNEXPECTED_PAYMENT',
        'invoice request is not for our offer',
        'invoice_request',
      );
    }
    const total = peeled.payload.values.total_amount_msat ?? htlc.amountMsat;
    if (htlc.amountMsat < (invreq.fields.invreqAmount ?? 0n) || total < (invreq.fields.invreqAmount ?? 0n)) {
      throw new HtlcAsyncError(
        'UNEXPECTED_PAYMENT',
        'pays less than the invoice request asked',
        'amount_msat',
      );
    }
    c.fulfillHtlc(htlc.id, preimage);
    this.received.set(bytesToHex(htlc.paymentHash), htlc.amountMsat);
    this.note('claimed payment', {
      amountMsat: htlc.amountMsat.toString(),
      payerNote: invreq.fields.invreqPayerNote ?? '',
    });
  }
}
