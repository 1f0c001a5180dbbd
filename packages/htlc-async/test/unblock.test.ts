import { buildInvoice, decodeInvoice, signInvoice, verifyInvoice } from '@asyncpay/codec/bolt12/invoice';
import { buildInvoiceRequest, signInvoiceRequest } from '@asyncpay/codec/bolt12/invoice-request';
import { buildOffer } from '@asyncpay/codec/bolt12/offer';
import type { Transcript } from '@asyncpay/ln/node/transcript';
import { COMPARE_MATRIX, type ScenarioSpec } from '@asyncpay/ln/scheme';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { AMOUNT_MSAT } from '../src/run.js';
import { checkPreimageProof, preimageProof } from '../src/unblock/proof.js';
import { runUnblock, type UnblockFaults } from '../src/unblock/run.js';
import { publishedOffers, unblockScheme } from '../src/unblock/scheme.js';

const scenario = (id: string, faults?: UnblockFaults): ScenarioSpec & { faults?: UnblockFaults } => ({
  ...COMPARE_MATRIX.find((s) => s.id === id)!,
  ...(faults ? { faults } : {}),
});

const msat = (t: Transcript, when: 'before' | 'after', role: string) => BigInt(t.balances[when][role]!);
const delta = (t: Transcript, role: string) => msat(t, 'after', role) - msat(t, 'before', role);
const states = (t: Transcript, node?: string) =>
  t.events.flatMap((e) => (e.kind === 'state' && (!node || e.node === node) ? [e] : []));
const refusals = (t: Transcript) =>
  states(t)
    .filter((e) => e.what === 'refused' || e.what === 'push refused')
    .map((e) => e.detail?.code);
const ROLES = ['payer', 'payer-lsp', 'recipient-lsp', 'recipient'];

/** The fee each LSP earns for relaying 50,000 sat: 1000 msat base + 100 ppm. */
const FEE = 6_000n;

/** Anyone can sign an invoice for an offer of their own, over a preimage of their own choosing. */
function strangerProof() {
  const key = sha256(new TextEncoder().encode('stranger'));
  const id = secp256k1.getPublicKey(key, true);
  const offer = buildOffer({ offerDescription: 'asyncpay demo shop', offerIssuerId: id });
  const invreq = signInvoiceRequest(
    buildInvoiceRequest(offer, {
      invreqMetadata: new Uint8Array(8).fill(1),
      invreqPayerId: id,
      invreqAmount: AMOUNT_MSAT,
    }),
    key,
  );
  const preimage = new Uint8Array(32).fill(0x5a);
  const invoice = signInvoice(
    buildInvoice(invreq, {
      invoicePaths: [
        {
          introductionNode: { nodeId: id },
          pathKey: id,
          hops: [{ blindedNodeId: id, encryptedData: new Uint8Array(16) }],
        },
      ],
      invoiceBlindedpay: [
        {
          feeBaseMsat: 0,
          feeProportionalMillionths: 0,
          cltvExpiryDelta: 58,
          htlcMinimumMsat: 1n,
          htlcMaximumMsat: AMOUNT_MSAT,
          features: new Uint8Array(0),
        },
      ],
      invoiceCreatedAt: 1_700_000_000n,
      invoicePaymentHash: sha256(preimage),
      invoiceAmount: AMOUNT_MSAT,
      invoiceNodeId: id,
    }),
    key,
  );
  return preimageProof(preimage, invoice.bytes);
}

function expectSettled(t: Transcript): void {
  expect(t.outcome.settled).toBe(true);
  expect(delta(t, 'recipient')).toBe(AMOUNT_MSAT);
  expect(delta(t, 'recipient-lsp')).toBe(FEE);
  expect(delta(t, 'payer-lsp')).toBe(FEE);
  expect(delta(t, 'payer')).toBe(-(AMOUNT_MSAT + 2n * FEE));
  // The proof: the recipient's preimage, opening the payment hash of the invoice the recipient signed.
  expect(t.proof.kind).toBe('preimage');
  const bytes = hexToBytes(t.proof.hex!);
  const invoice = verifyInvoice(decodeInvoice(bytes.subarray(32)));
  expect(bytesToHex(sha256(bytes.subarray(0, 32)))).toBe(bytesToHex(invoice.fields.invoicePaymentHash!));
  expect(invoice.fields.invoiceAmount).toBe(AMOUNT_MSAT);
  expect(t.proof.binds).toEqual({ payer: false, amount: true, text: true });
  expect(unblockScheme.verifyProof!(t)).toBe(true);
}

