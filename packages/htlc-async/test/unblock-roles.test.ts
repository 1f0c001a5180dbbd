import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodePaymentUnblockAvailable,
  encodePaymentUnblockHold,
  encodePaymentUnblockRelease,
  paymentUnblockEncryptedDataTlvs,
} from '@asyncpay/codec/async/payment-unblock';
import { buildInvoice, signInvoice } from '@asyncpay/codec/bolt12/invoice';
import {
  buildInvoiceRequest,
  decodeInvoiceRequest,
  signInvoiceRequest,
} from '@asyncpay/codec/bolt12/invoice-request';
import { buildOffer, decodeOffer, encodeOffer } from '@asyncpay/codec/bolt12/offer';
import { createBlindedPath } from '@asyncpay/codec/onion/blinding';
import { encodeEncryptedData } from '@asyncpay/codec/onion/encrypted-data';
import type { DeliveredOnionMessage } from '@asyncpay/codec/onion/onion-message';
import { buildPaymentOnion } from '@asyncpay/codec/onion/payment';
import { encodePaymentPayload } from '@asyncpay/codec/onion/payment-payload';
import { encodeTlvValues } from '@asyncpay/codec/tlv';
import { VirtualClock } from '@asyncpay/ln/node/clock';
import { DEFAULT_RELAY_POLICY, relayFee } from '@asyncpay/ln/node/forwarding';
import { LnNode, type NodeOptions, scidOf } from '@asyncpay/ln/node/node';
import { deriveSecret } from '@asyncpay/ln/node/rng';
import { Router } from '@asyncpay/ln/node/router';
import { Recorder } from '@asyncpay/ln/node/transcript';
import { SqliteStore } from '@asyncpay/ln/store/sqlite';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { UNBLOCK_CTX } from '../src/unblock/contexts.js';
import { decodePaymentUnblockHoldAck, PAYMENT_UNBLOCK_HOLD_ACK_TYPE } from '../src/unblock/hold-ack.js';
import { Outsider } from '../src/unblock/outsider.js';
import { HOLD_ACK_TIMEOUT_SECONDS, UnblockPayer } from '../src/unblock/payer.js';
import { UnblockPayerLsp } from '../src/unblock/payer-lsp.js';
import { checkPreimageProof, preimageProof, verifyPreimageProof } from '../src/unblock/proof.js';
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

/** Bytes an HTLC from `client` through `lsp` to `next` needs: one relay hop, then the final hop. */
function offerThrough(
  client: LnNode,
  lsp: LnNode,
  next: LnNode,
  paymentHash: Uint8Array,
  amount = 10_000_000n,
) {
  const outgoingCltv = clock.height() + 200;
  const payload = encodePaymentPayload({ amt_to_forward: amount, outgoing_cltv_value: BigInt(outgoingCltv) });
  const onion = buildPaymentOnion({
    sessionKey: client.freshSecret('onion'),
    paymentHash,
    hops: [
      {
        pubkey: lsp.nodeId,
        payload: encodePaymentPayload({
          amt_to_forward: amount,
          outgoing_cltv_value: BigInt(outgoingCltv),
          short_channel_id: lsp.scidWith(next.id),
        }),
      },
      { pubkey: next.nodeId, payload },
    ],
  });
  return client.channelWith(lsp.id).offerHtlc({
    amountMsat: amount + relayFee(DEFAULT_RELAY_POLICY, amount),
    paymentHash,
    cltvExpiry: outgoingCltv + DEFAULT_RELAY_POLICY.cltvExpiryDelta,
    onion: onion.packet,
  });
}

/** `payment_unblock_release` with `pid` in the LSP's encrypted data, as the recipient sends it. */
function releaseWith(from: LnNode, lsp: LnNode, pid: Uint8Array): void {
  const data = encodeEncryptedData(
    {},
    encodeTlvValues(paymentUnblockEncryptedDataTlvs, { payment_unblock: pid }),
  );
  const path = createBlindedPath({
    sessionKey: from.freshSecret('path'),
    hops: [{ nodeId: lsp.nodeId, data }],
  }).path;
  from.sendOnionMessage({ path, content: [encodePaymentUnblockRelease()] });
}

/** A client that keeps the `payment_unblock_hold_ack`s it receives. */
class Client extends Outsider {
  readonly acks: Uint8Array[] = [];
  protected override onOnionMessage(msg: DeliveredOnionMessage): void {
    for (const rec of msg.content)
      if (rec.type === PAYMENT_UNBLOCK_HOLD_ACK_TYPE)
        this.acks.push(decodePaymentUnblockHoldAck(rec).unblockHash);
  }
}

const messagesTo = (role: string, name: string) =>
  recorder.events.filter((e) => e.kind === 'message' && e.to === role && e.name === name);

