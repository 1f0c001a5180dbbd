/**
 * Hand-built transcripts for the renderer and command tests. They are shaped like an HTLC-hold run
 * (payer, two LSPs, an offline recipient) so the output looks like the real thing, but they are test
 * data: no claim about how any scheme behaves.
 */
import type { Transcript, TranscriptEvent } from '@asyncpay/ln/node/transcript';
import type { ScenarioSpec, Scheme } from '@asyncpay/ln/scheme';

const START = 1_767_225_600;

const msg = (
  t: number,
  from: string,
  to: string,
  type: number,
  name: string,
  size: number,
  fate: 'delivered' | 'held' | 'released' | 'dropped' | 'refused' = 'delivered',
): TranscriptEvent => ({
  t: START + t,
  kind: 'message',
  from,
  to,
  type,
  name,
  size,
  hex: '00'.repeat(size),
  fate,
});

/** A transcript for `scenario`: the recipient comes back after its offline time (or never), then claims. */
export function fixtureTranscript(
  scenario: ScenarioSpec,
  seed = 'fixture',
  opts: { scheme?: string; proof?: Transcript['proof']; onchainVbytes?: number } = {},
): Transcript {
  const back = scenario.recipientOfflineSeconds;
  const settles = back !== null && scenario.lsp === 'honest';
  const events: TranscriptEvent[] = [
    { t: START, kind: 'online', node: 'recipient', online: false },
    msg(0.05, 'payer', 'payer-lsp', 513, 'invoice_request', 412),
    msg(0.1, 'recipient-lsp', 'payer', 513, 'static_invoice', 980),
    msg(0.15, 'payer', 'payer-lsp', 128, 'update_add_htlc', 1452),
    {
      t: START + 0.15,
      kind: 'state',
      node: 'payer-lsp',
      what: 'hold htlc',
      detail: { amount_msat: 50_000_000, cltv: 800_144 },
    },
    msg(0.2, 'payer', 'recipient-lsp', 513, 'held_htlc_available', 312, 'held'),
  ];
  if (scenario.lsp === 'thieving') {
    events.push({
      t: START + 0.3,
      kind: 'state',
      node: 'payer',
      what: 'refused static invoice',
      detail: { code: 'BAD_SIGNATURE' },
    });
  }
  if (back !== null && scenario.lsp !== 'censoring') {
    events.push(
      {
        t: START + 1,
        kind: 'http',
        from: 'recipient-lsp',
        to: 'recipient',
        method: 'POST',
        status: 200,
        size: 236,
      },
      { t: START + back, kind: 'online', node: 'recipient', online: true },
      msg(back + 0.05, 'recipient-lsp', 'recipient', 513, 'held_htlc_available', 312, 'released'),
      msg(back + 0.1, 'recipient', 'payer-lsp', 513, 'release_held_htlc', 148),
      {
        t: START + back + 0.1,
        kind: 'state',
        node: 'payer-lsp',
        what: 'release',
        detail: { reason: 'release_held_htlc' },
      },
      msg(back + 0.2, 'recipient-lsp', 'recipient', 128, 'update_add_htlc', 1452),
      msg(back + 0.3, 'recipient', 'recipient-lsp', 130, 'update_fulfill_htlc', 76),
      {
        t: START + back + 0.3,
        kind: 'state',
        node: 'recipient',
        what: 'claim',
        detail: { preimage: 'payer-chosen' },
      },
    );
  } else {
    events.push(
      {
        t: START + 86_400 * 2,
        kind: 'state',
        node: 'payer-lsp',
        what: 'fail-back',
        detail: { code: 'HOLD_EXPIRED' },
      },
      {
        t: START + 86_400 * 2 + 60,
        kind: 'chain',
        what: 'htlc-timeout',
        txid: 'ab'.repeat(32),
        vbytes: 166,
        accepted: true,
      },
    );
  }
  const last = events[events.length - 1]!.t - START;
  const amount = settles ? 50_000_000n : 0n;
  return {
    scheme: opts.scheme ?? 'fixture',
    scenario: scenario.id,
    seed,
    start: START,
    events,
    balances: {
      before: {
        payer: '1000000000',
        'payer-lsp': '5000000000',
        'recipient-lsp': '5000000000',
        recipient: '0',
      },
      after: {
        payer: String(1_000_000_000n - amount - (settles ? 1000n : 0n)),
        'payer-lsp': String(5_000_000_000n + (settles ? 1000n : 0n)),
        'recipient-lsp': '5000000000',
        recipient: String(amount),
      },
    },
    outcome: settles
      ? { settled: true, seconds: last }
      : { settled: false, code: 'HOLD_EXPIRED', seconds: last },
    proof: opts.proof ?? {
      kind: 'none',
      summary: 'The preimage was chosen by the payer, so holding it proves nothing about the recipient.',
      size: 0,
      binds: { payer: false, amount: false, text: false },
    },
    costs: {
      messages: events.filter((e) => e.kind === 'message').length,
      bytes: events.reduce((n, e) => n + (e.kind === 'message' ? e.size : 0), 0),
      roundTrips: settles ? 4 : 2,
      liquidityMsatBlocks: {
        'payer→payer-lsp': String(50_000_000 * Math.ceil(last / 600)),
        'recipient-lsp→recipient': settles ? '50000000' : '0',
      },
      ...(opts.onchainVbytes !== undefined ? { onchainVbytes: opts.onchainVbytes } : {}),
    },
  };
}

/** A receipt-style proof for the fixtures (96 bytes, binds everything). */
export const RECEIPT_PROOF: Transcript['proof'] = {
  kind: 'receipt',
  summary: "A signature by the recipient's key on the payer's receipt message.",
  hex: '11'.repeat(96),
  size: 96,
  binds: { payer: true, amount: true, text: true },
};

/**
 * TEST-ONLY fake schemes standing in for the real ones in command tests: they return fixture transcripts
 * and record the options they were run with.
 */
export function fakeTestScheme(
  id: string,
  extra: Partial<Scheme> & { proof?: Transcript['proof']; onchainVbytes?: number } = {},
): Scheme & { calls: { scenario: string; seed?: string; regtest?: boolean }[] } {
  const calls: { scenario: string; seed?: string; regtest?: boolean }[] = [];
  const { proof, onchainVbytes, ...rest } = extra;
  return {
    id,
    title: `Fake scheme ${id} (test only)`,
    summary: 'A test-only stand-in that returns a hand-built transcript.',
    sources: ['test fixture'],
    canSteal: 'nobody (test fixture)',
    canCensor: "the recipient's LSP (test fixture)",
    async run(scenario, opts) {
      calls.push({ scenario: scenario.id, seed: opts?.seed, regtest: opts?.regtest });
      return fixtureTranscript(scenario, opts?.seed, {
        scheme: id,
        ...(proof ? { proof } : {}),
        ...(onchainVbytes !== undefined ? { onchainVbytes } : {}),
      });
    },
    calls,
    ...rest,
  };
}
