/**
 * MuSig2 with an adaptor point, following secp256k1-zkp's musig module (`musig_nonce_process` with an
 * adaptor, `musig_adapt`, `musig_extract_adaptor`).
 *
 * The session is an ordinary BIP-327 session plus an adaptor point T = t⋅G
 * ({@link AdaptorSessionContext}). In GetSessionValues, T joins the first aggregate nonce point
 * before the nonce coefficient is hashed:
 *
 *   b  = int(hash_MuSig/noncecoef(cbytes_ext(R1 + T) ‖ cbytes_ext(R2) ‖ xbytes(Q) ‖ m)) mod n
 *   R' = (R1 + T) + b⋅R2          (G if infinite)
 *   e  = int(hash_BIP0340/challenge(xbytes(R') ‖ xbytes(Q) ‖ m)) mod n
 *
 * Signers sign and verify partial signatures exactly as in BIP-327 with these values; the sum of the
 * partial signatures is a *pre-signature* s' that lacks t. Whoever knows t completes it:
 * `s = s' + t` if R' has even y, `s = s' − t` if odd (the final nonce's parity decides ±t, because
 * signers negated their nonces for an odd R'). Whoever then sees the final signature learns
 * `t = s − s'` (even) or `s' − s` (odd).
 *
 * secp256k1-zkp's `doc/musig.md` warns that "the party who is going to extract the secret adaptor t
 * later must verify all partial signatures", or extraction yields garbage. Here the only way to a
 * pre-signature is {@link aggregatePreSignature}, which takes a {@link VerifiedPartialSigs} that only
 * {@link verifyPartialSigs} produces (a type *and* a runtime check), and plain
 * `partialSigAgg` refuses adaptor sessions.
 *
 * Pre-signatures are 65 bytes, `cbytes(R') ‖ bytes(32, s')`, like this package's single-signer
 * Schnorr adaptor pre-signatures: the prefix byte carries the parity that decides ±t.
 * secp256k1-zkp hashes 32-byte messages only; this module, like BIP-327, takes any length (the
 * digests are identical for 32-byte messages).
 *
 * @example
 * ```ts
 * import { verifyPartialSigs, aggregatePreSignature, adapt, extract } from '@asyncpay/crypto/musig2/adaptor';
 * const ctx = { aggnonce, pubkeys, tweaks, isXonly, msg, adaptor: T };
 * const pre = aggregatePreSignature(verifyPartialSigs([psigA, psigB], [nonceA, nonceB], ctx));
 * const sig = adapt(pre, t);            // a BIP-340 signature under the aggregate key
 * const t2 = extract(pre, sig, T);      // equals t
 * ```
 * @module
 */
import { concatBytes } from '@noble/hashes/utils.js';
import { CryptoError } from '../errors.js';
import { nonceAgg } from './nonce.js';
import {
  type AdaptorSessionContext,
  adaptorPoint,
  getSessionValues,
  partialSigSum,
  partialSigVerifyWith,
  type SessionValues,
} from './session.js';
import {
  abytes,
  abytesArray,
  bytes,
  cbytes,
  cpoint,
  equal,
  Fn,
  G,
  hasEvenY,
  hashTag,
  int,
  intModN,
  liftX,
  Musig2ContributionError,
  type Point,
  parityFactor,
  xbytes,
} from './util.js';

/** A session locked to an adaptor point, defined in `./session.ts` and re-exported for callers of this module. */
export type { AdaptorSessionContext } from './session.js';

declare const verifiedBrand: unique symbol;

/**
 * Partial signatures of an adaptor session that have all passed PartialSigVerify against the
 * session's public nonces and keys. Only {@link verifyPartialSigs} makes one.
 */
export interface VerifiedPartialSigs {
  readonly psigs: readonly Uint8Array[];
  readonly ctx: AdaptorSessionContext;
  readonly values: SessionValues;
  readonly [verifiedBrand]: true;
}

/** The objects {@link verifyPartialSigs} returned (so that a cast cannot forge one). */
const issued = new WeakSet<object>();

