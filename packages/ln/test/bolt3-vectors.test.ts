import { vectorSuite } from '@asyncpay/testkit/vectors';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, concatBytes } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import {
  buildCommitment,
  type CommitmentSpec,
  decodeCommitmentNumber,
  finalizeCommitment,
  obscuringFactor,
  signCommitment,
  verifyCommitmentSignature,
} from '../src/bolt3/commitment.js';
import { buildFundingTx } from '../src/bolt3/funding.js';
import { buildHtlcTxs, finalizeHtlcTx, signHtlcTx, verifyHtlcSignature } from '../src/bolt3/htlc-tx.js';
import {
  derivePrivkey,
  derivePubkey,
  deriveRevocationPrivkey,
  deriveRevocationPubkey,
  perCommitmentPoint,
  pubkeyOf,
} from '../src/bolt3/keys.js';
import { p2pkh, p2wpkh } from '../src/bolt3/scripts.js';
import { generateFromSeed, ShachainStore } from '../src/bolt3/shachain.js';
import { ecdsaSignDigest, SIGHASH_ALL } from '../src/bolt3/sign.js';
import { LnError } from '../src/errors.js';
import { BOLT3_FILE, common, hex, htlcs, htlcsFor, keys, V } from './bolt3-fixtures.js';

const B = V.appendix_b_funding_transaction;
const C = V.appendix_c_commitment_and_htlc_transactions;
const D = V.appendix_d_per_commitment_secrets;
const E = V.appendix_e_key_derivation;
const CASES = 1 + C.tests.length + D.generation.length + D.storage.length + E.tests.length;

const sigHex = (der: string) => `${der}01`;
const index = (s: string) => BigInt(s);

