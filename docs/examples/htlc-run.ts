/**
 * One run of the HTLC scheme: four nodes (payer, payer's LSP, recipient's LSP, recipient) on a virtual
 * clock, every message really encoded, sent, decoded and authenticated. Prints the transcript's messages
 * in order (onion messages by their content), the LSPS5 webhook that wakes the recipient, and the outcome.
 */
import { runHtlc } from '@asyncpay/htlc-async/run';
import { COMPARE_MATRIX } from '@asyncpay/ln/scheme';

const scenario = COMPARE_MATRIX[0]!; // the recipient is offline for a while, everyone is honest
const transcript = await runHtlc(scenario, { seed: 'docs' });

for (const e of transcript.events) {
  if (e.kind === 'message') console.log(`${e.from} → ${e.to}: ${e.name}, ${e.size} bytes (${e.fate})`);
  if (e.kind === 'http') console.log(`${e.from} → ${e.to}: webhook ${e.method}, HTTP ${e.status}`);
}
const { outcome, proof } = transcript;
console.log(`settled: ${outcome.settled} after ${Math.round(outcome.seconds)} s, proof: ${proof.kind}`);
