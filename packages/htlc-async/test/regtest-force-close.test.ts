import type { Transcript } from '@asyncpay/ln/node/transcript';
import type { RegtestNode } from '@asyncpay/regtest/harness';
import { regtestAvailable, regtestNode } from '@asyncpay/regtest/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FORCE_CLOSE_CAPACITY_SAT,
  type ForceCloseReport,
  FUNDING_FEE_SAT,
  runHtlcForceClose,
} from '../src/regtest.js';
import { AMOUNT_MSAT } from '../src/run.js';

/** The fee each LSP charges for relaying 50,000 sat: 1000 msat base + 100 ppm (as in the scenarios). */
const FEE_MSAT = 6_000n;

const chainEvents = (t: Transcript) => t.events.flatMap((e) => (e.kind === 'chain' ? [e] : []));

describe.skipIf(!regtestAvailable())("on regtest: the payer's LSP stops answering while holding", () => {
  let node: RegtestNode;
  let transcript: Transcript;
  let report: ForceCloseReport;

  beforeAll(async () => {
    node = regtestNode();
    ({ transcript, report } = await runHtlcForceClose(node, { seed: 'force-close' }));
    for (const e of chainEvents(transcript)) {
      console.info(
        `  bitcoind: ${e.what}: ${e.txid} ${e.accepted ? 'accepted' : `rejected (${e.reason})`}, ${e.vbytes} vB`,
      );
    }
  }, 300_000);

  it('funds the channel from a coin of the payer: the 2-of-2 funding transaction is accepted and mined', async () => {
    const [funding] = chainEvents(transcript);
    expect(funding).toMatchObject({ what: 'funding', txid: report.funding.txid, accepted: true });
    expect(report.funding.outputSat).toBe(FORCE_CLOSE_CAPACITY_SAT);
    expect(report.funding.feeSat).toBe(FUNDING_FEE_SAT);
    expect((await node.waitForTx(report.funding.txid, { confirmations: 1 })).confirmations).toBeGreaterThan(
      0,
    );
    // …and it is spent now: by the force-close
    expect(await node.getUtxo(report.funding.txid, report.funding.vout)).toBeUndefined();
  });

  it('holds the HTLC at the payer’s LSP, which then dies for good; the recipient never comes back', () => {
    const states = transcript.events.flatMap((e) => (e.kind === 'state' ? [`${e.node}: ${e.what}`] : []));
    expect(states).toContain('payer-lsp: holding htlc');
    expect(states).toContain('payer-lsp: stopped answering');
    expect(states).not.toContain('payer-lsp: reply: release_held_htlc');
    expect(states).not.toContain('payer-lsp: failed back held htlc');
    expect(states).not.toContain('recipient: claimed payment');
    expect(transcript.outcome.settled).toBe(false);
  });

  it("force-closes: the commitment signed by the LSP's commitment_signed signature and the payer's is accepted and mined", async () => {
    const commit = chainEvents(transcript).find((e) => e.what === 'commitment (force-close)');
    expect(commit).toMatchObject({
      txid: report.commitment.txid,
      accepted: true,
      vbytes: report.commitment.vbytes,
    });
    // Commitment 1: the round that added the HTLC (0 is the one signed at funding time).
    expect(report.commitment.commitmentNumber).toBe(1);
    const tx = await node.waitForTx(report.commitment.txid, { confirmations: 1 });
    expect(tx.vin[0]).toMatchObject({ txid: report.funding.txid, vout: report.funding.vout });
    // The HTLC output is what the payer offered its LSP: the amount plus both LSPs' fees.
    expect(report.commitment.htlcSat * 1000n).toBe(AMOUNT_MSAT + 2n * FEE_MSAT);
    // The payer funded the channel and pays the commitment fee: 724 + 172 weight at 2500 sat/kw.
    expect(report.commitment.feeSat).toBe(((724n + 172n) * 2_500n) / 1000n);
    expect(report.commitment.toLocalSat).toBe(
      FORCE_CLOSE_CAPACITY_SAT - report.commitment.htlcSat - report.commitment.feeSat,
    );
  });

  it('HTLC-timeout: refused as non-final one block before cltv_expiry, accepted and mined at it', async () => {
    const [early, late] = chainEvents(transcript).filter((e) => e.what.startsWith('HTLC-timeout'));
    expect(early).toMatchObject({ accepted: false, reason: 'non-final', txid: report.htlcTimeout.txid });
    expect(report.htlcTimeout.earlyReason).toBe('non-final');
    expect(late).toMatchObject({ accepted: true, txid: report.htlcTimeout.txid });
    const tx = await node.waitForTx(report.htlcTimeout.txid, { confirmations: 1 });
    expect(tx.locktime).toBe(report.htlcTimeout.cltvExpiry);
    expect(tx.vin[0]?.txid).toBe(report.commitment.txid);
    // BOLT 3, no anchors: the HTLC-timeout fee is feerate_per_kw × 663 / 1000.
    expect(report.htlcTimeout.feeSat).toBe((2_500n * 663n) / 1000n);
  });

  it('sweeps to_local and the HTLC-timeout output after to_self_delay back to the payer’s wallet', async () => {
    const [early, late] = chainEvents(transcript).filter((e) => e.what.startsWith('sweep'));
    expect(early).toMatchObject({ accepted: false, reason: 'non-BIP68-final', txid: report.sweep.txid });
    expect(late).toMatchObject({ accepted: true, txid: report.sweep.txid });
    await node.waitForTx(report.sweep.txid, { confirmations: 1 });
    const utxo = await node.getUtxo(report.sweep.txid, 0);
    expect(utxo).toMatchObject({ value: report.recoveredSat, scriptPubKey: report.sweep.scriptPubKey });
    expect(utxo!.confirmations).toBeGreaterThanOrEqual(1);
  });

  it('the payer recovered its whole channel balance, HTLC included, minus the three transactions’ fees (exact sats)', () => {
    const { commitment, htlcTimeout, sweep } = report;
    // The sweep pays to_local plus the HTLC-timeout output, minus its own fee.
    expect(sweep.outputSat).toBe(commitment.toLocalSat + htlcTimeout.outputSat - sweep.feeSat);
    expect(htlcTimeout.outputSat).toBe(commitment.htlcSat - htlcTimeout.feeSat);
    expect(report.recoveredSat).toBe(
      FORCE_CLOSE_CAPACITY_SAT - commitment.feeSat - htlcTimeout.feeSat - sweep.feeSat,
    );
    console.info(
      `  payer recovered ${report.recoveredSat} sat of ${FORCE_CLOSE_CAPACITY_SAT} (HTLC ${commitment.htlcSat} sat; fees ${commitment.feeSat} + ${htlcTimeout.feeSat} + ${sweep.feeSat})`,
    );
  });

  it('reports the force-close path’s measured vsize as costs.onchainVbytes', () => {
    const { commitment, htlcTimeout, sweep } = report;
    expect(transcript.costs.onchainVbytes).toBe(commitment.vbytes + htlcTimeout.vbytes + sweep.vbytes);
    for (const e of chainEvents(transcript)) expect(e.vbytes).toBeGreaterThan(0);
    console.info(
      `  onchainVbytes = ${commitment.vbytes} + ${htlcTimeout.vbytes} + ${sweep.vbytes} = ${transcript.costs.onchainVbytes}`,
    );
  });
});
