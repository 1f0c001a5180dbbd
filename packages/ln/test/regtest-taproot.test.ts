import { adaptorPoint } from '@asyncpay/crypto/adaptor';
import { nonceAgg, nonceGen } from '@asyncpay/crypto/musig2/nonce';
import type { RegtestNode } from '@asyncpay/regtest/harness';
import { regtestAvailable, regtestNode } from '@asyncpay/regtest/vitest';
import { bytesToHex } from '@noble/hashes/utils.js';
import { type Transaction, Transaction as Tx } from 'bitcoinjs-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildClosingTx } from '../src/bolt3/closing.js';
import { obscuringFactor } from '../src/bolt3/commitment.js';
import { deriveRevocationPrivkey } from '../src/bolt3/keys.js';
import { p2wpkh } from '../src/bolt3/scripts.js';
import type { PrevOut } from '../src/bolt3/tx.js';
import {
  buildTaprootCommitment,
  type CommitmentPtlc,
  commitmentSighash,
  finalizeTaprootCommitment,
  TAPROOT_WEIGHTS,
  type TaprootCommitment,
} from '../src/taproot/commitment.js';
import {
  aggregateKeyPath,
  keyPathSighash,
  type MusigTaprootKey,
  partialSignKeyPath,
  taprootFundingOutput,
  verifyPartialKeyPath,
} from '../src/taproot/musig.js';
import { buildTaprootPenalty, signTaprootPenalty } from '../src/taproot/penalty.js';
import {
  buildClaimPtlcSuccess,
  buildClaimPtlcTimeout,
  buildPtlcSuccess,
  buildPtlcTimeout,
  completePtlcPresig,
  extractPtlcSecret,
  finalizePtlcSpend,
  finalizeSingleSigSpend,
  presignPtlc,
  signPtlcSpend,
  verifyPtlcPresig,
  verifyPtlcSignature,
} from '../src/taproot/spends.js';
import {
  acceptAndConfirm,
  addressOf,
  alice,
  bob,
  commitmentKeys,
  expectRejected,
  mineTo,
} from './regtest-fixtures.js';

const CAPACITY = 1_000_000n;

/** An RPC call the harness does not type (getnetworkinfo, generateblock). */
function rpc(node: RegtestNode, method: string, params: unknown[]): Promise<unknown> {
  return (node.rpc.call as unknown as (m: string, p: unknown[]) => Promise<unknown>).call(
    node.rpc,
    method,
    params,
  );
}
const fundingKey = taprootFundingOutput(alice.fundingPubkey, bob.fundingPubkey);

async function openChannel(node: RegtestNode): Promise<PrevOut & { key: MusigTaprootKey }> {
  const { txid, vout } = await node.fund(addressOf(fundingKey.scriptPubKey), CAPACITY);
  await node.mine(1);
  const utxo = await node.getUtxo(txid, vout);
  expect(utxo).toMatchObject({ value: CAPACITY, scriptPubKey: bytesToHex(fundingKey.scriptPubKey) });
  expect(utxo!.confirmations).toBeGreaterThanOrEqual(1);
  return { txid, vout, amountSat: CAPACITY, key: fundingKey };
}

/** Alice and Bob run one MuSig2 session on `msg`; Alice checks Bob's partial signature. */
function musig2(msg: Uint8Array): Uint8Array {
  const a = nonceGen({ pk: alice.fundingPubkey, sk: alice.fundingPrivkey, msg });
  const b = nonceGen({ pk: bob.fundingPubkey, sk: bob.fundingPrivkey, msg });
  const byKey = (pk: Uint8Array) => (bytesToHex(pk) === bytesToHex(alice.fundingPubkey) ? a : b);
  const pubnonces = fundingKey.pubkeys.map((pk) => byKey(pk).pubnonce);
  const aggnonce = nonceAgg(pubnonces);
  const pa = partialSignKeyPath(fundingKey, msg, aggnonce, a.secnonce, alice.fundingPrivkey);
  const pb = partialSignKeyPath(fundingKey, msg, aggnonce, b.secnonce, bob.fundingPrivkey);
  verifyPartialKeyPath(fundingKey, msg, pubnonces, pb, bob.fundingPubkey);
  verifyPartialKeyPath(fundingKey, msg, pubnonces, pa, alice.fundingPubkey);
  return aggregateKeyPath(fundingKey, msg, aggnonce, [pa, pb]);
}

