import type { RegtestNode } from '@asyncpay/regtest/harness';
import { regtestAvailable, regtestNode } from '@asyncpay/regtest/vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildClosingTx, finalizeClosingTx, signClosingTx } from '../src/bolt3/closing.js';
import {
  buildCommitment,
  type Commitment,
  type CommitmentHtlc,
  finalizeCommitment,
  obscuringFactor,
  signCommitment,
} from '../src/bolt3/commitment.js';
import { fundingOutput } from '../src/bolt3/funding.js';
import {
  buildHtlcTxs,
  finalizeHtlcTx,
  finalizeHtlcTxUnchecked,
  type HtlcTx,
  signHtlcTx,
} from '../src/bolt3/htlc-tx.js';
import { deriveRevocationPrivkey } from '../src/bolt3/keys.js';
import { p2wpkh } from '../src/bolt3/scripts.js';
import { FIRST_SECRET_INDEX, generateFromSeed, ShachainStore } from '../src/bolt3/shachain.js';
import {
  buildDelayedSweep,
  buildPeerClaim,
  buildPenaltyTx,
  finalizePeerClaim,
  finalizeSweep,
  signPeerClaim,
  signSweepInput,
} from '../src/bolt3/sweep.js';
import type { PrevOut } from '../src/bolt3/tx.js';
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

/** Fund Alice and Bob's 2-of-2 from the node's wallet and wait for one confirmation. */
async function openChannel(node: RegtestNode): Promise<PrevOut> {
  const { scriptPubKey } = fundingOutput(alice.fundingPubkey, bob.fundingPubkey);
  const { txid, vout } = await node.fund(addressOf(scriptPubKey), CAPACITY);
  await node.mine(1);
  const utxo = await node.getUtxo(txid, vout);
  expect(utxo).toMatchObject({ value: CAPACITY, scriptPubKey: Buffer.from(scriptPubKey).toString('hex') });
  expect(utxo!.confirmations).toBeGreaterThanOrEqual(1);
  return { txid, vout, amountSat: CAPACITY };
}