function expectRefunded(t: Transcript): void {
  expect(t.outcome.settled).toBe(false);
  expect(t.proof.kind).toBe('none');
  for (const role of ROLES) expect(delta(t, role)).toBe(0n);
  expect(states(t, 'payer-lsp').some((e) => e.what === 'failed back held htlc')).toBe(true);
  expect(states(t, 'recipient').some((e) => e.what === 'claimed payment')).toBe(false);
}

describe('payment_unblock: the recipient comes back', () => {
  it('settles with the recipient preimage when the recipient comes back after 10 minutes', async () => {
    const t = await runUnblock(scenario('offline-10m'), { seed: 'offline-10m' });
    expectSettled(t);
    expect(t.scheme).toBe('unblock');
    expect(t.outcome.seconds).toBeGreaterThanOrEqual(540);
    expect(t.outcome.seconds).toBeLessThan(700);
    // The flow, in order: hold request, its confirmation, HTLC, pid to the recipient (held in its LSP's
    // mailbox), release.
    const names = t.events.flatMap((e) =>
      e.kind === 'message' && e.t >= t.start && e.name.startsWith('onion_message: ')
        ? [e.name.slice(15)]
        : [],
    );
    expect(names).toEqual([
      'payment_unblock_hold',
      'payment_unblock_hold_ack',
      'payment_unblock_available',
      'payment_unblock_release',
    ]);
    const at = (pred: (e: Transcript['events'][number]) => boolean) => t.events.findIndex(pred);
    const ack = at((e) => e.kind === 'message' && e.name === 'onion_message: payment_unblock_hold_ack');
    const add = at((e) => e.kind === 'message' && e.from === 'payer' && e.name === 'update_add_htlc');
    expect(ack).toBeGreaterThan(-1);
    expect(add).toBeGreaterThan(ack);
    const held = t.events.filter((e) => e.kind === 'message' && e.fate === 'held' && e.to === 'recipient');
    expect(held).toHaveLength(1);
  });

  it('settles after 6 hours: the stale wake-up is refused, a fresh reminder wakes the phone', async () => {
    const t = await runUnblock(scenario('offline-6h'), { seed: 'offline-6h' });
    expectSettled(t);
    expect(refusals(t)).toContain('STALE');
    expect(t.outcome.seconds).toBeGreaterThanOrEqual(6 * 3600 - 60);
    expect(t.outcome.seconds).toBeLessThan(7 * 3600 + 60);
  });

  it('settles after 3 days, within the payer LSP hold window', async () => {
    const t = await runUnblock(scenario('offline-3d'), { seed: 'offline-3d' });
    expectSettled(t);
    const release = states(t, 'payer-lsp').find((e) => e.what === 'reply: payment_unblock_release');
    expect(Number(release?.detail?.heldBlocks)).toBeGreaterThanOrEqual(3 * 144 - 1);
  });

  it('settles with the payer offline from right after sending; the payer learns when it returns', async () => {
    const t = await runUnblock(scenario('payer-offline'), { seed: 'payer-offline' });
    expectSettled(t);
    const claimed = states(t, 'recipient').find((e) => e.what === 'claimed payment')!;
    const learned = states(t, 'payer').find((e) => e.what === 'reply: payment settled')!;
    const offline = t.events.find((e) => e.kind === 'online' && e.node === 'payer' && !e.online)!;
    const sentPid = t.events.find(
      (e) => e.kind === 'message' && e.name === 'onion_message: payment_unblock_available',
    )!;
    expect(sentPid.t).toBeLessThan(offline.t);
    expect(offline.t).toBeLessThan(claimed.t);
    expect(learned.t).toBeGreaterThan(claimed.t);
  });

  it('settles in the spec profile too (the variant uses the same bytes in both profiles)', async () => {
    const t = await runUnblock(scenario('offline-10m'), { seed: 'spec', profile: 'spec' });
    expectSettled(t);
  });

  it('survives the payer LSP being killed mid-hold and restarted from its SQLite file', async () => {
    const t = await runUnblock(scenario('offline-6h', { restartPayerLspAfterSeconds: 2 * 3600 }), {
      seed: 'restart',
    });
    const restarted = states(t, 'payer-lsp').find((e) => e.what === 'restarted from its SQLite file');
    expect(restarted?.detail?.held).toBe(1);
    expectSettled(t);
  });

  it('replays the same transcript for the same seed', async () => {
    // The webhook URL carries the push service's port, which the OS assigns: mask that one message.
    const masked = (t: Transcript) =>
      JSON.stringify(
        t.events.map((e) => (e.kind === 'message' && e.name === 'lsps_message' ? { ...e, hex: '' } : e)),
      );
    const a = await runUnblock(scenario('offline-10m'), { seed: 'same' });
    const b = await runUnblock(scenario('offline-10m'), { seed: 'same' });
    const c = await runUnblock(scenario('offline-10m'), { seed: 'other' });
    expect(masked(b)).toBe(masked(a));
    expect(masked(c)).not.toBe(masked(a));
  });
});

