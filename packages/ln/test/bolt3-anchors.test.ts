import { readUpstreamJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { bytesToHex } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import {
  buildCommitment,
  finalizeCommitment,
  obscuringFactor,
  signCommitment,
  verifyCommitmentSignature,
} from '../src/bolt3/commitment.js';
import { buildHtlcTxs, finalizeHtlcTx, signHtlcTx, verifyHtlcSignature } from '../src/bolt3/htlc-tx.js';
import { SIGHASH_SINGLE_ANYONECANPAY } from '../src/bolt3/sign.js';
import { common, htlcs, htlcsFor, keys } from './bolt3-fixtures.js';

interface AnchorCase {
  Name: string;
  LocalBalance: number;
  RemoteBalance: number;
  DustLimitSatoshis: number;
  FeePerKw: number;
  UseTestHtlcs: boolean;
  HtlcDescs: { RemoteSigHex: string; ResolutionTxHex: string }[];
  ExpectedCommitmentTxHex: string;
  RemoteSigHex: string;
}

const FILE = 'bolts/extracted/bolt03-appendix-f-anchors.json';
const cases = readUpstreamJson<AnchorCase[]>(FILE);

describe(vectorSuite('upstream', FILE, cases.length), () => {
  const factor = obscuringFactor(common.localPaymentBasepoint, common.remotePaymentBasepoint);
  for (const t of cases) {
    it(`${t.Name}: anchors commitment and zero-fee HTLC transactions are byte-equal`, () => {
      const c = buildCommitment({
        funding: common.funding,
        commitmentNumber: common.commitmentNumber,
        obscuringFactor: factor,
        toSelfDelay: common.toSelfDelay,
        dustLimitSat: BigInt(t.DustLimitSatoshis),
        feeratePerKw: BigInt(t.FeePerKw),
        toLocalMsat: BigInt(t.LocalBalance),
        toRemoteMsat: BigInt(t.RemoteBalance),
        localIsFunder: true,
        anchors: true,
        htlcs: t.UseTestHtlcs ? htlcsFor(t.Name) : [],
        keys,
      });
      const remoteSig = signCommitment(c, common.remoteFundingPrivkey);
      expect(bytesToHex(remoteSig)).toBe(`${t.RemoteSigHex}01`);
      verifyCommitmentSignature(c, remoteSig);
      const signed = finalizeCommitment(c, signCommitment(c, common.localFundingPrivkey), remoteSig);
      expect(signed.toHex()).toBe(t.ExpectedCommitmentTxHex);

      const htlcTxs = buildHtlcTxs(c);
      expect(htlcTxs.length).toBe(t.HtlcDescs.length);
      htlcTxs.forEach((h, i) => {
        const want = t.HtlcDescs[i]!;
        // BOLT 3: "if option_anchors applies … SIGHASH_SINGLE|SIGHASH_ANYONECANPAY is used"
        const remote = signHtlcTx(h, common.remoteHtlcPrivkey, 'remote');
        expect(bytesToHex(remote)).toBe(`${want.RemoteSigHex}${SIGHASH_SINGLE_ANYONECANPAY.toString(16)}`);
        verifyHtlcSignature(h, remote, keys.remoteHtlcPubkey, 'remote');
        const local = signHtlcTx(h, common.localHtlcPrivkey, 'local');
        const preimage = htlcs.find((x) => x.id === h.htlc.id)!.preimage;
        const tx = finalizeHtlcTx(h, remote, local, h.type === 'htlc-success' ? preimage : undefined);
        expect(tx.toHex()).toBe(want.ResolutionTxHex);
        // zero-fee HTLC transactions: the output carries the whole HTLC amount, the input sequence is 1
        expect(Transaction.fromHex(want.ResolutionTxHex).outs[0]!.value).toBe(h.htlc.amountMsat / 1000n);
        expect(tx.ins[0]!.sequence).toBe(1);
      });
    });
  }
});
