import { typedErrors } from '@asyncpay/testkit/expect';
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, concatBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../src/errors.js';
import {
  adapt,
  aggregatePreSignature,
  extract,
  preSignatureVerify,
  type VerifiedPartialSigs,
  verifyPartialSigs,
} from '../src/musig2/adaptor.js';
import {
  applyTweak,
  getXonlyPubkey,
  individualPubkey,
  keyAgg,
  keySort,
  taprootTweak,
} from '../src/musig2/keyagg.js';
import { nonceAgg, nonceGen } from '../src/musig2/nonce.js';
import {
  type AdaptorSessionContext,
  getSessionValues,
  partialSigAgg,
  partialSigVerify,
  sign,
} from '../src/musig2/session.js';
import { cbytesExt, Musig2ContributionError, xbytes } from '../src/musig2/util.js';

const { Point } = secp256k1;
const filled = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);

const { expectCode } = typedErrors(CryptoError);

/** A 2-of-2 taproot session between Alice (0x41…) and Bob (0x42…) locked to T = t⋅G. */
function twoOfTwo(opts: { skA?: Uint8Array; skB?: Uint8Array; t?: Uint8Array; msg?: Uint8Array } = {}) {
  const skA = opts.skA ?? filled(0x41);
  const skB = opts.skB ?? filled(0x42);
  const t = opts.t ?? filled(0x54);
  const msg = opts.msg ?? filled(0x4d);
  const pkA = individualPubkey(skA);
  const pkB = individualPubkey(skB);
  const pubkeys = keySort([pkA, pkB]);
  const internal = keyAgg(pubkeys);
  const tweak = taprootTweak(getXonlyPubkey(internal));
  const outputKey = getXonlyPubkey(applyTweak(internal, tweak, true));
  const T = Point.BASE.multiply(BigInt(`0x${bytesToHex(t)}`)).toBytes(true);
  const nA = nonceGen({ pk: pkA, sk: skA, aggpk: outputKey, msg });
  const nB = nonceGen({ pk: pkB, sk: skB, aggpk: outputKey, msg });
  const order = pubkeys[0] === pkA ? [nA, nB] : [nB, nA];
  const pubnonces = order.map((n) => n.pubnonce);
  const ctx: AdaptorSessionContext = {
    aggnonce: nonceAgg(pubnonces),
    pubkeys,
    tweaks: [tweak],
    isXonly: [true],
    msg,
    adaptor: T,
  };
  const psigA = sign(nA.secnonce, skA, ctx);
  const psigB = sign(nB.secnonce, skB, ctx);
  const psigs = pubkeys[0] === pkA ? [psigA, psigB] : [psigB, psigA];
  const aliceIndex = pubkeys[0] === pkA ? 0 : 1;
  return { t, T, msg, ctx, pubnonces, psigs, outputKey, aliceIndex };
}