describe('payment_unblock: holds the payer LSP confirms, and whose they are', () => {
  let lsp: UnblockPayerLsp;
  let alice: Client;
  let bob: Client;
  let hub: Outsider;
  beforeEach(() => {
    lsp = new UnblockPayerLsp(opts('payer-lsp'));
    alice = new Client(opts('payer'));
    bob = new Client(opts('payer-2'));
    hub = new Outsider(opts('recipient-lsp'));
    LnNode.openChannel(alice, lsp, 1_000_000_000n, 0n);
    LnNode.openChannel(bob, lsp, 1_000_000_000n, 0n);
    LnNode.openChannel(lsp, hub, 1_000_000_000n, 0n);
  });
  const hold = (client: Client, hash: Uint8Array, unblockHash: Uint8Array, reply = true) =>
    client.sendOnionMessage({
      path: lsp.holdRequestPath(client.id),
      content: [encodePaymentUnblockHold({ paymentHashes: [hash], unblockHash })],
      ...(reply ? { replyPath: client.blindedPathToSelf([], new Uint8Array(16)) } : {}),
    });

  it('confirms a stored hold over the request reply path with its unblock_hash', async () => {
    hold(alice, h1, sha256(pid(1)));
    await clock.advanceAsync(1);
    expect(alice.acks.map((a) => bytesToHex(a))).toEqual([bytesToHex(sha256(pid(1)))]);
    expect(lsp.holdRequests()).toMatchObject([{ client: alice.id, status: 'standing', confirmed: true }]);
  });

  it("refuses a hold from a second client that reuses the first client's unblock_hash (UNBLOCK_HASH_IN_USE)", async () => {
    const h2 = sha256(new TextEncoder().encode('invoice 2'));
    hold(alice, h1, sha256(pid(2)));
    await clock.advanceAsync(1);
    hold(bob, h2, sha256(pid(2)));
    await clock.advanceAsync(1);
    expect(refusals('payer-lsp')).toEqual(['UNBLOCK_HASH_IN_USE']);
    expect(bob.acks).toEqual([]);
    expect(lsp.holdRequests()).toMatchObject([{ client: alice.id, paymentHashes: [bytesToHex(h1)] }]);
  });

  it('refuses to relay an HTLC whose hold it never confirmed (no reply path): fails it back, forwards nothing', async () => {
    hold(alice, h1, sha256(pid(3)), false);
    await clock.advanceAsync(1);
    expect(lsp.holdRequests()).toMatchObject([{ status: 'standing', confirmed: false }]);
    offerThrough(alice, lsp, hub, h1);
    await clock.advanceAsync(5);
    expect(alice.channelWith(lsp.id).ledger.pending()).toEqual([]);
    expect(alice.balanceMsat()).toBe(1_000_000_000n);
    expect(lsp.blockedHtlcs()).toEqual([]);
    expect(messagesTo('recipient-lsp', 'update_add_htlc')).toEqual([]);
  });

  it('fails the HTLC back when the next channel refuses the forward after a valid release (INSUFFICIENT_BALANCE)', async () => {
    const poor = new Outsider(opts('poor-hop'));
    LnNode.openChannel(lsp, poor, 0n, 1_000_000_000n);
    const mallory = new Outsider(opts('recipient'));
    router.link(mallory.id, lsp.id);
    hold(alice, h1, sha256(pid(4)));
    await clock.advanceAsync(1);
    offerThrough(alice, lsp, poor, h1);
    await clock.advanceAsync(5);
    expect(lsp.blockedHtlcs()).toHaveLength(1);
    releaseWith(mallory, lsp, pid(4));
    await clock.advanceAsync(5);
    expect(lsp.blockedHtlcs()).toEqual([]);
    expect(lsp.holdRequests()).toMatchObject([{ status: 'released' }]);
    expect(alice.channelWith(lsp.id).ledger.pending()).toEqual([]);
    expect(alice.balanceMsat()).toBe(1_000_000_000n);
    expect(messagesTo('poor-hop', 'update_add_htlc')).toEqual([]);
  });
});

