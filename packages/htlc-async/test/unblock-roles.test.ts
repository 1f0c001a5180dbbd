import {
  encodePaymentUnblockAvailable,
  encodePaymentUnblockHold,
} from '@asyncpay/codec/async/payment-unblock';
import { buildInvoice, signInvoice } from '@asyncpay/codec/bolt12/invoice';
import {
  buildInvoiceRequest,
  decodeInvoiceRequest,
  signInvoiceRequest,
} from '@asyncpay/codec/bolt12/invoice-request';
import { buildOffer, decodeOffer, encodeOffer } from '@asyncpay/codec/bolt12/offer';
import type { DeliveredOnionMessage } from '@asyncpay/codec/onion/onion-message';
import { VirtualClock } from '@asyncpay/ln/node/clock';
import { LnNode, type NodeOptions, scidOf } from '@asyncpay/ln/node/node';
import { deriveSecret } from '@asyncpay/ln/node/rng';
import { Router } from '@asyncpay/ln/node/router';
import { Recorder } from '@asyncpay/ln/node/transcript';
import { SqliteStore } from '@asyncpay/ln/store/sqlite';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { UNBLOCK_CTX } from '../src/unblock/contexts.js';
import { Outsider } from '../src/unblock/outsider.js';
import { UnblockPayer } from '../src/unblock/payer.js';
import { UnblockPayerLsp } from '../src/unblock/payer-lsp.js';
import { UnblockRecipient } from '../src/unblock/recipient.js';

let clock: VirtualClock;
let router: Router;
let recorder: Recorder;
const opts = (role: string): NodeOptions => ({
  role,
  privkey: deriveSecret('roles', role),
  clock,
  router,
  store: SqliteStore.open(':memory:'),
  recorder,
});
const refusals = (node: string) =>
  recorder.events.flatMap((e) =>
    e.kind === 'state' && e.node === node && e.what === 'refused' ? [e.detail?.code] : [],
  );
const h1 = sha256(new TextEncoder().encode('invoice 1'));
const pid = (n: number) => new Uint8Array(32).fill(n);

beforeEach(() => {
  clock = new VirtualClock();
  recorder = new Recorder(() => clock.precise());
  router = new Router(clock, { recorder });
});

describe('payment_unblock: who may ask the payer LSP to block an HTLC', () => {
  let lsp: UnblockPayerLsp;
  let client: Outsider;
  let mallory: Outsider;
  beforeEach(() => {
    lsp = new UnblockPayerLsp(opts('payer-lsp'));
    client = new Outsider(opts('payer'));
    mallory = new Outsider(opts('outsider'));
    LnNode.openChannel(client, lsp, 1_000_000_000n, 0n);
    router.link(mallory.id, lsp.id);
  });
  const hold = (unblockHash: Uint8Array) => [encodePaymentUnblockHold({ paymentHashes: [h1], unblockHash })];

  it('stores a hold request its client sends over the path it handed it', async () => {
    client.sendOnionMessage({ path: lsp.holdRequestPath(client.id), content: hold(sha256(pid(1))) });
    await clock.advanceAsync(1);
    expect(lsp.holdRequests()).toMatchObject([
      { client: client.id, status: 'standing', paymentHashes: [expect.any(String)] },
    ]);
    expect(refusals('payer-lsp')).toEqual([]);
  });

  it('refuses a hold request over a path it did not make (FORGED_CONTEXT)', async () => {
    mallory.sendOnionMessage({
      path: [lsp.nodeId],
      pathId: new Uint8Array(48).fill(7),
      content: hold(sha256(pid(2))),
    });
    await clock.advanceAsync(1);
    expect(refusals('payer-lsp')).toEqual(['FORGED_CONTEXT']);
    expect(lsp.holdRequests()).toEqual([]);
  });

  it("refuses a hold request sent by another node over the client's path (NOT_A_CLIENT)", async () => {
    mallory.sendOnionMessage({ path: lsp.holdRequestPath(client.id), content: hold(sha256(pid(3))) });
    await clock.advanceAsync(1);
    expect(refusals('payer-lsp')).toEqual(['NOT_A_CLIENT']);
    expect(lsp.holdRequests()).toEqual([]);
  });

  it('refuses a second hold on a payment hash another standing hold names (HOLD_CONFLICT)', async () => {
    client.sendOnionMessage({ path: lsp.holdRequestPath(client.id), content: hold(sha256(pid(4))) });
    client.sendOnionMessage({ path: lsp.holdRequestPath(client.id), content: hold(sha256(pid(5))) });
    await clock.advanceAsync(1);
    expect(refusals('payer-lsp')).toEqual(['HOLD_CONFLICT']);
    expect(lsp.holdRequests()).toHaveLength(1);
  });

  it('forgets a hold request that no HTLC used after two weeks', async () => {
    client.sendOnionMessage({ path: lsp.holdRequestPath(client.id), content: hold(sha256(pid(6))) });
    await clock.advanceAsync(2016 * 600 + 1);
    expect(lsp.holdRequests()).toMatchObject([{ status: 'expired' }]);
  });
});