describe('payment_unblock: crashes and lost messages', () => {
  it('finishes the claim after the recipient dies between marking its invoice paid and fulfilling, and pays it once', async () => {
    const t = await runUnblock(scenario('offline-10m', { crashRecipientMidClaim: true }), {
      seed: 'recipient-crash',
    });
    const recipient = states(t, 'recipient').map((e) => e.what);
    expect(recipient).toContain('crashed');
    expect(recipient).toContain('restarted from its SQLite file');
    const claims = states(t, 'recipient').filter((e) => e.what === 'claimed payment');
    expect(claims).toHaveLength(1);
    expect(claims[0]!.detail?.afterRestart).toBe(true);
    expectSettled(t);
  });

  const noMoneyMoves = (t: Transcript) => {
    expect(t.outcome).toMatchObject({ settled: false, code: 'HOLD_NOT_CONFIRMED' });
    expect(t.proof.kind).toBe('none');
    for (const role of ROLES) expect(delta(t, role)).toBe(0n);
    const adds = t.events.filter(
      (e) => e.kind === 'message' && e.name === 'update_add_htlc' && e.t >= t.start,
    );
    expect(adds).toEqual([]);
    expect(states(t, 'recipient').some((e) => e.what === 'claimed payment')).toBe(false);
  };

  it('sends no HTLC when the hold request is lost on the way to the payer LSP, and no money moves', async () => {
    const t = await runUnblock(scenario('offline-10m', { lose: ['payment_unblock_hold'] }), {
      seed: 'lost-hold',
    });
    const lost = t.events.filter((e) => e.kind === 'message' && e.fate === 'dropped');
    expect(lost.map((e) => e.kind === 'message' && e.name)).toEqual(['onion_message: payment_unblock_hold']);
    expect(states(t, 'payer-lsp').some((e) => e.what === 'hold requested')).toBe(false);
    noMoneyMoves(t);
  });

  it('sends no HTLC when the payer LSP confirmation is lost, and no money moves', async () => {
    const t = await runUnblock(scenario('offline-10m', { lose: ['payment_unblock_hold_ack'] }), {
      seed: 'lost-ack',
    });
    expect(states(t, 'payer-lsp').some((e) => e.what === 'hold requested')).toBe(true);
    noMoneyMoves(t);
  });
});

