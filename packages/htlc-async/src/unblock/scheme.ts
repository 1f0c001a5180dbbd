/**
 * The `payment_unblock` variant as the CLI, the comparison and the docs see it.
 *
 * @example
 * ```ts
 * import { unblockScheme } from '@asyncpay/htlc-async/unblock/scheme';
 * const t = await unblockScheme.run(COMPARE_MATRIX[0]!, { seed: 'demo' });
 * unblockScheme.verifyProof!(t); // true when it settled
 * ```
 */
import type { Transcript } from '@asyncpay/ln/node/transcript';
import type { Scheme } from '@asyncpay/ln/scheme';
import { verifyPreimageProof } from './proof.js';
import { runUnblock } from './run.js';

/**
 * The offers the recipient published in a run (its `offer published` events): what a verifier knows of
 * the recipient without the payer's word, as a shop's offer is on its page. The proof carries no offer,
 * and one taken from it would prove nothing (anyone can sign an invoice for an offer of their own).
 */
export function publishedOffers(t: Transcript): string[] {
  return t.events.flatMap((e) =>
    e.kind === 'state' &&
    e.node === 'recipient' &&
    e.what === 'offer published' &&
    typeof e.detail?.offer === 'string'
      ? [e.detail.offer]
      : [],
  );
}

/** HTLC hold at the payer's LSP, released by the recipient showing the payer's secret `pid`. */
export const unblockScheme: Scheme = {
  id: 'unblock',
  title: 'HTLC hold released with payment_unblock (Lightning Rod 2022)',
  summary:
    "While the recipient is online, the payer fetches a normal BOLT 12 invoice: the payment hash is the recipient's. To pay, the payer draws a secret pid, asks its LSP by onion message to block the HTLC with that hash until someone shows pid (the LSP stores only SHA256(pid)), waits for the LSP to confirm the hold, sends the HTLC (no confirmation, no HTLC: a lost hold request never lets it through), and sends pid to the recipient over the offer's path; the recipient's LSP keeps that message and wakes the recipient with an LSPS5 push. The payer may go offline. The woken recipient sends pid to the payer's LSP inside its encrypted_data_tlv; the LSP checks the hash, forwards the HTLC, and the recipient settles with its own preimage — the payer's proof of payment. Without a valid release the LSP fails the HTLC back before its CLTV expiry.",
  sources: [
    'breez/LightningRod README, commit b5ce2c5 (2022-05-02): payment_unblock',
    'M. Corallo, lightning-dev 2021-10-13, "A Mobile Lightning User Goes to Pay a Mobile Lightning User..."',
    'Wire numbers of this project: packages/codec/src/async/UNBLOCK.md',
    'Fail-back buffer: LDK HTLC_FAIL_BACK_BUFFER (36 + 3 blocks)',
  ],
  canSteal:
    "Nobody. The money is an HTLC locked to the recipient's payment hash; only the recipient knows the preimage. The payer's LSP stores SHA256(pid), not pid, so it cannot fake a release, and releasing only lets the HTLC go where the payer's onion sends it.",
  canCensor:
    "The payer's LSP (it can refuse to forward, or fail the HTLC back early) and the recipient's LSP (it can withhold the wake-up or the pid message). Either way the payer is refunded when the HTLC fails back, before its CLTV expiry.",
  run: runUnblock,
  // The proof must answer an offer the recipient published (its issuer key, its records): see `proof.ts`.
  verifyProof: (t) => {
    const hex = t.proof.kind === 'preimage' ? t.proof.hex : undefined;
    return hex !== undefined && publishedOffers(t).some((offer) => verifyPreimageProof(hex, offer));
  },
};
