/**
 * The recipient's LSP: the always-online node an often-offline recipient has its channel with. It is
 * the **static invoice server** (answers `offer_paths_request`, stores what `serve_static_invoice`
 * sends, answers `invoice_request`s on the recipient's behalf), keeps a **mailbox** of onion messages
 * for the recipient while it is offline, **wakes** it with LSPS5 webhooks, and relays the payment.
 *
 * It never holds the recipient's money or keys: the static invoice is signed by the recipient, and the
 * payment's preimage is encrypted to the recipient in the onion.
 */

import { decodeAsyncMessage, encodeAsyncMessage } from '@asyncpay/codec/async/message';
import type { BlindedPath } from '@asyncpay/codec/blinded-path';
import { decodeStaticInvoice, verifyStaticInvoice } from '@asyncpay/codec/bolt12/static-invoice';
import type { WebhookNotification } from '@asyncpay/codec/lsps5/notification';
import { Lsps5RpcError } from '@asyncpay/codec/lsps5/rpc';
import type { DeliveredOnionMessage } from '@asyncpay/codec/onion/onion-message';
import type { TlvRecord } from '@asyncpay/codec/tlv';
import type { NodeOptions } from '@asyncpay/ln/node/node';
import { RoutingNode } from '@asyncpay/ln/node/routing-node';
import { StoredMailbox } from '@asyncpay/ln/store/mailbox';
import type { Table } from '@asyncpay/ln/store/sqlite';
import { WebhookNotifier } from '@asyncpay/ln/wakeup/notifier';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { CTX, decodeSlotRef, encodeSlotRef, type SlotRef } from './contexts.js';
import { HtlcAsyncError } from './errors.js';
import { BOLT12_CONTENT, decodeBlindedPathHex, encodeBlindedPathHex } from './wire.js';

/** LDK's limit on a served static invoice (`MAX_STATIC_INVOICE_SIZE_BYTES`). */
export const MAX_STATIC_INVOICE_BYTES = 5 * 1024;
/** How long the offer paths the server hands out stay valid (LDK: one year). */
export const OFFER_PATHS_LIFETIME_SECONDS = 365 * 86_400;

interface StoredInvoice {
  invoice: string;
  forwardPath: string;
}

/** The recipient LSP's options: the push CA it trusts, its behaviour, its reminder and offer lifetimes. */
export interface RecipientLspOptions extends NodeOptions {
  /** Trusted CA (PEM) for the recipients' push endpoints. */
  pushCa?: string;
  /** `censoring`: never wakes anyone. `thieving`: tampers with the static invoices it serves. */
  behaviour?: 'honest' | 'censoring' | 'thieving';
  /** Re-send the wake-up this often while messages wait in the mailbox (seconds). */
  renotifySeconds?: number;
  /** How long the offer paths it hands out stay valid (seconds; default one year). */
  offerPathsLifetimeSeconds?: number;
  /** Answer invoice requests this many seconds late (a server under load; default 0). */
  staticInvoiceDelaySeconds?: number;
}

/** The recipient's LSP: static invoice server, mailbox, LSPS5 notifier (see the module comment). */
export class RecipientLsp extends RoutingNode {
  readonly notifier: WebhookNotifier;
  readonly mailbox: StoredMailbox;
  private readonly invoices: Table<StoredInvoice>;
  private readonly behaviour: 'honest' | 'censoring' | 'thieving';
  private readonly renotifySeconds: number;
  private readonly renotifying = new Set<string>();
  private readonly offerPathsLifetime: number;
  private readonly staticInvoiceDelay: number;

  constructor(opts: RecipientLspOptions) {
    const mailbox = new StoredMailbox(opts.store, 64, 7 * 86_400);
    super({ ...opts, mailbox });
    this.mailbox = mailbox;
    this.notifier = new WebhookNotifier(opts.store, opts.privkey, opts.pushCa);
    this.invoices = this.store.namespace<StoredInvoice>('static_invoices');
    this.behaviour = opts.behaviour ?? 'honest';
    this.renotifySeconds = opts.renotifySeconds ?? 3600;
    this.offerPathsLifetime = opts.offerPathsLifetimeSeconds ?? OFFER_PATHS_LIFETIME_SECONDS;
    this.staticInvoiceDelay = opts.staticInvoiceDelaySeconds ?? 0;
    this.router.onHeld((holder, peer) => {
      if (holder === this.id) this.wake(peer, 'held onion message');
    });
  }