describe.skipIf(!regtestAvailable())('taproot channel with PTLCs on regtest', () => {
  let node: RegtestNode;
  beforeAll(() => {
    node = regtestNode();
  });

  it('opens a taproot channel: the MuSig2 key-path funding output confirms', async () => {
    const funding = await openChannel(node);
    expect(funding.amountSat).toBe(CAPACITY);
  });

  it('closes cooperatively with one MuSig2 key-path signature', async () => {
    const funding = await openChannel(node);
    const { tx } = buildClosingTx({
      funding,
      localFundingPubkey: alice.fundingPubkey,
      remoteFundingPubkey: bob.fundingPubkey,
      localScriptPubKey: p2wpkh(alice.paymentBasepoint),
      remoteScriptPubKey: p2wpkh(bob.paymentBasepoint),
      toLocalMsat: 600_000_000n,
      toRemoteMsat: 400_000_000n,
      feeSat: 500n,
      localIsFunder: true,
      dustLimitSat: 330n,
    });
    const msg = keyPathSighash(tx, 0, [{ scriptPubKey: fundingKey.scriptPubKey, amountSat: CAPACITY }]);
    tx.setWitness(0, [musig2(msg)]);
    await acceptAndConfirm(node, tx);
    expect(await node.getUtxo(funding.txid, funding.vout)).toBeUndefined();
  });

  describe('force-close with two offered PTLCs', () => {
    const keys = commitmentKeys(alice, bob, 0n);
    // PTLC keys are derived like HTLC keys (from the htlc basepoints and the per-commitment point).
    const localPtlc = { pub: keys.keys.localHtlcPubkey, priv: keys.localHtlcPrivkey };
    const remotePtlc = { pub: keys.keys.remoteHtlcPubkey, priv: keys.remoteHtlcPrivkey };
    const secret1 = new Uint8Array(32).fill(0x71);
    const secret2 = new Uint8Array(32).fill(0x72);
    let commitment: TaprootCommitment;
    let paid: CommitmentPtlc;
    let expiring: CommitmentPtlc;

    it("force-closes: bitcoind accepts Alice's taproot commitment signed with MuSig2", async () => {
      const funding = await openChannel(node);
      const tip = await node.getBlockCount();
      paid = {
        direction: 'offered',
        amountMsat: 60_000_000n,
        paymentPoint: adaptorPoint(secret1),
        cltvExpiry: tip + 40,
        id: 1,
      };
      expiring = {
        direction: 'offered',
        amountMsat: 50_000_000n,
        paymentPoint: adaptorPoint(secret2),
        cltvExpiry: tip + 15,
        id: 2,
      };
      commitment = buildTaprootCommitment({
        funding,
        commitmentNumber: 0n,
        obscuringFactor: obscuringFactor(alice.paymentBasepoint, bob.paymentBasepoint),
        toSelfDelay: 144,
        dustLimitSat: 330n,
        feeratePerKw: 2_500n,
        toLocalMsat: 590_000_000n,
        toRemoteMsat: 300_000_000n,
        localIsFunder: true,
        ptlcs: [paid, expiring],
        keys: {
          revocationPubkey: keys.keys.revocationPubkey,
          localDelayedPubkey: keys.keys.localDelayedPubkey,
          remotePaymentPubkey: bob.paymentBasepoint,
          localPtlcPubkey: localPtlc.pub,
          remotePtlcPubkey: remotePtlc.pub,
        },
      });
      expect(commitment.outputs.map((o) => o.kind).sort()).toEqual([
        'ptlc_offered',
        'ptlc_offered',
        'to_local',
        'to_remote',
      ]);
      const tx = finalizeTaprootCommitment(commitment, musig2(commitmentSighash(commitment)));
      expect(BigInt(tx.weight())).toBe(TAPROOT_WEIGHTS.commitment + 2n * TAPROOT_WEIGHTS.ptlcOutput);
      await acceptAndConfirm(node, tx);
    });

    it("claim-PTLC-success: Bob completes Alice's adaptor signature with the secret; a wrong secret is refused; Alice extracts the secret", async () => {
      const vout = commitment.outputs.findIndex((o) => 'ptlc' in o && o.ptlc.id === paid.id);
      const claim = buildClaimPtlcSuccess(commitment, vout, p2wpkh(bob.paymentBasepoint));
      // Alice (the commitment's owner, who offered the PTLC) pre-signs with adaptor point T = t·G.
      const pre = presignPtlc(claim, localPtlc.priv);
      verifyPtlcPresig(claim, pre, localPtlc.pub);
      const bobSig = signPtlcSpend(claim, remotePtlc.priv);
      // Leaf: <local_ptlcpubkey> CHECKSIGVERIFY <remote_ptlcpubkey> CHECKSIGVERIFY 1 CSV
      const wrong = finalizePtlcSpend(claim, completePtlcPresig(pre, secret2), bobSig);
      expect(await expectRejected(node, wrong)).toBe(
        'mempool-script-verify-flag-failed (Invalid Schnorr signature)',
      );
      const completed = completePtlcPresig(pre, secret1);
      verifyPtlcSignature(claim, completed, localPtlc.pub);
      const signed = finalizePtlcSpend(claim, completed, bobSig);
      expect(signed.weight()).toBe(Number(TAPROOT_WEIGHTS.claimPtlcSuccess));
      const { txid } = await acceptAndConfirm(node, signed);
      // Alice reads the confirmed claim and learns t: her proof of payment.
      const mined: Transaction = Tx.fromHex((await node.rpc.call('getrawtransaction', [txid, true])).hex);
      expect(bytesToHex(extractPtlcSecret(claim, pre, mined, 1))).toBe(bytesToHex(secret1));
    });

    it('PTLC-timeout is rejected as non-final before cltv_expiry and accepted once the chain reaches it', async () => {
      const vout = commitment.outputs.findIndex((o) => 'ptlc' in o && o.ptlc.id === expiring.id);
      const timeout = buildPtlcTimeout(commitment, vout);
      expect(timeout.tx.locktime).toBe(expiring.cltvExpiry);
      // Bob pre-signs Alice's timeout with commitment_signed; Alice adds hers when it is time.
      const bobSig = signPtlcSpend(timeout, remotePtlc.priv);
      verifyPtlcSignature(timeout, bobSig, remotePtlc.pub);
      // Leaf: <remote_ptlcpubkey> CHECKSIGVERIFY <local_ptlcpubkey> CHECKSIGVERIFY 1 CSV
      const tx = finalizePtlcSpend(timeout, bobSig, signPtlcSpend(timeout, localPtlc.priv));
      expect(tx.weight()).toBe(Number(TAPROOT_WEIGHTS.ptlcSecondStage));
      await mineTo(node, expiring.cltvExpiry - 1);
      expect(await expectRejected(node, tx)).toBe('non-final');
      await mineTo(node, expiring.cltvExpiry);
      const { txid } = await acceptAndConfirm(node, tx);
      expect((await node.getUtxo(txid, 0))?.scriptPubKey).toBe(bytesToHex(timeout.secondLevel!.scriptPubKey));
    });
  });
  describe("force-close of Bob's commitment with two received PTLCs", () => {
    const keys = commitmentKeys(bob, alice, 0n);
    const bobPtlc = { pub: keys.keys.localHtlcPubkey, priv: keys.localHtlcPrivkey };
    const alicePtlc = { pub: keys.keys.remoteHtlcPubkey, priv: keys.remoteHtlcPrivkey };
    const secret = new Uint8Array(32).fill(0x73);
    let commitment: TaprootCommitment;
    let paid: CommitmentPtlc;
    let expiring: CommitmentPtlc;

    it("force-closes: bitcoind accepts Bob's taproot commitment (Alice, the funder, pays its fee)", async () => {
      const funding = await openChannel(node);
      const tip = await node.getBlockCount();
      paid = {
        direction: 'received',
        amountMsat: 70_000_000n,
        paymentPoint: adaptorPoint(secret),
        cltvExpiry: tip + 40,
        id: 3,
      };
      expiring = {
        direction: 'received',
        amountMsat: 45_000_000n,
        paymentPoint: adaptorPoint(new Uint8Array(32).fill(0x74)),
        cltvExpiry: tip + 12,
        id: 4,
      };
      commitment = buildTaprootCommitment({
        funding,
        commitmentNumber: 0n,
        obscuringFactor: obscuringFactor(alice.paymentBasepoint, bob.paymentBasepoint),
        toSelfDelay: 144,
        dustLimitSat: 330n,
        feeratePerKw: 2_500n,
        toLocalMsat: 300_000_000n,
        toRemoteMsat: 585_000_000n,
        localIsFunder: false,
        ptlcs: [paid, expiring],
        keys: {
          revocationPubkey: keys.keys.revocationPubkey,
          localDelayedPubkey: keys.keys.localDelayedPubkey,
          remotePaymentPubkey: alice.paymentBasepoint,
          localPtlcPubkey: bobPtlc.pub,
          remotePtlcPubkey: alicePtlc.pub,
        },
      });
      expect(commitment.outputs.map((o) => o.kind).sort()).toEqual([
        'ptlc_received',
        'ptlc_received',
        'to_local',
        'to_remote',
      ]);
      await acceptAndConfirm(
        node,
        finalizeTaprootCommitment(commitment, musig2(commitmentSighash(commitment))),
      );
    });

    it("PTLC-success: Bob completes Alice's adaptor signature with the secret and Alice extracts it", async () => {
      const vout = commitment.outputs.findIndex((o) => 'ptlc' in o && o.ptlc.id === paid.id);
      const success = buildPtlcSuccess(commitment, vout);
      // Alice pays: she pre-signs Bob's PTLC-success with adaptor point T; Bob checks it before he releases t.
      const pre = presignPtlc(success, alicePtlc.priv);
      verifyPtlcPresig(success, pre, alicePtlc.pub);
      // Leaf: <remote_ptlcpubkey> CHECKSIGVERIFY <local_ptlcpubkey> CHECKSIGVERIFY 1 CSV
      const tx = finalizePtlcSpend(
        success,
        completePtlcPresig(pre, secret),
        signPtlcSpend(success, bobPtlc.priv),
      );
      expect(tx.weight()).toBe(Number(TAPROOT_WEIGHTS.ptlcSecondStage));
      const { txid } = await acceptAndConfirm(node, tx);
      const mined: Transaction = Tx.fromHex((await node.rpc.call('getrawtransaction', [txid, true])).hex);
      expect(bytesToHex(extractPtlcSecret(success, pre, mined, 1))).toBe(bytesToHex(secret));
    });

    it("claim-PTLC-timeout: the leaf's own CHECKLOCKTIMEVERIFY refuses an early locktime; non-final before the expiry; accepted at it", async () => {
      const vout = commitment.outputs.findIndex((o) => 'ptlc' in o && o.ptlc.id === expiring.id);
      const to = p2wpkh(alice.paymentBasepoint);
      const claim = buildClaimPtlcTimeout(commitment, vout, to);
      const tx = finalizeSingleSigSpend(claim, signPtlcSpend(claim, alicePtlc.priv));
      await mineTo(node, expiring.cltvExpiry - 1);
      expect(await expectRejected(node, tx)).toBe('non-final');
      // A final transaction whose locktime is below cltv_expiry fails the script instead.
      const early = buildClaimPtlcTimeout(commitment, vout, to, expiring.cltvExpiry - 1);
      const earlyTx = finalizeSingleSigSpend(early, signPtlcSpend(early, alicePtlc.priv));
      expect(await expectRejected(node, earlyTx)).toBe(
        'mempool-script-verify-flag-failed (Locktime requirement not satisfied)',
      );
      await mineTo(node, expiring.cltvExpiry);
      await acceptAndConfirm(node, tx);
    });
  });
  it('punishes a revoked taproot commitment: to_local by the revocation leaf, each PTLC by a MuSig2 key path', async () => {
    const funding = await openChannel(node);
    const tip = await node.getBlockCount();
    const keys = commitmentKeys(alice, bob, 0n);
    const c = buildTaprootCommitment({
      funding,
      commitmentNumber: 0n,
      obscuringFactor: obscuringFactor(alice.paymentBasepoint, bob.paymentBasepoint),
      toSelfDelay: 144,
      dustLimitSat: 330n,
      feeratePerKw: 2_500n,
      toLocalMsat: 600_000_000n,
      toRemoteMsat: 310_000_000n,
      localIsFunder: true,
      ptlcs: [
        {
          direction: 'offered',
          amountMsat: 50_000_000n,
          paymentPoint: adaptorPoint(new Uint8Array(32).fill(5)),
          cltvExpiry: tip + 50,
        },
        {
          direction: 'received',
          amountMsat: 40_000_000n,
          paymentPoint: adaptorPoint(new Uint8Array(32).fill(6)),
          cltvExpiry: tip + 50,
        },
      ],
      keys: {
        revocationPubkey: keys.keys.revocationPubkey,
        localDelayedPubkey: keys.keys.localDelayedPubkey,
        remotePaymentPubkey: bob.paymentBasepoint,
        localPtlcPubkey: keys.keys.localHtlcPubkey,
        remotePtlcPubkey: keys.keys.remoteHtlcPubkey,
      },
    });
    // Alice revoked commitment 0 (Bob holds its per-commitment secret) and broadcasts it anyway.
    await acceptAndConfirm(node, finalizeTaprootCommitment(c, musig2(commitmentSighash(c))));
    const revocationPrivkey = deriveRevocationPrivkey(bob.revocationSecret, keys.perCommitmentSecret);
    const penalty = buildTaprootPenalty(c, p2wpkh(bob.paymentBasepoint), 2_500n);
    expect(penalty.inputs.map((i) => i.path).sort()).toEqual([
      'ptlc_key_path',
      'ptlc_key_path',
      'to_local_revocation',
    ]);
    const tx = signTaprootPenalty(penalty, revocationPrivkey, keys.remoteHtlcPrivkey);
    const { subversion } = (await rpc(node, 'getnetworkinfo', [])) as { subversion: string };
    const verdict = await node.testMempoolAccept(tx.toHex());
    let txid: string;
    if (verdict.allowed) {
      ({ txid } = await acceptAndConfirm(node, tx));
    } else {
      // Bitcoin Knots' default policy counts the revocation leaf's "<local_delayedpubkey> OP_DROP" as
      // data carrying (-acceptnonstddatacarrier=0). Consensus accepts it: mine it directly in a block.
      expect(subversion).toMatch(/Knots/);
      expect(verdict.rejectReason).toBe('txn-datacarrier-nonstandard');
      console.info(
        `  bitcoind: ${tx.getId()} rejected by policy: ${verdict.rejectReason}; mining it with generateblock`,
      );
      const ptlcsOnly = buildTaprootPenalty(c, p2wpkh(bob.paymentBasepoint), 2_500n, 'ptlc_key_path');
      await acceptAndConfirm(node, signTaprootPenalty(ptlcsOnly, revocationPrivkey, keys.remoteHtlcPrivkey));
      const toLocalOnly = buildTaprootPenalty(c, p2wpkh(bob.paymentBasepoint), 2_500n, 'to_local_revocation');
      const sweep = signTaprootPenalty(toLocalOnly, revocationPrivkey, keys.remoteHtlcPrivkey);
      await rpc(node, 'generateblock', [node.info.miningAddress, [sweep.toHex()]]);
      txid = sweep.getId();
      const mined = await node.waitForTx(txid, { confirmations: 1 });
      expect(mined.confirmations).toBeGreaterThanOrEqual(1);
      console.info(`  bitcoind: ${txid} mined by generateblock with ${mined.confirmations} confirmation(s)`);
      expect((await node.getUtxo(txid, 0))?.value).toBe(sweep.outs[0]!.value);
      return;
    }
    expect((await node.getUtxo(txid, 0))?.value).toBe(tx.outs[0]!.value);
  });
});