describe(vectorSuite('upstream', BOLT3_FILE, CASES), () => {
  describe('Appendix B: funding transaction', () => {
    it('builds and signs the funding transaction byte for byte', () => {
      const fb = B.fields;
      const key = hex(fb['Block 1 coinbase privkey']!);
      const pub = pubkeyOf(key);
      const { tx, output } = buildFundingTx({
        inputs: [{ txid: fb['input txid']!, vout: Number(fb['input index']) }],
        fundingSat: BigInt(fb['funding satoshis']!),
        localFundingPubkey: hex(fb.local_funding_pubkey!),
        remoteFundingPubkey: hex(fb.remote_funding_pubkey!),
        change: { scriptPubKey: p2wpkh(pub), amountSat: BigInt(fb['change satoshis']!) },
      });
      const coinbase = Transaction.fromHex(fb['Block 1 coinbase transaction']!);
      expect(coinbase.getId()).toBe(fb['input txid']);
      expect(bytesToHex(coinbase.outs[0]!.script)).toBe(bytesToHex(p2pkh(pub)));
      // A legacy P2PKH input: scriptSig `<sig> <pubkey>` over the pre-segwit sighash.
      const digest = tx.hashForSignature(0, p2pkh(pub), SIGHASH_ALL);
      const sig = concatBytes(ecdsaSignDigest(digest, key), Uint8Array.of(SIGHASH_ALL));
      tx.setInputScript(0, concatBytes(Uint8Array.of(sig.length), sig, Uint8Array.of(pub.length), pub));
      expect(bytesToHex(output.witnessScript)).toBe(B.comments[2]!.split('= ')[1]);
      expect(tx.toHex()).toBe(fb['funding tx']);
      expect(tx.getId()).toBe(C.common.fields.funding_tx_id);
    });
  });

  describe('Appendix C: commitment and HTLC transactions', () => {
    const factor = obscuringFactor(common.localPaymentBasepoint, common.remotePaymentBasepoint);

    it('derives the obscuring factor 0x2bb038521914 from the two payment basepoints', () => {
      expect(factor).toBe(0x2bb038521914n);
    });

    it('derives every printed key from the basepoints and the per-commitment point', () => {
      const pcp = perCommitmentPoint(common.localPerCommitmentSecret);
      expect(bytesToHex(pcp)).toBe(bytesToHex(common.localPerCommitmentPoint));
      expect(bytesToHex(derivePubkey(common.localHtlcBasepoint, pcp))).toBe(bytesToHex(keys.localHtlcPubkey));
      expect(bytesToHex(pubkeyOf(common.localHtlcPrivkey))).toBe(bytesToHex(keys.localHtlcPubkey));
      expect(bytesToHex(derivePubkey(common.remoteHtlcBasepoint, pcp))).toBe(
        bytesToHex(keys.remoteHtlcPubkey),
      );
      expect(bytesToHex(pubkeyOf(common.remoteHtlcPrivkey))).toBe(bytesToHex(keys.remoteHtlcPubkey));
      expect(bytesToHex(derivePubkey(common.localDelayedPaymentBasepoint, pcp))).toBe(
        bytesToHex(keys.localDelayedPubkey),
      );
      expect(bytesToHex(deriveRevocationPubkey(common.remoteRevocationBasepoint, pcp))).toBe(
        bytesToHex(keys.revocationPubkey),
      );
      expect(bytesToHex(pubkeyOf(common.localFundingPrivkey))).toBe(bytesToHex(keys.localFundingPubkey));
      expect(bytesToHex(pubkeyOf(common.remoteFundingPrivkey))).toBe(bytesToHex(keys.remoteFundingPubkey));
      const delayedPriv = derivePrivkey(hex('33'.repeat(32)), pcp);
      expect(bytesToHex(delayedPriv)).toBe(
        C.internal_values_from_html_comment.local_delayed_privkey!.slice(0, 64),
      );
    });

    for (const t of C.tests) {
      it(`${t.name}: commitment and every HTLC transaction are byte-equal`, () => {
        const fields = t.fields;
        const spec: CommitmentSpec = {
          funding: common.funding,
          commitmentNumber: common.commitmentNumber,
          obscuringFactor: factor,
          toSelfDelay: common.toSelfDelay,
          dustLimitSat: common.dustLimitSat,
          feeratePerKw: BigInt(fields.local_feerate_per_kw!),
          toLocalMsat: BigInt(fields.to_local_msat!),
          toRemoteMsat: BigInt(fields.to_remote_msat!),
          localIsFunder: true,
          htlcs: htlcsFor(t.name),
          keys,
        };
        const total =
          spec.toLocalMsat + spec.toRemoteMsat + spec.htlcs.reduce((s, h) => s + h.amountMsat, 0n);
        expect(total).toBe(common.funding.amountSat * 1000n);
        const c = buildCommitment(spec);

        // Outputs: the spec's comment lines list each output with its amount and script, though not in
        // transaction order (and the last test lists only its HTLCs); the order is checked by the
        // commitment bytes and by the HTLC transactions' output indices.
        const ours = c.outputs.map((o) => ({
          kind: o.kind,
          htlc: 'htlc' in o ? o.htlc.id : undefined,
          amount_sat: Number(o.amountSat),
          ...(o.kind === 'to_remote'
            ? { p2wpkh_pubkey: bytesToHex(keys.remotePaymentPubkey) }
            : { wscript: bytesToHex(o.witnessScript) }),
        }));
        const listed = t.outputs.map((o) => ({ htlc: undefined, ...o }));
        for (const o of listed) expect(ours).toContainEqual(o);
        if (t.outputs.some((o) => o.kind === 'to_remote')) expect(ours.length).toBe(listed.length);
        expect(c.outputs.filter((o) => 'htlc' in o).length).toBe(Number(fields.num_htlcs));
        if (fields.base_commitment_transaction_fee !== undefined) {
          expect(c.baseFeeSat).toBe(BigInt(fields.base_commitment_transaction_fee));
          expect(c.feeSat).toBe(BigInt(fields.actual_commitment_transaction_fee!));
        }

        // signatures and the signed commitment
        const localSig = signCommitment(c, common.localFundingPrivkey);
        const remoteSig = signCommitment(c, common.remoteFundingPrivkey);
        expect(bytesToHex(localSig)).toBe(sigHex(String(fields.local_signature)));
        expect(bytesToHex(remoteSig)).toBe(sigHex(String(fields.remote_signature)));
        verifyCommitmentSignature(c, remoteSig);
        const signed = finalizeCommitment(c, localSig, remoteSig);
        expect(signed.toHex()).toBe(fields.commit_tx);
        expect(decodeCommitmentNumber(signed.locktime, signed.ins[0]!.sequence, factor)).toBe(
          common.commitmentNumber,
        );

        // second-stage transactions
        const htlcTxs = buildHtlcTxs(c);
        expect(htlcTxs.map((h) => [h.input.vout, h.type, h.htlc.id])).toEqual(
          t.htlc_txs.map((h) => [h.output_index, h.type, h.htlc]),
        );
        htlcTxs.forEach((h, i) => {
          const want = t.htlc_txs[i]!;
          const local = signHtlcTx(h, common.localHtlcPrivkey, 'local');
          const remote = signHtlcTx(h, common.remoteHtlcPrivkey, 'remote');
          expect(bytesToHex(local)).toBe(sigHex(want.local_htlc_signature));
          expect(bytesToHex(remote)).toBe(sigHex(want.remote_htlc_signature));
          verifyHtlcSignature(h, remote, keys.remoteHtlcPubkey, 'remote');
          const preimage = htlcs.find((x) => x.id === h.htlc.id)!.preimage;
          const tx = finalizeHtlcTx(h, remote, local, h.type === 'htlc-success' ? preimage : undefined);
          expect(tx.toHex()).toBe(want.tx);
        });
      });
    }
  });

  describe('Appendix D: per-commitment secret generation', () => {
    for (const g of D.generation) {
      it(`${g.name}`, () => {
        expect(bytesToHex(generateFromSeed(hex(g.seed), index(g.I)))).toBe(g.output.slice(2).toLowerCase());
      });
    }
  });

  describe('Appendix D: per-commitment secret storage', () => {
    for (const s of D.storage) {
      it(`${s.name}`, () => {
        const store = new ShachainStore();
        for (const step of s.steps) {
          const run = () => store.insertSecret(hex(step.secret), index(step.I));
          if (step.output === 'OK') {
            run();
            expect(bytesToHex(store.deriveOldSecret(index(step.I)))).toBe(step.secret.slice(2).toLowerCase());
          } else {
            expect(run).toThrowError(expect.objectContaining({ code: 'SHACHAIN_MISMATCH' }));
            expect(() => run()).toThrow(LnError);
          }
        }
        // every secret accepted so far re-derives from the compact store
        const okSteps = s.steps.filter((x) => x.output === 'OK');
        for (const step of okSteps) {
          expect(bytesToHex(store.deriveOldSecret(index(step.I)))).toBe(step.secret.slice(2).toLowerCase());
        }
        if (s.steps.every((x) => x.output === 'OK')) {
          // the correct sequence is the FF seed's own secrets
          for (const step of s.steps) {
            expect(bytesToHex(generateFromSeed(hex(s.seed), index(step.I)))).toBe(
              step.secret.slice(2).toLowerCase(),
            );
          }
        }
      });
    }
  });

  describe('Appendix E: key derivation', () => {
    const inp = E.inputs;
    const base = hex(inp.base_secret!);
    const pcs = hex(inp.per_commitment_secret!);
    const bp = hex(inp.base_point!);
    const pcp = hex(inp.per_commitment_point!);
    const results: Record<string, () => Uint8Array> = {
      localpubkey: () => derivePubkey(bp, pcp),
      localprivkey: () => derivePrivkey(base, pcp),
      revocationpubkey: () => deriveRevocationPubkey(bp, pcp),
      revocationprivkey: () => deriveRevocationPrivkey(base, pcs),
    };
    it('has the base point and per-commitment point of the printed secrets', () => {
      expect(bytesToHex(pubkeyOf(base))).toBe(bytesToHex(bp));
      expect(bytesToHex(perCommitmentPoint(pcs))).toBe(bytesToHex(pcp));
    });
    for (const t of E.tests) {
      it(`${t.name}`, () => {
        for (const [name, want] of Object.entries(t.result)) {
          const got = results[name]!();
          expect(bytesToHex(got)).toBe(want.slice(2));
          if (name.endsWith('privkey')) {
            const pub = name === 'localprivkey' ? derivePubkey(bp, pcp) : deriveRevocationPubkey(bp, pcp);
            expect(bytesToHex(secp256k1.getPublicKey(got, true))).toBe(bytesToHex(pub));
          }
        }
      });
    }
  });
});
