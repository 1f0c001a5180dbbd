/**
 * MuSig2 benchmarks, as ratios to noble's BIP-340 sign and verify measured in the same run.
 *
 * Floor units (how many floor operations a case inherently contains):
 * - one signer's Sign: 1 × schnorr sign (it makes one signature share; BIP-327's self-verification
 *   inside Sign is overhead we choose to keep, and shows in the ratio);
 * - one PartialSigVerify: 1 × schnorr verify;
 * - a whole 2-of-2 session (both signers' NonceGen and Sign, aggregation): 2 × schnorr sign — two
 *   signers each produce a signature share;
 * - the adaptor session is the same 2 sign-units of signing work, plus what the extracting party
 *   must add: verifying both partial signatures, then adapt, a BIP-340 verify of the result and
 *   extract. It is kept at 2 sign-units so that its ratio, set beside the plain session's, shows that
 *   extra cost instead of hiding it;
 * - the @cmdcode/musig2 session is the same 2-of-2 work on another implementation.
 *
 * @example
 * ```ts
 * import { benchMusig2 } from './musig2.js';
 * await benchMusig2();
 * ```
 * @module
 */
import { runBenchmarks } from '@asyncpay/testkit/bench';
import { schnorr } from '@noble/curves/secp256k1.js';
import { adapt, aggregatePreSignature, extract, verifyPartialSigs } from '../src/musig2/adaptor.js';
import { bip327Backend } from '../src/musig2/backend.js';
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
  partialSigAgg,
  partialSigVerify,
  type SessionContext,
  sign,
} from '../src/musig2/session.js';
import { G } from '../src/musig2/util.js';
import { cmdcodeBackend } from './musig2-cmdcode.js';

const filled = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);

/** Runs the MuSig2 benchmarks and prints their table. */
export async function benchMusig2(): Promise<void> {
  const msg = filled(0x4d);
  const skA = filled(0x41);
  const skB = filled(0x42);
  const t = filled(0x54);
  const T = G.multiply(BigInt(`0x${'54'.repeat(32)}`)).toBytes(true);
  const pkA = individualPubkey(skA);
  const pkB = individualPubkey(skB);
  const pubkeys = keySort([pkA, pkB]);
  const signers = pubkeys.map((pk) => (pk === pkA ? { sk: skA, pk } : { sk: skB, pk }));
  const internal = keyAgg(pubkeys);
  const tweak = taprootTweak(getXonlyPubkey(internal));
  const aggpk = getXonlyPubkey(applyTweak(internal, tweak, true));
  const base = { pubkeys, tweaks: [tweak], isXonly: [true], msg };

  // Floors' inputs.
  const floorSig = schnorr.sign(msg, skA);
  const floorPub = schnorr.getPublicKey(skA);

  // A fixed session for the single-operation cases (Sign consumes its secnonce, so it gets fresh ones).
  const fixed = signers.map((s) => nonceGen({ pk: s.pk, sk: s.sk, aggpk, msg }));
  const fixedCtx: SessionContext = { ...base, aggnonce: nonceAgg(fixed.map((n) => n.pubnonce)) };
  // Sign consumes the array it gets; the Sign case signs copies of this one (same nonce, same
  // message: harmless, and it keeps NonceGen out of the measured time).
  const pristine = fixed[0]!.secnonce.slice();
  const fixedPsig = sign(fixed[0]!.secnonce, signers[0]!.sk, fixedCtx);
  const fixedPubnonces = fixed.map((n) => n.pubnonce);

  function plainSession(): Uint8Array {
    const nonces = signers.map((s) => nonceGen({ pk: s.pk, sk: s.sk, aggpk, msg }));
    const ctx: SessionContext = { ...base, aggnonce: nonceAgg(nonces.map((n) => n.pubnonce)) };
    return partialSigAgg(
      signers.map((s, i) => sign(nonces[i]!.secnonce, s.sk, ctx)),
      ctx,
    );
  }

  function adaptorSession(): Uint8Array {
    const nonces = signers.map((s) => nonceGen({ pk: s.pk, sk: s.sk, aggpk, msg }));
    const pubnonces = nonces.map((n) => n.pubnonce);
    const ctx: AdaptorSessionContext = { ...base, aggnonce: nonceAgg(pubnonces), adaptor: T };
    const psigs = signers.map((s, i) => sign(nonces[i]!.secnonce, s.sk, ctx));
    const pre = aggregatePreSignature(verifyPartialSigs(psigs, pubnonces, ctx));
    const sig = adapt(pre, t, T);
    if (!schnorr.verify(sig, msg, aggpk)) throw new Error('adapted signature does not verify');
    return extract(pre, sig, T);
  }

  let counter = 0;
  const nextRands = () => {
    counter++;
    return [filled(counter & 0xff), filled((counter + 128) & 0xff)];
  };

  await runBenchmarks('crypto: MuSig2 (BIP-327, adaptor, @cmdcode/musig2 for comparison)', {
    floors: {
      'schnorr sign': () => schnorr.sign(msg, skA),
      'schnorr verify': () => schnorr.verify(floorSig, msg, floorPub),
    },
    timeMs: 1500,
    cases: [
      {
        name: 'BIP-327 Sign, one signer (incl. self-verification)',
        fn: () => sign(pristine.slice(), signers[0]!.sk, fixedCtx),
        floor: 'schnorr sign',
      },
      {
        name: 'BIP-327 PartialSigVerify',
        fn: () => partialSigVerify({ ...base, psig: fixedPsig, pubnonces: fixedPubnonces, signer: 0 }),
        floor: 'schnorr verify',
      },
      { name: '2-of-2 session, no adaptor', fn: plainSession, floor: 'schnorr sign', floorUnits: 2 },
      {
        name: '2-of-2 session with adaptor (+ verify psigs, adapt, verify, extract)',
        fn: adaptorSession,
        floor: 'schnorr sign',
        floorUnits: 2,
      },
      {
        name: '2-of-2 session, @cmdcode/musig2 backend',
        fn: () => {
          const s = cmdcodeBackend.signSession([skA, skB], msg, { rands: nextRands(), taproot: true });
          return cmdcodeBackend.combine(s);
        },
        floor: 'schnorr sign',
        floorUnits: 2,
      },
      {
        name: '2-of-2 session, BIP-327 backend (same interface)',
        fn: () => {
          const s = bip327Backend.signSession([skA, skB], msg, { rands: nextRands(), taproot: true });
          return bip327Backend.combine(s);
        },
        floor: 'schnorr sign',
        floorUnits: 2,
      },
    ],
  });
}
