/**
 * MuSig2 (BIP-327) with adaptor signatures (secp256k1-zkp semantics): the protocol-facing API in one
 * import. The modules behind it can also be imported one by one (`musig2/keyagg`, `musig2/nonce`,
 * `musig2/session`, `musig2/adaptor`); the comparison interface `musig2/backend` is deliberately not
 * re-exported here.
 *
 * ## Why BIP-327 is written here on noble, and not taken from `@scure/btc-signer/musig2.js`
 *
 * `@scure/btc-signer` 2.4.1 ships a correct BIP-327 (it passes the same vectors, and
 * `test/musig2-scure.test.ts` checks that both agree value for value on random sessions). It was
 * still not the base, for three reasons:
 *
 * 1. **The adaptor needs the inside of GetSessionValues.** secp256k1-zkp adds T to the first
 *    aggregate nonce point *before* hashing the nonce coefficient b, so b, R and e all change. scure's
 *    `Session` computes them in private fields from the aggregate nonce bytes; there is no hook to add
 *    T there. Using it would mean forking its session code or re-deriving the session values
 *    next to it — two implementations of one formula.
 * 2. **Typed blame.** BIP-327 says "fail … and blame signer i". Our callers branch on a stable
 *    `CryptoError` code plus the signer index ({@link Musig2ContributionError}); scure throws its own
 *    `InvalidContributionErr` or plain errors, which would have to be caught and re-mapped by
 *    message.
 * 3. **A verified-before-aggregate API.** The party that extracts the adaptor secret must verify
 *    every partial signature first. Here that is a type (`VerifiedPartialSigs`) only a verifying
 *    function returns; with scure's `Session.partialSigAgg` the unverified path stays one call away.
 *
 * The cost is about 1,200 lines of our own code, doc comments included. The risk is bounded: no
 * field or point arithmetic is hand-written (noble's `secp256k1.Point`, `Point.Fn` and
 * `schnorr.utils` do it), every step quotes the BIP, all eight BIP-327 vector files pass including
 * their error cases, and scure stays in the test suite as an independent oracle.
 *
 * `@cmdcode/musig2` is not BIP-327 (x-only sorted keys, no second-key exception, 128-byte partial
 * signatures, no adaptor); it lives only behind the comparison interface, in the package's
 * `bench/musig2-cmdcode.ts`, used by `test/musig2-backends.test.ts` and the benchmarks.
 *
 * @example
 * ```ts
 * import { keyAgg, keySort, nonceGen, nonceAgg, sign, partialSigAgg } from '@asyncpay/crypto/musig2/index';
 * const pubkeys = keySort([pkAlice, pkBob]);
 * const a = nonceGen({ pk: pkAlice, sk: skAlice, msg });
 * const b = nonceGen({ pk: pkBob, sk: skBob, msg });
 * const ctx = { aggnonce: nonceAgg([a.pubnonce, b.pubnonce]), pubkeys, msg };
 * const sig = partialSigAgg([sign(a.secnonce, skAlice, ctx), sign(b.secnonce, skBob, ctx)], ctx);
 * ```
 * @module
 */
export {
  adapt,
  aggregatePreSignature,
  extract,
  preSignatureVerify,
  type VerifiedPartialSigs,
  verifyPartialSigs,
} from './adaptor.js';
export {
  applyTweak,
  applyTweaks,
  getPlainPubkey,
  getXonlyPubkey,
  individualPubkey,
  type KeyAggContext,
  keyAgg,
  keySort,
  taprootTweak,
} from './keyagg.js';
export { type NonceGenArgs, type NoncePair, nonceAgg, nonceGen } from './nonce.js';
export {
  type AdaptorSessionContext,
  type DeterministicSignArgs,
  deterministicSign,
  getSessionValues,
  type PartialSigVerifyArgs,
  type PlainSessionContext,
  partialSigAgg,
  partialSigVerify,
  type SessionContext,
  type SessionValues,
  sign,
} from './session.js';
export { type Musig2Contribution, Musig2ContributionError } from './util.js';