describe.skipIf(!regtestAvailable())('BOLT 3 channel on regtest', () => {
  let node: RegtestNode;
  beforeAll(() => {
    node = regtestNode();
  });

  it('opens a channel: the P2WSH 2-of-2 funding output confirms', async () => {
    const funding = await openChannel(node);
    expect(funding.amountSat).toBe(CAPACITY);
  });

  it('closes cooperatively: bitcoind accepts the closing transaction signed by both funding keys', async () => {
    const funding = await openChannel(node);
    const spec = {
      funding,
      localFundingPubkey: alice.fundingPubkey,
      remoteFundingPubkey: bob.fundingPubkey,
      localScriptPubKey: p2wpkh(alice.paymentBasepoint),
      remoteScriptPubKey: p2wpkh(bob.paymentBasepoint),
      toLocalMsat: 700_000_000n,
      toRemoteMsat: 300_000_000n,
      feeSat: 1_000n,
      localIsFunder: true,
      dustLimitSat: 546n,
    };
    const ours = buildClosingTx(spec);
    // Bob builds the same transaction from his side and signs it.
    const theirs = buildClosingTx({
      ...spec,
      localFundingPubkey: bob.fundingPubkey,
      remoteFundingPubkey: alice.fundingPubkey,
      localScriptPubKey: spec.remoteScriptPubKey,
      remoteScriptPubKey: spec.localScriptPubKey,
      toLocalMsat: spec.toRemoteMsat,
      toRemoteMsat: spec.toLocalMsat,
      localIsFunder: false,
    });
    expect(theirs.tx.toHex()).toBe(ours.tx.toHex());
    const tx = finalizeClosingTx(
      ours,
      signClosingTx(ours, alice.fundingPrivkey),
      signClosingTx(theirs, bob.fundingPrivkey),
    );
    const { txid } = await acceptAndConfirm(node, tx);
    expect(await node.getUtxo(funding.txid, funding.vout)).toBeUndefined();
    // BIP 69 order: Bob's 300 000 sat first, then Alice's 700 000 minus the 1 000 sat fee she pays
    expect((await node.getUtxo(txid, 0))?.value).toBe(300_000n);
    expect((await node.getUtxo(txid, 1))?.value).toBe(699_000n);
  });

  describe('force-close with HTLCs', () => {
    const preimage = new Uint8Array(32).fill(0x5a);
    const keys = commitmentKeys(alice, bob, 0n);
    let commitment: Commitment;
    let htlcTxs: HtlcTx[];
    let offered: CommitmentHtlc;

    it("force-closes: bitcoind accepts Alice's commitment signed by both funding keys", async () => {
      const funding = await openChannel(node);
      const tip = await node.getBlockCount();
      offered = {
        direction: 'offered',
        amountMsat: 50_000_000n,
        paymentHash: sha256(new Uint8Array(32).fill(1)),
        cltvExpiry: tip + 20,
        id: 0,
      };
      const received: CommitmentHtlc = {
        direction: 'received',
        amountMsat: 40_000_000n,
        paymentHash: sha256(preimage),
        cltvExpiry: tip + 40,
        id: 1,
      };
      commitment = buildCommitment({
        funding,
        commitmentNumber: 0n,
        obscuringFactor: obscuringFactor(alice.paymentBasepoint, bob.paymentBasepoint),
        toSelfDelay: 144,
        dustLimitSat: 546n,
        feeratePerKw: 2_500n,
        toLocalMsat: 600_000_000n,
        toRemoteMsat: 310_000_000n,
        localIsFunder: true,
        htlcs: [offered, received],
        keys: keys.keys,
      });
      expect(commitment.outputs.map((o) => o.kind).sort()).toEqual([
        'htlc_offered',
        'htlc_received',
        'to_local',
        'to_remote',
      ]);
      const tx = finalizeCommitment(
        commitment,
        signCommitment(commitment, alice.fundingPrivkey),
        signCommitment(commitment, bob.fundingPrivkey),
      );
      await acceptAndConfirm(node, tx);
      htlcTxs = buildHtlcTxs(commitment);
    });

    it('HTLC-timeout is rejected as non-final before cltv_expiry and accepted once the chain reaches it', async () => {
      const h = htlcTxs.find((x) => x.type === 'htlc-timeout')!;
      expect(h.tx.locktime).toBe(offered.cltvExpiry);
      const tx = finalizeHtlcTx(
        h,
        signHtlcTx(h, keys.remoteHtlcPrivkey, 'remote'),
        signHtlcTx(h, keys.localHtlcPrivkey, 'local'),
      );
      // The next block would be cltv_expiry: a transaction locked to it is not final yet.
      await mineTo(node, offered.cltvExpiry - 1);
      expect(await expectRejected(node, tx)).toBe('non-final');
      await mineTo(node, offered.cltvExpiry);
      await acceptAndConfirm(node, tx);
    });

    it('HTLC-success is rejected with a wrong preimage and accepted with the right one', async () => {
      const h = htlcTxs.find((x) => x.type === 'htlc-success')!;
      const remote = signHtlcTx(h, keys.remoteHtlcPrivkey, 'remote');
      const local = signHtlcTx(h, keys.localHtlcPrivkey, 'local');
      const wrong = finalizeHtlcTxUnchecked(h, remote, local, new Uint8Array(32).fill(0x5b));
      const reason = await expectRejected(node, wrong);
      // "OP_HASH160 <RIPEMD160(payment_hash)> OP_EQUALVERIFY" fails on the wrong preimage
      expect(reason).toBe('mempool-script-verify-flag-failed (Script failed an OP_EQUALVERIFY operation)');
      await acceptAndConfirm(node, finalizeHtlcTx(h, remote, local, preimage));
    });

    it('to_local: the delayed sweep is non-BIP68-final before to_self_delay blocks and accepted after', async () => {
      const sweep = buildDelayedSweep(commitment, p2wpkh(alice.paymentBasepoint), 2_500n);
      const tx = finalizeSweep(sweep, [signSweepInput(sweep, 0, keys.localDelayedPrivkey)]);
      expect(tx.ins[0]!.sequence).toBe(144);
      expect(await expectRejected(node, tx)).toBe('non-BIP68-final');
      const { confirmations } = await node.waitForTx(commitment.tx.getId(), { confirmations: 1 });
      // BIP 68: the sweep may enter the next block once the commitment has to_self_delay confirmations
      await node.mine(143 - (confirmations ?? 0));
      expect(await expectRejected(node, tx)).toBe('non-BIP68-final');
      await node.mine(1);
      await acceptAndConfirm(node, tx);
    });
  });
  it('punishes a revoked commitment: Bob takes to_local and both HTLC outputs with the revocation key', async () => {
    const funding = await openChannel(node);
    const tip = await node.getBlockCount();
    const keys = commitmentKeys(alice, bob, 0n);
    const commitment = buildCommitment({
      funding,
      commitmentNumber: 0n,
      obscuringFactor: obscuringFactor(alice.paymentBasepoint, bob.paymentBasepoint),
      toSelfDelay: 144,
      dustLimitSat: 546n,
      feeratePerKw: 2_500n,
      toLocalMsat: 600_000_000n,
      toRemoteMsat: 310_000_000n,
      localIsFunder: true,
      htlcs: [
        {
          direction: 'offered',
          amountMsat: 50_000_000n,
          paymentHash: sha256(Uint8Array.of(1)),
          cltvExpiry: tip + 100,
        },
        {
          direction: 'received',
          amountMsat: 40_000_000n,
          paymentHash: sha256(Uint8Array.of(2)),
          cltvExpiry: tip + 100,
        },
      ],
      keys: keys.keys,
    });
    const revoked = finalizeCommitment(
      commitment,
      signCommitment(commitment, alice.fundingPrivkey),
      signCommitment(commitment, bob.fundingPrivkey),
    );
    // Alice moves to commitment 1 and reveals the secret of commitment 0 in revoke_and_ack; Bob stores it.
    const store = new ShachainStore();
    store.insertSecret(generateFromSeed(alice.seed, FIRST_SECRET_INDEX), FIRST_SECRET_INDEX);
    // …and then she broadcasts the revoked commitment anyway.
    await acceptAndConfirm(node, revoked);
    const revocationPrivkey = deriveRevocationPrivkey(
      bob.revocationSecret,
      store.deriveOldSecret(FIRST_SECRET_INDEX),
    );
    const penalty = buildPenaltyTx(commitment, p2wpkh(bob.paymentBasepoint), 2_500n);
    expect(penalty.inputs.map((i) => i.path).sort()).toEqual([
      'revoked_htlc',
      'revoked_htlc',
      'revoked_to_local',
    ]);
    const tx = finalizeSweep(
      penalty,
      penalty.inputs.map((_, i) => signSweepInput(penalty, i, revocationPrivkey)),
    );
    const { txid } = await acceptAndConfirm(node, tx);
    expect((await node.getUtxo(txid, 0))?.value).toBe(tx.outs[0]!.value);
  });
  it("lets Bob claim from Alice's commitment: her offered HTLC with the preimage, her received HTLC after its expiry, and to_remote", async () => {
    const funding = await openChannel(node);
    const tip = await node.getBlockCount();
    const keys = commitmentKeys(alice, bob, 0n);
    const preimage = new Uint8Array(32).fill(0x77);
    const commitment = buildCommitment({
      funding,
      commitmentNumber: 0n,
      obscuringFactor: obscuringFactor(alice.paymentBasepoint, bob.paymentBasepoint),
      toSelfDelay: 144,
      dustLimitSat: 546n,
      feeratePerKw: 2_500n,
      toLocalMsat: 600_000_000n,
      toRemoteMsat: 310_000_000n,
      localIsFunder: true,
      htlcs: [
        {
          direction: 'offered',
          amountMsat: 50_000_000n,
          paymentHash: sha256(preimage),
          cltvExpiry: tip + 100,
        },
        {
          direction: 'received',
          amountMsat: 40_000_000n,
          paymentHash: sha256(Uint8Array.of(9)),
          cltvExpiry: tip + 10,
        },
      ],
      keys: keys.keys,
    });
    await acceptAndConfirm(
      node,
      finalizeCommitment(
        commitment,
        signCommitment(commitment, alice.fundingPrivkey),
        signCommitment(commitment, bob.fundingPrivkey),
      ),
    );
    const to = p2wpkh(bob.paymentBasepoint);
    const vout = (kind: string) => commitment.outputs.findIndex((o) => o.kind === kind);

    // "<remotehtlcsig> <payment_preimage>"
    const byPreimage = buildPeerClaim(commitment, vout('htlc_offered'), to, 2_500n);
    await acceptAndConfirm(
      node,
      finalizePeerClaim(byPreimage, signPeerClaim(byPreimage, keys.remoteHtlcPrivkey), preimage),
    );

    // "<remotehtlcsig> <>" once the chain reaches cltv_expiry
    const htlc = commitment.outputs[vout('htlc_received')]!;
    const timeout = buildPeerClaim(commitment, vout('htlc_received'), to, 2_500n);
    const timeoutTx = finalizePeerClaim(
      timeout,
      signPeerClaim(timeout, keys.remoteHtlcPrivkey),
      new Uint8Array(0),
    );
    const cltv = 'htlc' in htlc ? htlc.htlc.cltvExpiry : 0;
    await mineTo(node, cltv - 1);
    expect(await expectRejected(node, timeoutTx)).toBe('non-final');
    await mineTo(node, cltv);
    await acceptAndConfirm(node, timeoutTx);

    // to_remote: P2WPKH to Bob's payment basepoint (option_static_remotekey), no delay
    const toRemote = buildPeerClaim(commitment, vout('to_remote'), to, 2_500n, bob.paymentBasepoint);
    await acceptAndConfirm(
      node,
      finalizePeerClaim(toRemote, signPeerClaim(toRemote, bob.paymentSecret), bob.paymentBasepoint),
    );
  });
});