describe('payment_unblock: a payer LSP that dies while leaving a hold', () => {
  it('keeps the HTLC blocked when it dies inside the release, and fails it back at its deadline after the restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unblock-roles-'));
    try {
      const lspOpts = { ...opts('payer-lsp'), store: SqliteStore.open(join(dir, 'payer-lsp.sqlite')) };
      const lsp = new UnblockPayerLsp(lspOpts);
      const alice = new Client(opts('payer'));
      const hub = new Outsider(opts('recipient-lsp'));
      const mallory = new Outsider(opts('recipient'));
      LnNode.openChannel(alice, lsp, 1_000_000_000n, 0n);
      LnNode.openChannel(lsp, hub, 1_000_000_000n, 0n);
      router.link(mallory.id, lsp.id);
      alice.sendOnionMessage({
        path: lsp.holdRequestPath(alice.id),
        content: [encodePaymentUnblockHold({ paymentHashes: [h1], unblockHash: sha256(pid(5)) })],
        replyPath: alice.blindedPathToSelf([], new Uint8Array(16)),
      });
      await clock.advanceAsync(1);
      offerThrough(alice, lsp, hub, h1);
      await clock.advanceAsync(5);
      expect(lsp.blockedHtlcs()).toHaveLength(1);
      // The process dies as it offers the HTLC on the next channel, in the middle of the release.
      lsp.channelWith(hub.id).offerHtlc = () => {
        throw new Error('killed in the middle of the release');
      };
      releaseWith(mallory, lsp, pid(5));
      await expect(clock.advanceAsync(5)).rejects.toThrow('killed in the middle of the release');
      lsp.kill();
      lspOpts.store.close();
      const restarted = new UnblockPayerLsp({
        ...lspOpts,
        store: SqliteStore.open(join(dir, 'payer-lsp.sqlite')),
        restart: true,
      });
      // Nothing of the release committed: the HTLC is still blocked, neither forwarded nor lost.
      expect(restarted.blockedHtlcs()).toHaveLength(1);
      expect(restarted.holdRequests()).toMatchObject([{ status: 'standing' }]);
      expect(restarted.channelWith(alice.id).ledger.pending()).toMatchObject([{ status: 'held' }]);
      const deadline = restarted.blockedHtlcs()[0]!.deadline;
      await clock.advanceAsync((deadline - clock.height() + 1) * 600);
      await clock.advanceAsync(5); // the failure's round
      expect(alice.channelWith(restarted.id).ledger.pending()).toEqual([]);
      expect(alice.balanceMsat()).toBe(1_000_000_000n);
      expect(messagesTo('recipient-lsp', 'update_add_htlc')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('payment_unblock: what a proof of payment proves', () => {
  const issuerKey = new Uint8Array(32).fill(0x42);
  const issuer = secp256k1.getPublicKey(issuerKey, true);
  const preimage = new Uint8Array(32).fill(0x77);

  /** An invoice for `offer` signed by `key` (whose public key must be the offer's), over `preimage`. */
  function proofFor(offer: ReturnType<typeof buildOffer>, key: Uint8Array, hash = sha256(preimage)): string {
    const payerKey = new Uint8Array(32).fill(0x33);
    const invreq = signInvoiceRequest(
      buildInvoiceRequest(offer, {
        invreqMetadata: new Uint8Array(8).fill(2),
        invreqPayerId: secp256k1.getPublicKey(payerKey, true),
        invreqAmount: 50_000_000n,
      }),
      payerKey,
    );
    const node = secp256k1.getPublicKey(key, true);
    const invoice = signInvoice(
      buildInvoice(invreq, {
        invoicePaths: [
          {
            introductionNode: { nodeId: node },
            pathKey: node,
            hops: [{ blindedNodeId: node, encryptedData: new Uint8Array(16) }],
          },
        ],
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
        invoiceCreatedAt: 1_700_000_000n,
        invoicePaymentHash: hash,
        invoiceAmount: 50_000_000n,
        invoiceNodeId: node,
      }),
      key,
    );
    return preimageProof(preimage, invoice.bytes).hex!;
  }
  const shop = buildOffer({ offerDescription: 'shop', offerIssuerId: issuer });
  const codeOf = (f: () => void) => {
    try {
      f();
    } catch (e) {
      return { code: (e as { code?: string }).code, field: (e as { field?: string }).field };
    }
    return undefined;
  };

  it('accepts the preimage of an invoice the offer issuer signed for that offer (as a string or as bytes)', () => {
    const hex = proofFor(shop, issuerKey);
    expect(verifyPreimageProof(hex, encodeOffer(shop))).toBe(true);
    expect(verifyPreimageProof(hex, shop.bytes)).toBe(true);
  });

  it("refuses a stranger's invoice, self-signed for his own offer over his own preimage (PROOF_NOT_FOR_OFFER on invoice_node_id)", () => {
    const strangerKey = new Uint8Array(32).fill(0x99);
    const own = buildOffer({
      offerDescription: 'shop',
      offerIssuerId: secp256k1.getPublicKey(strangerKey, true),
    });
    const hex = proofFor(own, strangerKey);
    expect(verifyPreimageProof(hex, encodeOffer(own))).toBe(true); // valid on its own terms
    expect(codeOf(() => checkPreimageProof(hex, encodeOffer(shop)))).toEqual({
      code: 'PROOF_NOT_FOR_OFFER',
      field: 'invoice_node_id',
    });
    expect(verifyPreimageProof(hex, encodeOffer(shop))).toBe(false);
  });

  it('refuses an invoice the same issuer signed for another of its offers (PROOF_NOT_FOR_OFFER on offer)', () => {
    const other = buildOffer({ offerDescription: 'another shelf', offerIssuerId: issuer });
    const hex = proofFor(other, issuerKey);
    expect(codeOf(() => checkPreimageProof(hex, encodeOffer(shop)))).toEqual({
      code: 'PROOF_NOT_FOR_OFFER',
      field: 'offer',
    });
  });

  it('refuses a preimage that does not open the invoice payment hash (PREIMAGE_MISMATCH)', () => {
    const hex = proofFor(shop, issuerKey, sha256(new Uint8Array(32).fill(0x78)));
    expect(codeOf(() => checkPreimageProof(hex, encodeOffer(shop)))).toEqual({
      code: 'PREIMAGE_MISMATCH',
      field: 'preimage',
    });
  });
});

describe('payment_unblock: the payer never pays one invoice twice', () => {
  /** A shop that records the invoice requests it gets, so the test answers them by hand. */
  class Shop extends Outsider {
    readonly requests: DeliveredOnionMessage[] = [];
    protected override onOnionMessage(msg: DeliveredOnionMessage): void {
      this.requests.push(msg);
    }
  }

  it("stores the payment as sent in the offer's own commit: after a crash right after offering, the restarted payer has neither, and cannot pay twice", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unblock-payer-'));
    try {
      const scidBetween = () => scidOf('00'.repeat(32));
      const payerOpts = { ...opts('payer'), store: SqliteStore.open(join(dir, 'payer.sqlite')), scidBetween };
      const payer = new UnblockPayer(payerOpts);
      const lsp = new UnblockPayerLsp(opts('payer-lsp'));
      const shop = new Shop(opts('recipient'));
      LnNode.openChannel(payer, lsp, 1_000_000_000n, 0n);
      LnNode.openChannel(lsp, shop, 1_000_000_000n, 0n);
      payer.useHoldPath(lsp.holdRequestPath(payer.id));
      const issuerKey = new Uint8Array(32).fill(0x42);
      const offer = buildOffer({
        offerDescription: 'shop',
        offerIssuerId: secp256k1.getPublicKey(issuerKey, true),
        offerPaths: [shop.blindedPathToSelf([lsp.nodeId], new Uint8Array(16))],
      });
      const id = payer.requestInvoice(encodeOffer(offer), 50_000_000n);
      await clock.advanceAsync(1);
      const [msg] = shop.requests;
      const invreq = decodeInvoiceRequest(msg!.content[0]!.value);
      const invoice = signInvoice(
        buildInvoice(invreq, {
          invoicePaths: [shop.blindedPathToSelf([lsp.nodeId], new Uint8Array(16))],
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
          invoiceAmount: 50_000_000n,
          invoiceNodeId: secp256k1.getPublicKey(issuerKey, true),
        }),
        issuerKey,
      );
      shop.sendOnionMessage({
        path: msg!.replyPath!,
        via: [lsp.nodeId],
        content: [{ type: 66n, value: invoice.bytes }],
      });
      await clock.advanceAsync(1);
      expect(payer.payment(id)?.status).toBe('invoiced');
      // The process dies right after the channel took the HTLC, before anything else is written.
      const channel = payer.channelWith(lsp.id);
      const offerHtlc = channel.offerHtlc.bind(channel);
      channel.offerHtlc = (args) => {
        offerHtlc(args);
        throw new Error('killed right after offering the HTLC');
      };
      payer.pay(id);
      await expect(clock.advanceAsync(1)).rejects.toThrow('killed right after offering the HTLC');
      payer.kill();
      payerOpts.store.close();
      const restarted = new UnblockPayer({
        ...payerOpts,
        store: SqliteStore.open(join(dir, 'payer.sqlite')),
        restart: true,
      });
      // The file holds both or neither: here neither, since the commit never happened.
      const offered = restarted
        .channelWith(lsp.id)
        .ledger.pending()
        .filter((h) => h.direction === 'offered');
      expect({ status: restarted.payment(id)?.status, htlcs: offered.length }).toEqual({
        status: 'holding',
        htlcs: 0,
      });
      expect(() => restarted.pay(id)).toThrow('has no invoice to pay');
      // Unconfirmed, it stays unsent; the restarted payer gives up waiting and no HTLC ever goes out.
      await clock.advanceAsync(HOLD_ACK_TIMEOUT_SECONDS);
      expect(restarted.payment(id)).toMatchObject({ status: 'failed', failure: 'HOLD_NOT_CONFIRMED' });
      expect(restarted.channelWith(lsp.id).ledger.pending()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
