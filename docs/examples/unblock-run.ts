/**
 * One run of the `payment_unblock` variant: the same four nodes as the HTLC run, but the payer asks its
 * LSP to block the payment's hash and the recipient releases it with the payer's secret `pid`. Prints the
 * transcript's messages in order, the LSPS5 webhooks that wake the recipient, and the outcome.
 */
import { runUnblock } from '@asyncpay/htlc-async/unblock/run';
import { COMPARE_MATRIX } from '@asyncpay/ln/scheme';

const scenario = COMPARE_MATRIX[0]!; // the recipient is offline for a while, everyone is honest
const transcript = await runUnblock(scenario, { seed: 'docs' });

for (const e of transcript.events) {
  if (e.kind === 'message') console.log(`${e.from} → ${e.to}: ${e.name}, ${e.size} bytes (${e.fate})`);
  if (e.kind === 'http') console.log(`${e.from} → ${e.to}: webhook ${e.method}, HTTP ${e.status}`);
}
const { outcome, proof } = transcript;
console.log(`settled: ${outcome.settled} after ${Math.round(outcome.seconds)} s, proof: ${proof.kind}`);
