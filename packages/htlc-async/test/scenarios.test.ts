import { decodeInvoice, verifyInvoice } from '@asyncpay/codec/bolt12/invoice';
import type { Transcript } from '@asyncpay/ln/node/transcript';
import { COMPARE_MATRIX, type ScenarioSpec } from '@asyncpay/ln/scheme';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { AMOUNT_MSAT, type HtlcFaults, runHtlc } from '../src/run.js';

const scenario = (id: string, faults?: HtlcFaults): ScenarioSpec & { faults?: HtlcFaults } => ({
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

/** The fee each LSP earns for relaying 50,000 sat: 1000 msat base + 100 ppm. */
const FEE = 6_000n;

function expectSettled(t: Transcript): void {
  expectSettledWith(t, 'none');
}

function expectSettledWith(t: Transcript, proof: Transcript['proof']['kind']): void {
  expect(t.outcome.settled).toBe(true);
  expect(delta(t, 'recipient')).toBe(AMOUNT_MSAT);
  expect(delta(t, 'recipient-lsp')).toBe(FEE);
  expect(delta(t, 'payer-lsp')).toBe(FEE);
  expect(delta(t, 'payer')).toBe(-(AMOUNT_MSAT + 2n * FEE));
  expect(t.proof.kind).toBe(proof);
}

function expectRefunded(t: Transcript): void {
  expect(t.outcome.settled).toBe(false);
  for (const role of ['payer', 'payer-lsp', 'recipient-lsp', 'recipient']) expect(delta(t, role)).toBe(0n);
  // Nothing stays locked: every HTLC of the payment was resolved.
  expect(states(t, 'payer-lsp').some((e) => e.what === 'failed back held htlc')).toBe(true);
}

describe('HTLC async payments: the recipient comes back', () => {
  it('settles when the recipient comes back after 10 minutes', async () => {
    const t = await runHtlc(scenario('offline-10m'), { seed: 'offline-10m' });
    expectSettled(t);
    expect(t.outcome.seconds).toBeLessThan(700);
  });

  it('settles after 6 hours: the stale wake-up is refused, a fresh reminder wakes the phone', async () => {
    const t = await runHtlc(scenario('offline-6h'), { seed: 'offline-6h' });
    expectSettled(t);
    expect(refusals(t)).toContain('STALE');
    expect(t.outcome.seconds).toBeGreaterThanOrEqual(6 * 3600 - 60);
    expect(t.outcome.seconds).toBeLessThan(7 * 3600 + 60);
  });

  it('settles after 3 days, within the payer LSP hold window', async () => {
    const t = await runHtlc(scenario('offline-3d'), { seed: 'offline-3d' });
    expectSettled(t);
    const hold = states(t, 'payer-lsp').find((e) => e.what === 'reply: release_held_htlc');
    expect(Number(hold?.detail?.heldBlocks)).toBeGreaterThanOrEqual(3 * 144 - 1);
  });

  it('settles with both offline: the payer from right after sending, the recipient for 6 hours', async () => {
    const t = await runHtlc(scenario('payer-offline'), { seed: 'payer-offline' });
    expectSettled(t);
    const claimed = states(t, 'recipient').find((e) => e.what === 'claimed payment')!;
    const learned = states(t, 'payer').find((e) => e.what === 'reply: payment settled')!;
    expect(learned.t).toBeGreaterThan(claimed.t);
    const offline = t.events.find((e) => e.kind === 'online' && e.node === 'payer' && !e.online)!;
    expect(offline.t).toBeLessThan(claimed.t);
    // At that moment the recipient was offline too.
    const recipientBack = t.events.find(
      (e) => e.kind === 'online' && e.node === 'recipient' && e.online && e.t > t.start,
    )!;
    expect(recipientBack.t).toBeGreaterThan(offline.t);
  });

  it('settles in the spec profile too (spec wire numbers, two held_htlc_available paths)', async () => {
    const t = await runHtlc(scenario('offline-10m'), { seed: 'spec', profile: 'spec' });
    expectSettled(t);
    const sent = t.events.filter(
      (e) => e.kind === 'message' && e.name === 'onion_message: held_htlc_available' && e.from === 'payer',
    );
    expect(sent).toHaveLength(2);
  });

  it('survives the payer LSP being killed mid-hold and restarted from its SQLite file', async () => {
    const t = await runHtlc(scenario('offline-6h', { restartPayerLspAfterSeconds: 2 * 3600 }), {
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
    const a = await runHtlc(scenario('offline-10m'), { seed: 'same' });
    const b = await runHtlc(scenario('offline-10m'), { seed: 'same' });
    const c = await runHtlc(scenario('offline-10m'), { seed: 'other' });
    expect(masked(b)).toBe(masked(a));
    expect(masked(c)).not.toBe(masked(a));
  });
});

describe('HTLC async payments: the recipient does not come back', () => {
  it('fails the held HTLC back before its expiry when the recipient never returns, refunding the payer', async () => {
    const t = await runHtlc(scenario('never-back'), { seed: 'never-back' });
    expectRefunded(t);
    const failed = states(t, 'payer-lsp').find((e) => e.what === 'failed back held htlc')!;
    const held = states(t, 'payer').find((e) => e.what === 'sent held htlc')!;
    // Failed back at outgoing_cltv − 39, before the payer's HTLC (cltvExpiry) could time out on chain.
    expect(Number(failed.detail?.height)).toBeLessThan(Number(held.detail?.cltvExpiry));
    expect(t.outcome.code).toMatch(/temporary_node_failure/);
  });

  it("refunds the payer at expiry when the recipient's LSP never wakes the recipient", async () => {
    const t = await runHtlc(scenario('censoring-lsp'), { seed: 'censor' });
    expectRefunded(t);
    expect(states(t, 'recipient-lsp').some((e) => e.what === 'withheld wake-up')).toBe(true);
  });
});

describe('HTLC async payments: an adversary tries', () => {
  it('refuses a static invoice the server tampered with, before any money moves', async () => {
    const t = await runHtlc(scenario('thieving-lsp'), { seed: 'thief' });
    expect(t.outcome.settled).toBe(false);
    expect(t.outcome.code).toBe('BAD_SIGNATURE');
    for (const role of ['payer', 'payer-lsp', 'recipient-lsp', 'recipient']) expect(delta(t, role)).toBe(0n);
    expect(t.events.some((e) => e.kind === 'message' && e.name === 'update_add_htlc')).toBe(false);
  });

  it('refuses a release_held_htlc sent over a path the payer LSP did not make, and still settles', async () => {
    const t = await runHtlc(scenario('offline-10m', { forgeRelease: true }), { seed: 'forge' });
    expect(refusals(t)).toContain('FORGED_CONTEXT');
    expectSettled(t);
  });

  it('refuses a replayed release_held_htlc once the HTLC was released', async () => {
    const t = await runHtlc(scenario('offline-10m', { replayRelease: true }), { seed: 'replay' });
    expectSettled(t);
    expect(refusals(t)).toContain('NOT_HELD');
  });

  it('refuses to pay an expired offer with a clear error', async () => {
    const t = await runHtlc(scenario('offline-10m', { offerLifetimeSeconds: 3600, payAfterSeconds: 7200 }), {
      seed: 'expired',
    });
    expect(t.outcome).toMatchObject({ settled: false, code: 'EXPIRED' });
    expect(t.events.some((e) => e.kind === 'message' && e.t >= t.start)).toBe(false);
  });
});

describe('HTLC async payments: two payments in flight', () => {
  it.each(['ldk', 'spec'] as const)(
    'matches each release path to its own HTLC (%s profile) and settles both',
    async (profile) => {
      const t = await runHtlc(scenario('offline-10m', { payments: 2 }), { seed: `two-${profile}`, profile });
      const settled = states(t, 'payer').filter((e) => e.what === 'reply: payment settled');
      expect(settled).toHaveLength(2);
      expect(delta(t, 'recipient')).toBe(2n * AMOUNT_MSAT);
      expect(delta(t, 'payer')).toBe(-2n * (AMOUNT_MSAT + 2n * FEE));
      // The spec profile sends held_htlc_available over two paths: the second release of each HTLC is
      // refused as already released. The LDK profile has one path and no refusal.
      expect(refusals(t)).toEqual(profile === 'spec' ? ['NOT_HELD', 'NOT_HELD'] : []);
      // Each held HTLC was released by its own recipient request, exactly once.
      expect(states(t, 'payer-lsp').filter((e) => e.what === 'reply: release_held_htlc')).toHaveLength(2);
    },
  );
});

describe('HTLC async payments: the payer protects itself', () => {
  it('refuses an invoice whose path fees exceed its budget, before any HTLC exists', async () => {
    const t = await runHtlc(scenario('offline-10m', { payerMaxFeeMsat: 11_999n }), { seed: 'fees' });
    expect(t.outcome).toMatchObject({ settled: false, code: 'FEES_TOO_HIGH' });
    expect(t.events.some((e) => e.kind === 'message' && e.name === 'update_add_htlc')).toBe(false);
    for (const role of ['payer', 'payer-lsp', 'recipient-lsp', 'recipient']) expect(delta(t, role)).toBe(0n);
  });

  it('pays when the fees are exactly its budget', async () => {
    const t = await runHtlc(scenario('offline-10m', { payerMaxFeeMsat: 12_000n }), { seed: 'fees' });
    expectSettled(t);
  });
});

describe('HTLC async payments: the recipient is online when the payer pays', () => {
  it('pays the static invoice when it comes first; the fresh invoice the recipient sends later is ignored', async () => {
    const t = await runHtlc(scenario('offline-10m', { recipientOnline: true }), { seed: 'online' });
    expectSettled(t);
    expect(states(t, 'payer').some((e) => e.what === 'fresh invoice too late')).toBe(true);
    expect(states(t, 'payer').some((e) => e.what === 'sent held htlc')).toBe(true);
  });

  it('pays the fresh invoice directly when the server is slow, and keeps the recipient preimage as proof', async () => {
    const t = await runHtlc(
      scenario('offline-10m', { recipientOnline: true, staticInvoiceDelaySeconds: 5 }),
      { seed: 'online-slow' },
    );
    expectSettledWith(t, 'preimage');
    expect(states(t, 'payer').some((e) => e.what === 'sent htlc')).toBe(true);
    expect(states(t, 'payer-lsp').some((e) => e.what === 'holding htlc')).toBe(false);
    // The proof is the preimage of the payment hash in the recipient's signed invoice.
    const preimage = hexToBytes(t.proof.hex!.slice(0, 64));
    const invoice = verifyInvoice(decodeInvoice(hexToBytes(t.proof.hex!.slice(64))));
    expect(bytesToHex(sha256(preimage))).toBe(bytesToHex(invoice.fields.invoicePaymentHash!));
    expect(invoice.fields.invoiceAmount).toBe(AMOUNT_MSAT);
  });
});