describe('payment_unblock: the recipient does not come back', () => {
  it('fails the blocked HTLC back before its expiry when the recipient never returns, refunding the payer', async () => {
    const t = await runUnblock(scenario('never-back'), { seed: 'never-back' });
    expectRefunded(t);
    const failed = states(t, 'payer-lsp').find((e) => e.what === 'failed back held htlc')!;
    const sent = states(t, 'payer').find((e) => e.what === 'sent htlc to be blocked')!;
    const cltv = Number(sent.detail?.cltvExpiry);
    // The LSP's outgoing CLTV is 40 below the payer's; it fails back at outgoing − 39, never later.
    expect(Number(failed.detail?.deadline)).toBe(cltv - 40 - 39);
    expect(Number(failed.detail?.height)).toBe(cltv - 40 - 39);
    expect(t.outcome.code).toBe('temporary_node_failure at hop 0');
    expect(msat(t, 'after', 'payer')).toBe(1_000_000_000n);
  });

  it("refunds the payer at expiry when the recipient's LSP never wakes the recipient", async () => {
    const t = await runUnblock(scenario('censoring-lsp'), { seed: 'censor' });
    expectRefunded(t);
    expect(states(t, 'recipient-lsp').some((e) => e.what === 'withheld wake-up')).toBe(true);
    expect(t.outcome.code).toBe('temporary_node_failure at hop 0');
  });
});

describe('payment_unblock: an adversary tries', () => {
  it('refuses a release with a pid the payer never sent (BAD_PREIMAGE), keeps the HTLC blocked, and still settles', async () => {
    const t = await runUnblock(scenario('offline-10m', { forgeUnblock: true }), { seed: 'forge' });
    const refused = states(t, 'payer-lsp').find((e) => e.what === 'refused')!;
    expect(refused.detail?.code).toBe('BAD_PREIMAGE');
    expect(refused.detail?.field).toBe('payment_unblock');
    // Nothing was forwarded at the forged release: only after the recipient's own.
    const forwarded = states(t, 'payer-lsp').find((e) => e.what === 'forwarded')!;
    const genuine = states(t, 'recipient').find((e) => e.what === 'asked to unblock the htlc')!;
    expect(refused.t).toBeLessThan(genuine.t);
    expect(forwarded.t).toBeGreaterThan(genuine.t);
    expectSettled(t);
  });

  it('refuses a release without payment_unblock in its encrypted data (NO_PID)', async () => {
    const t = await runUnblock(scenario('offline-10m', { releaseWithoutPid: true }), { seed: 'no-pid' });
    expect(refusals(t)).toEqual(['NO_PID']);
    expectSettled(t);
  });

  it('refuses the genuine release replayed after it was used (NOT_HELD); the recipient is paid once', async () => {
    const t = await runUnblock(scenario('offline-10m', { replayUnblock: true }), { seed: 'replay' });
    expectSettled(t);
    expect(refusals(t)).toEqual(['NOT_HELD']);
    expect(states(t, 'payer-lsp').filter((e) => e.what === 'forwarded')).toHaveLength(1);
  });

  it("refuses the settled run's proof once it is swapped for a stranger's self-signed invoice over his own preimage", async () => {
    const t = await runUnblock(scenario('offline-10m'), { seed: 'stranger' });
    expect(unblockScheme.verifyProof!(t)).toBe(true);
    const [offer] = publishedOffers(t);
    expect(offer).toMatch(/^lno1/);
    const stranger = strangerProof();
    // On its own terms the stranger's proof is perfect: signed by its invoice_node_id, preimage opens it.
    const invoice = verifyInvoice(decodeInvoice(hexToBytes(stranger.hex!).subarray(32)));
    expect(bytesToHex(sha256(hexToBytes(stranger.hex!).subarray(0, 32)))).toBe(
      bytesToHex(invoice.fields.invoicePaymentHash!),
    );
    expect(unblockScheme.verifyProof!({ ...t, proof: stranger })).toBe(false);
    expect(() => checkPreimageProof(stranger.hex!, offer!)).toThrow(
      expect.objectContaining({ code: 'PROOF_NOT_FOR_OFFER', field: 'invoice_node_id' }),
    );
  });

  it("settles when the recipient's LSP is the thieving one: it serves no invoice here, and the signed invoice crossed it encrypted", async () => {
    const t = await runUnblock(scenario('thieving-lsp'), { seed: 'thief' });
    expectSettled(t);
  });
});