/**
 * Verifies every partial signature of an adaptor session (BIP-327 PartialSigVerifyInternal with the
 * adaptor session values) and that `pubnonces` aggregate to the session's `aggnonce`. Refusals:
 * `INVALID_AGGNONCE` (the nonces do not aggregate to `ctx.aggnonce`), `INVALID_PUBNONCE` /
 * `INVALID_PUBKEY` / `INVALID_PARTIAL_SIG` (a value that does not decode), `BAD_PARTIAL_SIG` (a
 * partial signature that does not verify) — each a {@link Musig2ContributionError} naming the signer.
 * @example
 * ```ts
 * const verified = verifyPartialSigs([psigAlice, psigBob], [pubnonceAlice, pubnonceBob], ctx);
 * ```
 */
export function verifyPartialSigs(
  psigs: readonly Uint8Array[],
  pubnonces: readonly Uint8Array[],
  ctx: AdaptorSessionContext,
): VerifiedPartialSigs {
  const sigs = abytesArray(psigs, 32, 'psigs');
  const nonces = abytesArray(pubnonces, 66, 'pubnonces');
  abytes(ctx.adaptor, 33, 'ctx.adaptor');
  const u = ctx.pubkeys.length;
  if (sigs.length !== u || nonces.length !== u) {
    throw new RangeError('psigs, pubnonces: expected one per public key');
  }
  // The aggregate nonce the signers used must be the one these public nonces make.
  if (!equal(nonceAgg(nonces), abytes(ctx.aggnonce, 66, 'ctx.aggnonce'))) {
    throw new Musig2ContributionError(null, 'aggnonce', 'aggnonce is not NonceAgg(pubnonces)');
  }
  const values = getSessionValues(ctx);
  for (let i = 0; i < u; i++) {
    const psig = sigs[i]!;
    if (!Fn.isValid(int(psig))) throw new Musig2ContributionError(i, 'psig', `psigs[${i}] is not below n`);
    if (!partialSigVerifyWith(psig, nonces[i]!, ctx.pubkeys[i]!, values)) {
      throw new Musig2ContributionError(i, 'psig', `psigs[${i}] does not verify`, {
        code: 'BAD_PARTIAL_SIG',
      });
    }
  }
  const verified = Object.freeze({
    psigs: Object.freeze(sigs.map((s) => s.slice())),
    ctx,
    values,
  }) as VerifiedPartialSigs;
  issued.add(verified);
  return verified;
}

/**
 * PartialSigAgg for an adaptor session: the 65-byte pre-signature `cbytes(R') ‖ bytes(32, s')` with
 * `s' = Σ si + e⋅g⋅tacc`. Refuses anything {@link verifyPartialSigs} did not return with
 * `UNVERIFIED_PARTIAL_SIGS`.
 * @example
 * ```ts
 * const pre = aggregatePreSignature(verifyPartialSigs(psigs, pubnonces, ctx));
 * ```
 */
export function aggregatePreSignature(verified: VerifiedPartialSigs): Uint8Array {
  if (!issued.has(verified)) {
    throw new CryptoError('UNVERIFIED_PARTIAL_SIGS', 'partial signatures must come from verifyPartialSigs', {
      field: 'verified',
    });
  }
  const { values } = verified;
  return concatBytes(cbytes(values.R), bytes(32, partialSigSum(verified.psigs, values)));
}

interface PreSig {
  R: Point;
  s: bigint;
}

function parsePreSignature(preSig: Uint8Array): PreSig {
  abytes(preSig, 65, 'preSig');
  let R: Point;
  try {
    R = cpoint(preSig.subarray(0, 33));
  } catch (cause) {
    throw new CryptoError('INVALID_PRESIGNATURE', 'preSig nonce does not decode', { field: 'preSig', cause });
  }
  const s = int(preSig.subarray(33, 65));
  if (!Fn.isValid(s))
    throw new CryptoError('INVALID_PRESIGNATURE', 'preSig s is not below n', { field: 'preSig' });
  return { R, s };
}

function parseSecret(t: Uint8Array, field: string): bigint {
  abytes(t, 32, field);
  const v = int(t);
  if (!Fn.isValidNot0(v)) throw new CryptoError('INVALID_SCALAR', `${field}: out of range`, { field });
  return v;
}