  /** The path a recipient sends `offer_paths_request` over (handed to it out of band, e.g. at channel open). */
  offerPathsRequestPath(recipient: string): BlindedPath {
    return this.blindedPathToSelf([], this.sealContext(CTX.offerPathsRequest, hexToBytes(recipient)));
  }

  protected override onLspsMessage(from: string, json: unknown): void {
    const req = json as { id?: string; method?: string; params?: unknown };
    if (req.method !== 'lsps5.set_webhook') return;
    try {
      const result = this.store.transaction(() => this.notifier.setWebhook(from, req.params));
      this.sendLsps(from, { jsonrpc: '2.0', id: req.id, result });
      this.note('webhook registered', { apps: result.num_webhooks });
      if (!result.no_change) this.notify(from, { method: 'lsps5.webhook_registered' });
    } catch (e) {
      if (!(e instanceof Lsps5RpcError)) throw e;
      this.sendLsps(from, { jsonrpc: '2.0', id: req.id, error: e.toJsonRpc() });
    }
  }

  protected override onOnionMessage(msg: DeliveredOnionMessage, _from: string): void {
    for (const rec of msg.content) {
      if (rec.type === BOLT12_CONTENT.invoiceRequest) {
        this.onInvoiceRequest(msg, rec);
        continue;
      }
      const m = decodeAsyncMessage(rec, this.profile);
      if (m?.kind === 'offer_paths_request') this.onOfferPathsRequest(msg, m.invoiceSlot);
      else if (m?.kind === 'serve_static_invoice')
        this.onServeStaticInvoice(msg, m.invoice, m.forwardInvoiceRequestPath);
    }
  }

  private onOfferPathsRequest(msg: DeliveredOnionMessage, slot: number): void {
    const recipient = this.openContext(CTX.offerPathsRequest, msg.pathId);
    if (!recipient)
      throw new HtlcAsyncError(
        'FORGED_CONTEXT',
        'offer_paths_request over a path we did not make',
        'path_id',
      );
    if (!msg.replyPath) return;
    const ref = encodeSlotRef({ recipient: bytesToHex(recipient), slot });
    const offerPath = this.blindedPathToSelf([], this.sealContext(CTX.staticInvoiceRequested, ref));
    const expiry = BigInt(this.clock.now() + this.offerPathsLifetime);
    this.sendOnionMessage(
      {
        path: msg.replyPath,
        content: [
          encodeAsyncMessage(
            { kind: 'offer_paths', paths: [offerPath], pathsAbsoluteExpiry: expiry },
            this.profile,
          ),
        ],
        replyPath: this.blindedPathToSelf([], this.sealContext(CTX.serveStaticInvoice, ref)),
      },
      'offer_paths',
    );
  }

  private onServeStaticInvoice(
    msg: DeliveredOnionMessage,
    invoice: Uint8Array,
    forwardPath: BlindedPath,
  ): void {
    const ctx = this.openContext(CTX.serveStaticInvoice, msg.pathId);
    if (!ctx)
      throw new HtlcAsyncError(
        'FORGED_CONTEXT',
        'serve_static_invoice over a path we did not make',
        'path_id',
      );
    const ref = decodeSlotRef(ctx);
    if (invoice.length > MAX_STATIC_INVOICE_BYTES) {
      throw new HtlcAsyncError(
        'INVOICE_TOO_LARGE',
        `static invoice of ${invoice.length} bytes`,
        'static_invoice',
      );
    }
    // Serve only what parses and is signed by its node id: a broken invoice would fail every payer.
    verifyStaticInvoice(decodeStaticInvoice(invoice, { profile: this.profile, now: this.clock.now() }));
    this.store.transaction(() =>
      this.invoices.put(slotKey(ref), {
        invoice: bytesToHex(invoice),
        forwardPath: encodeBlindedPathHex(forwardPath),
      }),
    );
    this.note('static invoice persisted', { slot: ref.slot, bytes: invoice.length });
    if (msg.replyPath) {
      this.sendOnionMessage(
        {
          path: msg.replyPath,
          content: [encodeAsyncMessage({ kind: 'static_invoice_persisted' }, this.profile)],
        },
        'static_invoice_persisted',
      );
    }
  }