describe('MuSig2 with an adaptor point (secp256k1-zkp semantics)', () => {
  it('adapts a 2-of-2 taproot pre-signature into a BIP-340 signature and extracts the adaptor secret', () => {
    const s = twoOfTwo();
    const pre = aggregatePreSignature(verifyPartialSigs(s.psigs, s.pubnonces, s.ctx));
    expect(pre).toHaveLength(65);
    expect(preSignatureVerify(pre, s.outputKey, s.msg, s.ctx.adaptor)).toBe(true);
    // The pre-signature alone is not a valid signature.
    expect(schnorr.verify(concatBytes(pre.subarray(1, 33), pre.subarray(33)), s.msg, s.outputKey)).toBe(
      false,
    );
    const sig = adapt(pre, s.t, s.ctx.adaptor);
    expect(schnorr.verify(sig, s.msg, s.outputKey)).toBe(true);
    expect(bytesToHex(extract(pre, sig, s.ctx.adaptor))).toBe(bytesToHex(s.t));
  });

  it('hashes the nonce coefficient over R1 + T, not over the aggregate nonce as sent', () => {
    const s = twoOfTwo();
    const plain = getSessionValues({ ...s.ctx, adaptor: undefined });
    const v = getSessionValues(s.ctx);
    const R1 = Point.fromBytes(s.ctx.aggnonce.subarray(0, 33));
    const R2 = Point.fromBytes(s.ctx.aggnonce.subarray(33, 66));
    const R1T = R1.add(Point.fromBytes(s.ctx.adaptor));
    const b = Point.Fn.create(
      BigInt(
        `0x${bytesToHex(
          schnorr.utils.taggedHash('MuSig/noncecoef', cbytesExt(R1T), cbytesExt(R2), xbytes(v.Q), s.msg),
        )}`,
      ),
    );
    expect(v.b).toBe(b);
    expect(v.b).not.toBe(plain.b);
    expect(v.R.equals(R1T.add(R2.multiply(b)))).toBe(true);
  });

  it('refuses a wrong partial signature from Alice with BAD_PARTIAL_SIG naming her index', () => {
    const s = twoOfTwo();
    const bad = [...s.psigs];
    bad[s.aliceIndex] = s.psigs[1 - s.aliceIndex]!;
    const err = expectCode(() => verifyPartialSigs(bad, s.pubnonces, s.ctx), 'BAD_PARTIAL_SIG');
    expect(err).toBeInstanceOf(Musig2ContributionError);
    expect((err as Musig2ContributionError).signer).toBe(s.aliceIndex);
  });

  it('refuses a partial signature that is not below n with INVALID_PARTIAL_SIG', () => {
    const s = twoOfTwo();
    const bad = [...s.psigs];
    bad[1] = new Uint8Array(32).fill(0xff);
    const err = expectCode(() => verifyPartialSigs(bad, s.pubnonces, s.ctx), 'INVALID_PARTIAL_SIG');
    expect((err as Musig2ContributionError).signer).toBe(1);
  });

  it('refuses public nonces that do not aggregate to the session nonce with INVALID_AGGNONCE', () => {
    const s = twoOfTwo();
    const swapped = [s.pubnonces[0]!, s.pubnonces[0]!];
    expectCode(() => verifyPartialSigs(s.psigs, swapped, s.ctx), 'INVALID_AGGNONCE');
  });

  it('refuses plain aggregation of an adaptor session with UNVERIFIED_PARTIAL_SIGS', () => {
    const s = twoOfTwo();
    // @ts-expect-error an adaptor session is not a PlainSessionContext: the compiler refuses it too
    expectCode(() => partialSigAgg(s.psigs, s.ctx), 'UNVERIFIED_PARTIAL_SIGS');
  });

  it('refuses a hand-made VerifiedPartialSigs with UNVERIFIED_PARTIAL_SIGS', () => {
    const s = twoOfTwo();
    const forged = {
      psigs: s.psigs,
      ctx: s.ctx,
      values: getSessionValues(s.ctx),
    } as unknown as VerifiedPartialSigs;
    expectCode(() => aggregatePreSignature(forged), 'UNVERIFIED_PARTIAL_SIGS');
  });

  it('verifies partial signatures of an adaptor session with PartialSigVerify given the adaptor', () => {
    const s = twoOfTwo();
    const args = { ...s.ctx, pubnonces: s.pubnonces, psig: s.psigs[0]!, signer: 0 };
    expect(partialSigVerify(args)).toBe(true);
    expect(partialSigVerify({ ...args, adaptor: undefined })).toBe(false);
  });

  it('refuses to adapt with a secret that does not match the adaptor with ADAPTOR_MISMATCH', () => {
    const s = twoOfTwo();
    const pre = aggregatePreSignature(verifyPartialSigs(s.psigs, s.pubnonces, s.ctx));
    expectCode(() => adapt(pre, filled(0x55), s.ctx.adaptor), 'ADAPTOR_MISMATCH');
  });

  it('refuses to extract from a signature with another nonce with PRESIGNATURE_MISMATCH', () => {
    const s = twoOfTwo();
    const pre = aggregatePreSignature(verifyPartialSigs(s.psigs, s.pubnonces, s.ctx));
    const other = schnorr.sign(s.msg, filled(0x41), filled(0));
    expectCode(() => extract(pre, other, s.ctx.adaptor), 'PRESIGNATURE_MISMATCH');
  });

  it('refuses an extracted secret that does not match the adaptor with ADAPTOR_MISMATCH', () => {
    const s = twoOfTwo();
    const pre = aggregatePreSignature(verifyPartialSigs(s.psigs, s.pubnonces, s.ctx));
    const wrong = adapt(pre, filled(0x55));
    expectCode(() => extract(pre, wrong, s.ctx.adaptor), 'ADAPTOR_MISMATCH');
  });

  it('refuses to sign twice with one secnonce with DUPLICATE_SECNONCE_USE', () => {
    const sk = filled(0x41);
    const pk = individualPubkey(sk);
    const other = individualPubkey(filled(0x42));
    const n = nonceGen({ pk, sk, rand: filled(1) });
    const m = nonceGen({ pk: other, rand: filled(2) });
    const ctx = { aggnonce: nonceAgg([n.pubnonce, m.pubnonce]), pubkeys: [pk, other], msg: filled(3) };
    sign(n.secnonce, sk, ctx);
    expectCode(() => sign(n.secnonce, sk, ctx), 'DUPLICATE_SECNONCE_USE');
  });

  it('adapts and extracts for random keys, secrets and messages, whichever the final nonce parity', () => {
    const scalar = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .filter((b) => Point.Fn.isValidNot0(BigInt(`0x${bytesToHex(b)}`)));
    const parities = new Set<number>();
    fc.assert(
      fc.property(scalar, scalar, scalar, fc.uint8Array({ maxLength: 40 }), (skA, skB, t, msg) => {
        fc.pre(bytesToHex(skA) !== bytesToHex(skB));
        const s = twoOfTwo({ skA, skB, t, msg });
        const pre = aggregatePreSignature(verifyPartialSigs(s.psigs, s.pubnonces, s.ctx));
        parities.add(pre[0]!);
        const sig = adapt(pre, t);
        expect(schnorr.verify(sig, msg, s.outputKey)).toBe(true);
        expect(bytesToHex(extract(pre, sig, s.ctx.adaptor))).toBe(bytesToHex(t));
      }),
      { numRuns: 24, seed: 327 },
    );
    expect([...parities].sort()).toEqual([2, 3]);
  });
});
