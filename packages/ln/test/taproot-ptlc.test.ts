import { adaptorPoint } from '@asyncpay/crypto/adaptor';
import { nonceAgg, nonceGen } from '@asyncpay/crypto/musig2/nonce';
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { obscuringFactor } from '../src/bolt3/commitment.js';
import { p2wpkh } from '../src/bolt3/scripts.js';
import {
  buildTaprootCommitment,
  type CommitmentPtlc,
  commitmentSighash,
  type TaprootCommitmentSpec,
} from '../src/taproot/commitment.js';
import {
  aggregateKeyPath,
  partialSignKeyPath,
  taprootFundingOutput,
  verifyPartialKeyPath,
} from '../src/taproot/musig.js';
import {
  buildClaimPtlcSuccess,
  buildPtlcSuccess,
  buildPtlcTimeout,
  completePtlcPresig,
  extractPtlcSecret,
  finalizePtlcSpend,
  presignPtlc,
  signPtlcSpend,
  verifyPtlcPresig,
  verifyPtlcSignature,
} from '../src/taproot/spends.js';
import { tapBranchHash, tapleafHash, taprootOutput } from '../src/taproot/taptree.js';
import { alice, bob, commitmentKeys } from './regtest-fixtures.js';

const code = (c: string) => expect.objectContaining({ code: c });
const keys = commitmentKeys(alice, bob, 0n);
const fundingKey = taprootFundingOutput(alice.fundingPubkey, bob.fundingPubkey);
const secret = new Uint8Array(32).fill(0x31);
const T = adaptorPoint(secret);

function spec(ptlcs: CommitmentPtlc[], over: Partial<TaprootCommitmentSpec> = {}): TaprootCommitmentSpec {
  return {
    funding: { txid: '11'.repeat(32), vout: 0, amountSat: 1_000_000n, key: fundingKey },
    commitmentNumber: 7n,
    obscuringFactor: obscuringFactor(alice.paymentBasepoint, bob.paymentBasepoint),
    toSelfDelay: 144,
    dustLimitSat: 330n,
    feeratePerKw: 2_500n,
    toLocalMsat: 600_000_000n,
    toRemoteMsat: 1_000_000_000n - 600_000_000n - ptlcs.reduce((s, p) => s + p.amountMsat, 0n),
    localIsFunder: true,
    ptlcs,
    keys: {
      revocationPubkey: keys.keys.revocationPubkey,
      localDelayedPubkey: keys.keys.localDelayedPubkey,
      remotePaymentPubkey: bob.paymentBasepoint,
      localPtlcPubkey: keys.keys.localHtlcPubkey,
      remotePtlcPubkey: keys.keys.remoteHtlcPubkey,
    },
    ...over,
  };
}
const offered: CommitmentPtlc = {
  direction: 'offered',
  amountMsat: 50_000_000n,
  paymentPoint: T,
  cltvExpiry: 500,
  id: 1,
};
const received: CommitmentPtlc = {
  direction: 'received',
  amountMsat: 40_000_000n,
  paymentPoint: T,
  cltvExpiry: 600,
  id: 2,
};
const vouts = (c: ReturnType<typeof buildTaprootCommitment>) => ({
  offered: c.outputs.findIndex((o) => o.kind === 'ptlc_offered'),
  received: c.outputs.findIndex((o) => o.kind === 'ptlc_received'),
  toLocal: c.outputs.findIndex((o) => o.kind === 'to_local'),
});