describe('payment_unblock: what the recipient acts on', () => {
  it('refuses payment_unblock_available for a hash that is not one of its invoices (UNKNOWN_PAYMENT)', async () => {
    const recipient = new UnblockRecipient(opts('recipient'));
    const hub = new Outsider(opts('recipient-lsp'));
    const mallory = new Outsider(opts('outsider'));
    LnNode.openChannel(hub, recipient, 1_000_000_000n, 0n);
    router.link(mallory.id, hub.id);
    const path = decodeOffer(recipient.createOffer('shop')).fields.offerPaths![0]!;
    const available = encodePaymentUnblockAvailable({
      pid: pid(8),
      unblockNodeId: hub.nodeId,
      paymentHashes: [h1],
    });
    mallory.sendOnionMessage({ path, content: [available] });
    await clock.advanceAsync(1);
    expect(refusals('recipient')).toEqual(['UNKNOWN_PAYMENT']);
    expect(recorder.events.some((e) => e.kind === 'message' && e.from === 'recipient')).toBe(false);
  });

  it('refuses payment_unblock_available over a path other than its offer path (FORGED_CONTEXT)', async () => {
    const recipient = new UnblockRecipient(opts('recipient'));
    const hub = new Outsider(opts('recipient-lsp'));
    LnNode.openChannel(hub, recipient, 1_000_000_000n, 0n);
    recipient.createOffer('shop');
    const path = recipient.blindedPathToSelf(
      [hub.nodeId],
      hub.sealContext(UNBLOCK_CTX.offer, new Uint8Array(8)),
    );
    const available = encodePaymentUnblockAvailable({
      pid: pid(9),
      unblockNodeId: hub.nodeId,
      paymentHashes: [h1],
    });
    hub.sendOnionMessage({ path, content: [available] });
    await clock.advanceAsync(1);
    expect(refusals('recipient')).toEqual(['FORGED_CONTEXT']);
  });
});

describe('payment_unblock: what the payer accepts as an invoice', () => {
  /** A shop that records the invoice requests it gets, so a test can answer them by hand. */
  class Shop extends Outsider {
    readonly requests: DeliveredOnionMessage[] = [];
    protected override onOnionMessage(msg: DeliveredOnionMessage): void {
      this.requests.push(msg);
    }
  }
  const issuerKey = new Uint8Array(32).fill(0x42);

  async function setup() {
    const payer = new UnblockPayer({ ...opts('payer'), scidBetween: () => scidOf('00'.repeat(32)) });
    const hub = new Outsider(opts('payer-lsp'));
    const shop = new Shop(opts('recipient'));
    LnNode.openChannel(payer, hub, 1_000_000_000n, 0n);
    LnNode.openChannel(hub, shop, 1_000_000_000n, 0n);
    const offer = buildOffer({
      offerDescription: 'shop',
      offerIssuerId: secp256k1.getPublicKey(issuerKey, true),
      offerPaths: [shop.blindedPathToSelf([hub.nodeId], new Uint8Array(16))],
    });
    const id = payer.requestInvoice(encodeOffer(offer), 50_000_000n);
    await clock.advanceAsync(1);
    const [msg] = shop.requests;
    const invreq = decodeInvoiceRequest(msg!.content[0]!.value);
    const answer = (request: typeof invreq, key: Uint8Array, breakSignature = false) => {
      const fields = {
        invoicePaths: [shop.blindedPathToSelf([hub.nodeId], new Uint8Array(16))],
        invoiceBlindedpay: [
          {
            feeBaseMsat: 0,
            feeProportionalMillionths: 0,
            cltvExpiryDelta: 58,
            htlcMinimumMsat: 1n,
            htlcMaximumMsat: 10_000_000_000n,
            features: new Uint8Array(0),
          },
        ],
        invoiceCreatedAt: BigInt(clock.now()),
        invoicePaymentHash: h1,
        invoiceAmount: request.fields.invreqAmount!,
        invoiceNodeId: secp256k1.getPublicKey(key, true),
      };
      const bytes = signInvoice(buildInvoice(request, fields), key).bytes.slice();
      if (breakSignature) bytes[bytes.length - 1]! ^= 1; // the last byte of the signature record
      shop.sendOnionMessage({
        path: msg!.replyPath!,
        via: [hub.nodeId],
        content: [{ type: 66n, value: bytes }],
      });
    };
    return { payer, id, invreq, offer, answer };
  }

  it('accepts an invoice signed by the offer issuer that mirrors its request', async () => {
    const { payer, id, invreq, answer } = await setup();
    answer(invreq, issuerKey);
    await clock.advanceAsync(1);
    expect(payer.payment(id)?.status).toBe('invoiced');
    expect(refusals('payer')).toEqual([]);
  });

  it('refuses an invoice that answers another request of the same offer (INVOICE_NOT_FOR_REQUEST)', async () => {
    const { payer, id, offer, answer } = await setup();
    const otherPayer = new Uint8Array(32).fill(0x44);
    const other = signInvoiceRequest(
      buildInvoiceRequest(offer, {
        invreqMetadata: new Uint8Array(8).fill(1),
        invreqPayerId: secp256k1.getPublicKey(otherPayer, true),
        invreqAmount: 50_000_000n,
      }),
      otherPayer,
    );
    answer(other, issuerKey);
    await clock.advanceAsync(1);
    expect(refusals('payer')).toEqual(['INVOICE_NOT_FOR_REQUEST']);
    expect(payer.payment(id)).toMatchObject({ status: 'refused', failure: 'INVOICE_NOT_FOR_REQUEST' });
  });

  it('refuses an invoice whose signature does not verify (BAD_SIGNATURE)', async () => {
    const { payer, id, invreq, answer } = await setup();
    answer(invreq, issuerKey, true);
    await clock.advanceAsync(1);
    expect(refusals('payer')).toEqual(['BAD_SIGNATURE']);
    expect(payer.payment(id)).toMatchObject({ status: 'refused', failure: 'BAD_SIGNATURE' });
  });
});