  private onInvoiceRequest(msg: DeliveredOnionMessage, rec: TlvRecord): void {
    const ctx = this.openContext(CTX.staticInvoiceRequested, msg.pathId);
    if (!ctx)
      throw new HtlcAsyncError('FORGED_CONTEXT', 'invoice_request over a path we did not make', 'path_id');
    const ref = decodeSlotRef(ctx);
    const stored = this.invoices.get(slotKey(ref));
    if (!stored)
      throw new HtlcAsyncError('NO_STATIC_INVOICE', `no static invoice for slot ${ref.slot}`, 'slot');
    if (!msg.replyPath) return;
    let invoice: Uint8Array = hexToBytes(stored.invoice);
    if (this.behaviour === 'thieving') {
      invoice = tamper(invoice);
      this.note('tampered with the static invoice', { bytes: invoice.length });
    }
    const replyPath = msg.replyPath;
    const reply = (): void => {
      this.sendOnionMessage(
        { path: replyPath, content: [{ type: BOLT12_CONTENT.staticInvoice, value: invoice }] },
        'static_invoice',
      );
    };
    if (this.staticInvoiceDelay > 0) this.clock.after(this.staticInvoiceDelay, 'static invoice reply', reply);
    else reply();
    // bolts#1149: the server "SHOULD forward the invoice_request to the payee" — useful only if it is
    // online to answer; an offline recipient would get it long after the payer moved on.
    if (this.router.isOnline(ref.recipient)) {
      this.sendOnionMessage(
        { path: decodeBlindedPathHex(stored.forwardPath), content: [rec], replyPath: msg.replyPath },
        'invoice_request (forwarded)',
      );
    }
  }

  /** Wake `client` with `onion_message_incoming`, and keep reminding it while messages wait. */
  private wake(client: string, why: string): void {
    if (this.notifier.webhooks(client).length === 0) return;
    if (this.behaviour === 'censoring') {
      this.note('withheld wake-up', { why });
      return;
    }
    this.notify(client, { method: 'lsps5.onion_message_incoming' });
    if (this.renotifying.has(client)) return;
    this.renotifying.add(client);
    const remind = () => {
      if (this.mailbox.count(client) === 0 || this.router.isOnline(client)) {
        this.renotifying.delete(client);
        return;
      }
      this.notify(client, { method: 'lsps5.onion_message_incoming' });
      this.clock.after(this.renotifySeconds, 'lsps5 reminder', remind);
    };
    this.clock.after(this.renotifySeconds, 'lsps5 reminder', remind);
  }

  /** POST a notification from inside the simulation (an async clock event: real HTTP). */
  private notify(client: string, n: WebhookNotification): void {
    this.clock.after(0, `lsps5 ${n.method}`, async () => {
      const sent = await this.notifier.notify(client, n, this.clock.now() * 1000);
      for (const s of sent) {
        this.recorder?.record({
          kind: 'http',
          from: this.role,
          to: 'push service',
          method: s.method,
          status: s.status,
          size: s.size,
        });
      }
    });
  }

  protected override onPeerConnected(peer: string): void {
    this.notifier.resetCooldown(peer);
  }
}

function slotKey(s: SlotRef): string {
  return `${s.recipient}/${s.slot}`;
}

/**
 * What a thieving server can do to a static invoice: change a byte inside the signed part (here, the
 * last byte before the signature record). The payer must notice (`BAD_SIGNATURE`).
 */
function tamper(invoice: Uint8Array): Uint8Array {
  const out = invoice.slice();
  const sigStart = out.length - 66; // type 240 (1 byte) + length (1 byte) + 64-byte signature
  out[sigStart - 1] = (out[sigStart - 1]! ^ 0x01) & 0xff;
  return out;
}