describe('taproot commitments and PTLC spends', () => {
  it('trims a PTLC whose amount minus its second-stage fee is below the dust limit, and adds it to the fee', () => {
    const small: CommitmentPtlc = { ...offered, amountMsat: 1_900_000n };
    const c = buildTaprootCommitment(spec([small, received]));
    expect(c.outputs.map((o) => o.kind).sort()).toEqual(['ptlc_received', 'to_local', 'to_remote']);
    // 616 + 172 weight at 2 500 sat/kw, plus the trimmed 1 900 sat
    expect(c.feeSat).toBe((2_500n * 788n) / 1000n + 1_900n);
  });

  it('orders two identical PTLC outputs by cltv_expiry', () => {
    const a = { ...offered, cltvExpiry: 900, id: 10 };
    const b = { ...offered, cltvExpiry: 800, id: 11 };
    const c = buildTaprootCommitment(spec([a, b]));
    const ptlcs = c.outputs.filter((o) => 'ptlc' in o).map((o) => ('ptlc' in o ? o.ptlc.id : -1));
    expect(ptlcs).toEqual([11, 10]);
  });

  it('refuses a MuSig2 partial signature from the wrong signer key', () => {
    const c = buildTaprootCommitment(spec([offered]));
    const msg = commitmentSighash(c);
    const a = nonceGen({ pk: alice.fundingPubkey, sk: alice.fundingPrivkey, msg });
    const b = nonceGen({ pk: bob.fundingPubkey, sk: bob.fundingPrivkey, msg });
    const order = fundingKey.pubkeys.map((pk) =>
      bytesToHex(pk) === bytesToHex(alice.fundingPubkey) ? a : b,
    );
    const pubnonces = order.map((n) => n.pubnonce);
    const aggnonce = nonceAgg(pubnonces);
    const pa = partialSignKeyPath(fundingKey, msg, aggnonce, a.secnonce, alice.fundingPrivkey);
    expect(() => verifyPartialKeyPath(fundingKey, msg, pubnonces, pa, bob.fundingPubkey)).toThrow(
      code('INVALID_PARTIAL_SIG'),
    );
    const pb = partialSignKeyPath(fundingKey, msg, aggnonce, b.secnonce, bob.fundingPrivkey);
    const sig = aggregateKeyPath(fundingKey, msg, aggnonce, [pa, pb]);
    expect(schnorr.verify(sig, msg, fundingKey.output.outputKey.subarray(1))).toBe(true);
  });

  it('refuses an adaptor pre-signature for another payment point or by another key', () => {
    const c = buildTaprootCommitment(spec([offered]));
    const claim = buildClaimPtlcSuccess(c, vouts(c).offered, p2wpkh(bob.paymentBasepoint));
    const other = buildClaimPtlcSuccess(
      buildTaprootCommitment(spec([{ ...offered, paymentPoint: adaptorPoint(new Uint8Array(32).fill(9)) }])),
      vouts(c).offered,
      p2wpkh(bob.paymentBasepoint),
    );
    expect(() =>
      verifyPtlcPresig(claim, presignPtlc(other, keys.localHtlcPrivkey), keys.keys.localHtlcPubkey),
    ).toThrow(code('INVALID_ADAPTOR_SIG'));
    expect(() =>
      verifyPtlcPresig(claim, presignPtlc(claim, keys.remoteHtlcPrivkey), keys.keys.localHtlcPubkey),
    ).toThrow(code('INVALID_ADAPTOR_SIG'));
  });

  it('refuses an adapted signature completed with the wrong secret, and will not extract from it', () => {
    const c = buildTaprootCommitment(spec([offered]));
    const claim = buildClaimPtlcSuccess(c, vouts(c).offered, p2wpkh(bob.paymentBasepoint));
    const pre = presignPtlc(claim, keys.localHtlcPrivkey);
    const wrong = completePtlcPresig(pre, new Uint8Array(32).fill(0x32));
    expect(() => verifyPtlcSignature(claim, wrong, keys.keys.localHtlcPubkey)).toThrow(
      code('INVALID_SIGNATURE'),
    );
    const tx = finalizePtlcSpend(claim, wrong, signPtlcSpend(claim, keys.remoteHtlcPrivkey));
    expect(() => extractPtlcSecret(claim, pre, tx, 1)).toThrow(code('INVALID_ADAPTOR_SIG'));
    const right = finalizePtlcSpend(
      claim,
      completePtlcPresig(pre, secret),
      signPtlcSpend(claim, keys.remoteHtlcPrivkey),
    );
    expect(extractPtlcSecret(claim, pre, right, 1)).toEqual(secret);
  });

  it('refuses to spend an output that is not the PTLC kind asked for', () => {
    const c = buildTaprootCommitment(spec([offered, received]));
    const v = vouts(c);
    expect(() => buildPtlcTimeout(c, v.received)).toThrow(code('INVALID_HTLC'));
    expect(() => buildPtlcSuccess(c, v.offered)).toThrow(code('INVALID_HTLC'));
    expect(() => buildPtlcTimeout(c, v.toLocal)).toThrow(code('INVALID_HTLC'));
  });

  it('pays the second-stage fee out of the PTLC: feerate_per_kw × 646 / 1000', () => {
    const c = buildTaprootCommitment(spec([offered]));
    const timeout = buildPtlcTimeout(c, vouts(c).offered);
    expect(timeout.tx.outs[0]!.value).toBe(50_000n - (2_500n * 646n) / 1000n);
    expect(timeout.tx.locktime).toBe(offered.cltvExpiry);
    expect(timeout.tx.ins[0]!.sequence).toBe(1);
  });
});

describe('taproot trees', () => {
  it('commits every leaf: the control block and the leaf recompute the output key', () => {
    const key = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .filter((k) => secp256k1.Point.Fn.isValidNot0(bytesToNumberBE(k)));
    const leaf = fc.uint8Array({ minLength: 1, maxLength: 80 });
    fc.assert(
      fc.property(key, fc.array(leaf, { minLength: 1, maxLength: 2 }), (sk, leaves) => {
        const out = taprootOutput(secp256k1.getPublicKey(sk, true), leaves);
        leaves.forEach((script, i) => {
          const cb = out.controlBlock(i);
          let h = tapleafHash(script, cb[0]! & 0xfe);
          for (let j = 33; j < cb.length; j += 32) h = tapBranchHash(h, cb.subarray(j, j + 32));
          const P = schnorr.utils.lift_x(bytesToNumberBE(cb.subarray(1, 33)));
          const t = bytesToNumberBE(schnorr.utils.taggedHash('TapTweak', cb.subarray(1, 33), h));
          const Q = P.add(secp256k1.Point.BASE.multiply(t));
          expect(Q.toBytes(true)).toEqual(out.outputKey);
          expect(cb[0]! & 1).toBe(out.outputKey[0] === 0x03 ? 1 : 0);
        });
      }),
      { numRuns: 25 },
    );
  });
});