/**
 * Completes a pre-signature with the adaptor secret t (secp256k1-zkp `musig_adapt`): `s = s' + t`
 * if R' has even y, else `s' − t`. Returns the 64-byte BIP-340 signature `xbytes(R') ‖ bytes(32, s)`.
 * With `adaptor` given, refuses a t with t⋅G ≠ T (`ADAPTOR_MISMATCH`).
 * @example
 * ```ts
 * const sig = adapt(pre, t);
 * ```
 */
export function adapt(preSig: Uint8Array, t: Uint8Array, adaptor?: Uint8Array): Uint8Array {
  const { R, s } = parsePreSignature(preSig);
  const tv = parseSecret(t, 't');
  if (adaptor !== undefined && !G.multiply(tv).equals(adaptorPoint(adaptor))) {
    throw new CryptoError('ADAPTOR_MISMATCH', 't is not the discrete log of the adaptor', { field: 't' });
  }
  // secp256k1-zkp musig_adapt: "if nonce_parity is odd, negate t" — s = s' + (±t)
  return concatBytes(xbytes(R), bytes(32, Fn.add(s, Fn.mul(parityFactor(R), tv))));
}

/**
 * Recovers t from a pre-signature and its completed signature (secp256k1-zkp
 * `musig_extract_adaptor`): `t = s − s'` if R' has even y, else `s' − s`. Refusals:
 * `PRESIGNATURE_MISMATCH` (the signature's nonce is not the pre-signature's), and with `adaptor`
 * given, `ADAPTOR_MISMATCH` if the recovered t does not match T.
 * @example
 * ```ts
 * const t = extract(pre, sigSeenOnChain, T);
 * ```
 */
export function extract(preSig: Uint8Array, sig: Uint8Array, adaptor?: Uint8Array): Uint8Array {
  const { R, s: sp } = parsePreSignature(preSig);
  abytes(sig, 64, 'sig');
  if (!equal(sig.subarray(0, 32), xbytes(R))) {
    throw new CryptoError('PRESIGNATURE_MISMATCH', 'sig does not use the pre-signature nonce', {
      field: 'sig',
    });
  }
  const s = int(sig.subarray(32, 64));
  if (!Fn.isValid(s)) throw new CryptoError('INVALID_SIGNATURE', 'sig s is not below n', { field: 'sig' });
  // t = g_R⋅(s − s')
  const t = Fn.mul(parityFactor(R), Fn.sub(s, sp));
  if (adaptor !== undefined && (t === 0n || !G.multiply(t).equals(adaptorPoint(adaptor)))) {
    throw new CryptoError('ADAPTOR_MISMATCH', 'the extracted secret does not match the adaptor', {
      field: 'adaptor',
    });
  }
  return bytes(32, t);
}

/**
 * Checks a pre-signature against the x-only aggregate key (tweaked, as the final signature will be
 * verified), the message and T: `s'⋅G = g⋅(R' − T) + e⋅lift_x(aggpk)` with g = ±1 by R''s parity
 * and `e = hash_BIP0340/challenge(xbytes(R') ‖ aggpk ‖ m)`. True iff adapting it with the t of T
 * gives a valid BIP-340 signature.
 * @example
 * ```ts
 * preSignatureVerify(pre, getXonlyPubkey(tweakedCtx), msg, T); // true
 * ```
 */
export function preSignatureVerify(
  preSig: Uint8Array,
  aggpk: Uint8Array,
  msg: Uint8Array,
  adaptor: Uint8Array,
): boolean {
  abytes(aggpk, 32, 'aggpk');
  abytes(msg, undefined, 'msg');
  const { R, s } = parsePreSignature(preSig);
  const T = adaptorPoint(adaptor);
  let P: Point;
  try {
    P = liftX(aggpk);
  } catch {
    return false;
  }
  const e = intModN(hashTag('BIP0340/challenge', xbytes(R), aggpk, msg));
  const RminusT = R.subtract(T);
  const lhs = G.multiplyUnsafe(s);
  const rhs = (hasEvenY(R) ? RminusT : RminusT.negate()).add(P.multiplyUnsafe(e));
  return lhs.equals(rhs);
}
