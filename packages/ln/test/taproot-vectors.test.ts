import { nonceAgg } from '@asyncpay/crypto/musig2/nonce';
import { partialSigAgg, sign } from '@asyncpay/crypto/musig2/session';
import { readUpstreamJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { obscuringFactor } from '../src/bolt3/commitment.js';
import { derivePrivkey } from '../src/bolt3/keys.js';
import { finalizeTaprootCommitment } from '../src/taproot/commitment.js';
import { keyPathSession, taprootFundingOutput } from '../src/taproot/musig.js';
import {
  acceptedHtlcOutput,
  anchorOutput,
  offeredHtlcOutput,
  secondLevelOutput,
  TAPROOT_NUMS_POINT,
  toLocalOutput,
  toRemoteOutput,
} from '../src/taproot/scripts.js';
import {
  buildSimpleTaprootCommitment,
  buildSimpleTaprootHtlcTxs,
  finalizeSimpleTaprootHtlcTx,
  signSimpleTaprootHtlcTx,
  simpleTaprootCommitmentSighash,
} from '../src/taproot/simple-commitment.js';
import type { TaprootOutput } from '../src/taproot/taptree.js';

interface ScriptVector {
  scripts: Record<string, string>;
  leaf_hashes: Record<string, string>;
  tapscript_root: string;
  internal_key: string;
  output_key: string;
  pkscript: string;
}
interface TxVector {
  name: string;
  local_balance_msat: number;
  remote_balance_msat: number;
  fee_per_kw: number;
  dust_limit_satoshis?: number;
  htlcs: { incoming: boolean; amount_msat: number; expiry: number; preimage: string }[] | null;
  local_sec_nonce: string;
  local_nonce: string;
  remote_nonce: string;
  remote_partial_sig: string;
  expected_commitment_tx_hex: string;
  htlc_descs: { remote_partial_sig_hex: string; resolution_tx_hex: string }[] | null;
}
interface Pr995 {
  params: {
    nums_point: string;
    csv_delay: number;
    commit_height: number;
    dust_limit_satoshis: number;
    funding_amount_satoshis: number;
    keys: Record<string, string>;
  };
  scripts: { funding: { combined_key: string; pkscript: string; funding_tx_hex: string } } & Record<
    string,
    ScriptVector
  >;
  transactions: TxVector[];
}

const FILE = 'bolts/extracted/pr995-bolt-simple-taproot-test-vectors.json';
const V = readUpstreamJson<Pr995>(FILE);
const k = (name: string) => hexToBytes(V.params.keys[name]!);

// The offered/accepted HTLC vectors use test HTLC #0 (payment hash SHA256(0x00…00), expiry 500).
const paymentHash = sha256(new Uint8Array(32));
const local = k('derived_local_htlc_pubkey');
const remote = k('derived_remote_htlc_pubkey');
const revocation = k('derived_revocation_pubkey');
const delayed = k('derived_local_delayed_pubkey');
const delay = V.params.csv_delay;

/** Our output for each vector entry, leaf names in the vector's naming. */
const ours: Record<string, () => { out: TaprootOutput; names: string[] }> = {
  to_local: () => ({ out: toLocalOutput(revocation, delayed, delay), names: ['settle', 'revocation'] }),
  to_remote: () => ({ out: toRemoteOutput(k('derived_remote_payment_pubkey')), names: ['settle'] }),
  local_anchor: () => ({ out: anchorOutput(delayed), names: ['sweep'] }),
  remote_anchor: () => ({ out: anchorOutput(k('derived_remote_payment_pubkey')), names: ['sweep'] }),
  offered_htlc_local_commit: () => ({
    out: offeredHtlcOutput(
      { revocationPubkey: revocation, localHtlcPubkey: local, remoteHtlcPubkey: remote },
      paymentHash,
    ),
    names: ['success', 'timeout'],
  }),
  offered_htlc_remote_commit: () => ({
    out: offeredHtlcOutput(
      { revocationPubkey: revocation, localHtlcPubkey: local, remoteHtlcPubkey: remote },
      paymentHash,
    ),
    names: ['success', 'timeout'],
  }),
  // The accepted-HTLC vectors are printed from the other side's view: its local HTLC key is our remote one.
  accepted_htlc_local_commit: () => ({
    out: acceptedHtlcOutput(
      { revocationPubkey: revocation, localHtlcPubkey: remote, remoteHtlcPubkey: local },
      paymentHash,
      500,
    ),
    names: ['success', 'timeout'],
  }),
  accepted_htlc_remote_commit: () => ({
    out: acceptedHtlcOutput(
      { revocationPubkey: revocation, localHtlcPubkey: remote, remoteHtlcPubkey: local },
      paymentHash,
      500,
    ),
    names: ['success', 'timeout'],
  }),
  second_level_htlc_success: () => ({
    out: secondLevelOutput(revocation, delayed, delay),
    names: ['success'],
  }),
  second_level_htlc_timeout: () => ({
    out: secondLevelOutput(revocation, delayed, delay),
    names: ['success'],
  }),
};

const entries = Object.keys(V.scripts).filter((n) => n !== 'funding');

describe(vectorSuite('upstream', FILE, 1 + entries.length + V.transactions.length), () => {
  it('uses the NUMS point of the vectors', () => {
    expect(bytesToHex(TAPROOT_NUMS_POINT)).toBe(V.params.nums_point);
  });

  it('funding: MuSig2 aggregate of the sorted funding keys with the BIP-86 tweak', () => {
    const f = taprootFundingOutput(k('local_funding_pubkey'), k('remote_funding_pubkey'));
    expect(bytesToHex(f.output.outputKey.subarray(1))).toBe(V.scripts.funding.combined_key);
    expect(bytesToHex(f.scriptPubKey)).toBe(V.scripts.funding.pkscript);
  });

  for (const name of entries) {
    it(`${name}: leaves, leaf hashes, tapscript root, internal and output keys`, () => {
      const want = V.scripts[name]!;
      const { out, names } = ours[name]!();
      expect(Object.keys(want.scripts).sort()).toEqual([...names].sort());
      names.forEach((leaf, i) => {
        expect(bytesToHex(out.leaves[i]!), leaf).toBe(want.scripts[leaf]);
        expect(bytesToHex(out.leafHashes[i]!), leaf).toBe(want.leaf_hashes[leaf]);
      });
      expect(bytesToHex(out.merkleRoot!)).toBe(want.tapscript_root);
      expect(bytesToHex(out.internalKey)).toBe(want.internal_key.slice(2));
      expect(bytesToHex(out.outputKey)).toBe(want.output_key);
      expect(bytesToHex(out.scriptPubKey)).toBe(want.pkscript);
    });
  }

  const fundingKey = taprootFundingOutput(k('local_funding_pubkey'), k('remote_funding_pubkey'));
  const funding = {
    txid: Transaction.fromHex(V.scripts.funding.funding_tx_hex).getId(),
    vout: 0,
    amountSat: BigInt(V.params.funding_amount_satoshis),
    key: fundingKey,
  };
  const pcp = k('local_per_commit_point');
  const localHtlcPrivkey = derivePrivkey(k('local_htlc_basepoint_secret'), pcp);
  const remoteHtlcPrivkey = derivePrivkey(k('remote_htlc_basepoint_secret'), pcp);

  for (const t of V.transactions) {
    it(`${t.name}: MuSig2-signed commitment and every second-level HTLC transaction are byte-equal`, () => {
      const htlcs = (t.htlcs ?? []).map((h, id) => {
        const preimage = hexToBytes(h.preimage);
        return {
          id,
          preimage,
          direction: h.incoming ? ('received' as const) : ('offered' as const),
          amountMsat: BigInt(h.amount_msat),
          paymentHash: sha256(preimage),
          cltvExpiry: h.expiry,
        };
      });
      const c = buildSimpleTaprootCommitment({
        funding,
        commitmentNumber: BigInt(V.params.commit_height),
        obscuringFactor: obscuringFactor(k('local_payment_basepoint'), k('remote_payment_basepoint')),
        toSelfDelay: delay,
        dustLimitSat: BigInt(t.dust_limit_satoshis ?? V.params.dust_limit_satoshis),
        feeratePerKw: BigInt(t.fee_per_kw),
        toLocalMsat: BigInt(t.local_balance_msat),
        toRemoteMsat: BigInt(t.remote_balance_msat),
        localIsFunder: true,
        htlcs,
        keys: {
          revocationPubkey: revocation,
          localDelayedPubkey: delayed,
          localHtlcPubkey: local,
          remoteHtlcPubkey: remote,
          remotePaymentPubkey: k('derived_remote_payment_pubkey'),
        },
      });
      // Replay the MuSig2 session: "Aggregate the two public nonces … Use each party's secret nonce
      // with Sign … Combine both partial signatures".
      const msg = simpleTaprootCommitmentSighash(c);
      const ctx = keyPathSession(
        fundingKey,
        msg,
        nonceAgg([hexToBytes(t.local_nonce), hexToBytes(t.remote_nonce)]),
      );
      const localPsig = sign(hexToBytes(t.local_sec_nonce), k('local_funding_privkey'), ctx);
      const signature = partialSigAgg([localPsig, hexToBytes(t.remote_partial_sig)], ctx);
      expect(finalizeTaprootCommitment(c, signature).toHex()).toBe(t.expected_commitment_tx_hex);

      const htlcTxs = buildSimpleTaprootHtlcTxs(c);
      expect(htlcTxs.length).toBe((t.htlc_descs ?? []).length);
      htlcTxs.forEach((h, i) => {
        const want = t.htlc_descs![i]!;
        const remoteSig = signSimpleTaprootHtlcTx(h, remoteHtlcPrivkey, 'remote');
        expect(bytesToHex(remoteSig)).toBe(`${want.remote_partial_sig_hex}83`);
        const localSig = signSimpleTaprootHtlcTx(h, localHtlcPrivkey, 'local');
        const preimage = htlcs.find((x) => x.id === h.htlc.id)!.preimage;
        const tx = finalizeSimpleTaprootHtlcTx(
          h,
          remoteSig,
          localSig,
          h.type === 'htlc-success' ? preimage : undefined,
        );
        expect(tx.toHex()).toBe(want.resolution_tx_hex);
      });
    });
  }
});
