/**
 * The HTLC scheme as the CLI, the comparison and the docs see it.
 */
import type { Scheme } from '@asyncpay/ln/scheme';
import { runHtlc } from './run.js';

/** The HTLC scheme, for `asyncpay demo htlc` and `asyncpay compare`. */
export const htlcScheme: Scheme = {
  id: 'htlc',
  title: 'HTLC hold with static invoices',
  summary:
    "The recipient's LSP serves a static invoice signed by the recipient. The payer picks the preimage, " +
    "sends the HTLC to its own LSP flagged hold_htlc, and tells the recipient (through its LSP's mailbox " +
    "and a push) that a payment waits. When the recipient comes online it asks the payer's LSP to release " +
    'the HTLC, and claims it with the preimage carried in the onion.',
  sources: [
    'lightning/bolts#1149 (draft): hold_htlc, held_htlc_available, release_held_htlc, static invoices',
    'LDK 0.2 (the deployed implementation; its wire numbers are the default profile)',
    'bLIP-55 / LSPS5 webhooks for wake-ups',
  ],
  canSteal:
    'No one: the preimage is encrypted to the recipient in the onion, and the static invoice is signed by the recipient, so neither LSP can claim or redirect the payment.',
  canCensor:
    "Either LSP: the recipient's LSP by not waking the recipient (or dropping held_htlc_available), the payer's LSP by not forwarding. The payer is refunded when the hold expires.",
  supportsRegtest: true,
  run: async (scenario, opts = {}) => {
    if (!opts.regtest) return runHtlc(scenario, opts);
    // On regtest: the on-chain fallback — a channel funded on chain, the payer's LSP dies while it
    // holds the HTLC, the payer force-closes and takes its money back through HTLC-timeout. A fresh
    // bitcoind is started (and always stopped) for the run; the scenario does not change that path.
    const [{ start }, { runHtlcForceClose }] = await Promise.all([
      import('@asyncpay/regtest/harness'),
      import('./regtest.js'),
    ]);
    const node = await start();
    try {
      return (await runHtlcForceClose(node, opts.seed ? { seed: opts.seed } : {})).transcript;
    } finally {
      await node.stop();
    }
  },
};
