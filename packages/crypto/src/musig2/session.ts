/**
 * BIP-327 signing: the Session Context and GetSessionValues, Sign, PartialSigVerify,
 * PartialSigAgg and DeterministicSign.
 *
 * A session may carry an adaptor point T (see `./adaptor.ts`): GetSessionValues then follows
 * secp256k1-zkp's `musig_nonce_process` with an adaptor — T is added to the first aggregate nonce
 * point *before* the nonce coefficient b is hashed, so `b = hash_MuSig/noncecoef(cbytes_ext(R1 + T) ‖
 * cbytes_ext(R2) ‖ xbytes(Q) ‖ m)` and `R = (R1 + T) + b⋅R2`. Signing and partial verification are
 * otherwise unchanged; only the final aggregation differs, and it lives in `./adaptor.ts` behind
 * partial-signature verification.
 *
 * @example
 * ```ts
 * import { sign, partialSigVerify, partialSigAgg } from '@asyncpay/crypto/musig2/session';
 * const ctx = { aggnonce, pubkeys: [pkAlice, pkBob], msg };
 * const psigAlice = sign(secnonceAlice, skAlice, ctx);
 * const psigBob = sign(secnonceBob, skBob, ctx);
 * const sig = partialSigAgg([psigAlice, psigBob], ctx); // a BIP-340 signature under xbytes(Q)
 * ```
 * @module
 */
import { concatBytes } from '@noble/hashes/utils.js';
import { CryptoError } from '../errors.js';
import { applyTweaks, type KeyAggInternal, keyAggCoeffInternal, keyAggInternal } from './keyagg.js';
import { nonceAgg, nonceAggBlaming, nonceFromScalars } from './nonce.js';
import {
  abytes,
  abytesArray,
  bytes,
  cbytes,
  cbytesExt,
  cpoint,
  cpointExt,
  equal,
  Fn,
  G,
  hasEvenY,
  hashTag,
  int,
  intModN,
  Musig2ContributionError,
  type Point,
  parityFactor,
  xbytes,
} from './util.js';

/** BIP-327 Session Context `(aggnonce, u, pk1..u, v, tweak1..v, is_xonly_t1..v, m)`. */
export interface SessionContext {
  /** The aggregate public nonce, 66 bytes. */
  aggnonce: Uint8Array;
  /** The individual public keys, 33 bytes each, in KeyAgg order. */
  pubkeys: readonly Uint8Array[];
  /** The tweaks, 32 bytes each (default none). */
  tweaks?: readonly Uint8Array[];
  /** The tweak modes, one per tweak: true for x-only (default none). */
  isXonly?: readonly boolean[];
  /** The message, any length. */
  msg: Uint8Array;
}

/** A session whose final signature is locked to the adaptor point T (see `./adaptor.ts`). */
export interface AdaptorSessionContext extends SessionContext {
  /** The adaptor point T, 33-byte compressed. */
  adaptor: Uint8Array;
}

/** A session context without an adaptor (what plain {@link partialSigAgg} accepts). */
export type PlainSessionContext = SessionContext & { adaptor?: undefined };

/** BIP-327 GetSessionValues' output `(Q, gacc, tacc, b, R, e)`, plus the KeyAgg data. */
export interface SessionValues {
  readonly Q: Point;
  readonly gacc: bigint;
  readonly tacc: bigint;
  /** The nonce coefficient b. */
  readonly b: bigint;
  /** The final nonce R (with an adaptor: `(R1 + T) + b⋅R2`). */
  readonly R: Point;
  /** The challenge e. */
  readonly e: bigint;
  /** `R1` and `R2` of the aggregate nonce, T already added to `R1` in an adaptor session. */
  readonly aggnoncePoints: readonly [Point, Point];
  readonly keyagg: KeyAggInternal;
}

/**
 * BIP-327 GetSessionValues, with secp256k1-zkp's adaptor extension when `ctx.adaptor` is set.
 * @example
 * ```ts
 * const { R, e, b } = getSessionValues({ aggnonce, pubkeys, msg });
 * ```
 */
export function getSessionValues(ctx: SessionContext & { adaptor?: Uint8Array | undefined }): SessionValues {
  const aggnonce = abytes(ctx.aggnonce, 66, 'aggnonce');
  const msg = abytes(ctx.msg, undefined, 'msg');
  // BIP-327: "Let keyagg_ctx0 = KeyAgg(pk1..u); fail if that fails"
  const keyagg = keyAggInternal(ctx.pubkeys);
  // BIP-327: "For i = 1 .. v: Let keyagg_ctxi = ApplyTweak(keyagg_ctxi-1, tweaki, is_xonly_ti)"
  const { Q, gacc, tacc } = applyTweaks(keyagg.ctx, ctx.tweaks ?? [], ctx.isXonly ?? []);
  // BIP-327: "Let R1 = cpoint_ext(aggnonce[0:33]), R2 = cpoint_ext(aggnonce[33:66]); fail if that fails
  // and blame nonce aggregator for invalid aggnonce."
  let R1: Point;
  let R2: Point;
  try {
    R1 = cpointExt(aggnonce.subarray(0, 33));
    R2 = cpointExt(aggnonce.subarray(33, 66));
  } catch (cause) {
    throw new Musig2ContributionError(null, 'aggnonce', 'aggnonce does not decode', { cause });
  }
  let noncecoefInput = aggnonce;
  if (ctx.adaptor !== undefined) {
    // secp256k1-zkp musig_nonce_process: "Add public adaptor to nonce" — aggnonce[0] += T, and the
    // nonce hash is taken over the modified pair, each point serialized as cbytes_ext.
    R1 = R1.add(adaptorPoint(ctx.adaptor));
    noncecoefInput = concatBytes(cbytesExt(R1), cbytesExt(R2));
  }
  // BIP-327: "Let b = int(hash_MuSig/noncecoef(aggnonce ‖ xbytes(Q) ‖ m)) mod n"
  const b = intModN(hashTag('MuSig/noncecoef', noncecoefInput, xbytes(Q), msg));
  // BIP-327: "Let R' = R1 + b⋅R2; If is_infinite(R'): Let final nonce R = G, Else: R = R'"
  const Rp = R1.add(R2.multiplyUnsafe(b));
  const R = Rp.is0() ? G : Rp;
  // BIP-327: "Let e = int(hash_BIP0340/challenge(xbytes(R) ‖ xbytes(Q) ‖ m)) mod n"
  const e = intModN(hashTag('BIP0340/challenge', xbytes(R), xbytes(Q), msg));
  return { Q, gacc, tacc, b, R, e, aggnoncePoints: [R1, R2], keyagg };
}

/** Decodes the adaptor point T; `INVALID_ADAPTOR` if it is not a compressed point. */
export function adaptorPoint(adaptor: Uint8Array): Point {
  abytes(adaptor, 33, 'adaptor');
  try {
    return cpoint(adaptor);
  } catch (cause) {
    throw new CryptoError('INVALID_ADAPTOR', 'adaptor is not a valid point', { field: 'adaptor', cause });
  }
}

/** BIP-327 GetSessionKeyAggCoeff: "Fail if pk not in pk1..u" → `INVALID_SIGNER_INDEX`. */
function sessionKeyAggCoeff(keyagg: KeyAggInternal, pk: Uint8Array): bigint {
  if (!keyagg.pubkeys.some((p) => equal(p, pk))) {
    throw new CryptoError(
      'INVALID_SIGNER_INDEX',
      "The signer's pubkey must be included in the list of pubkeys",
      { field: 'pubkeys' },
    );
  }
  return keyAggCoeffInternal(keyagg.L, pk, keyagg.pk2);
}

/** Secret nonces already consumed by {@link sign} (the arrays themselves). */
const consumedSecnonces = new WeakSet<Uint8Array>();

/**
 * BIP-327 Sign(secnonce, sk, session_ctx). Consumes `secnonce`: its nonce half is zeroed, and using
 * the same array again throws `DUPLICATE_SECNONCE_USE`. Other refusals: `INVALID_SECNONCE`
 * ("first secnonce value is out of range", or a secnonce made for another key),
 * `INVALID_SECRET_KEY`, `INVALID_SIGNER_INDEX` (the signer's key is not in the session), the
 * session's own errors, and `BAD_PARTIAL_SIG` if the result fails its own verification.
 * @example
 * ```ts
 * const psig = sign(secnonce, sk, { aggnonce, pubkeys, msg });
 * ```
 */
export function sign(
  secnonce: Uint8Array,
  sk: Uint8Array,
  ctx: SessionContext | AdaptorSessionContext,
): Uint8Array {
  abytes(secnonce, 97, 'secnonce');
  abytes(sk, 32, 'sk');
  if (consumedSecnonces.has(secnonce)) {
    throw new CryptoError('DUPLICATE_SECNONCE_USE', 'this secnonce was already used', { field: 'secnonce' });
  }
  // BIP-327: "Let (Q, gacc, _, b, R, e) = GetSessionValues(session_ctx); fail if that fails"
  const v = getSessionValues(ctx);
  // BIP-327: "Let k1' = int(secnonce[0:32]), k2' = int(secnonce[32:64]);
  // Fail if ki' = 0 or ki' ≥ n for i = 1..2"
  const k1p = int(secnonce.subarray(0, 32));
  const k2p = int(secnonce.subarray(32, 64));
  if (!Fn.isValidNot0(k1p) || !Fn.isValidNot0(k2p)) {
    throw new CryptoError('INVALID_SECNONCE', 'secnonce value is out of range', { field: 'secnonce' });
  }
  // The secnonce must never sign twice: wipe it now, before anything else can fail.
  secnonce.fill(0, 0, 64);
  consumedSecnonces.add(secnonce);
  // BIP-327: "Let k1 = k1', k2 = k2' if has_even_y(R), otherwise let k1 = n - k1', k2 = n - k2'"
  const gR = parityFactor(v.R);
  const k1 = Fn.mul(gR, k1p);
  const k2 = Fn.mul(gR, k2p);
  // BIP-327: "Let d' = int(sk); Fail if d' = 0 or d' ≥ n"
  const dp = int(sk);
  if (!Fn.isValidNot0(dp)) throw new CryptoError('INVALID_SECRET_KEY', 'sk: out of range', { field: 'sk' });
  // BIP-327: "Let P = d'⋅G; Let pk = cbytes(P); Fail if pk ≠ secnonce[64:97]"
  const pk = cbytes(G.multiply(dp));
  if (!equal(pk, secnonce.subarray(64, 97))) {
    throw new CryptoError('INVALID_SECNONCE', 'secnonce was made for another public key', {
      field: 'secnonce',
    });
  }
  // BIP-327: "Let a = GetSessionKeyAggCoeff(session_ctx, P); fail if that fails"
  const a = sessionKeyAggCoeff(v.keyagg, pk);
  // BIP-327: "Let g = 1 if has_even_y(Q), otherwise let g = -1 mod n; Let d = g⋅gacc⋅d' mod n"
  const d = Fn.mul(Fn.mul(parityFactor(v.Q), v.gacc), dp);
  // BIP-327: "Let s = (k1 + b⋅k2 + e⋅a⋅d) mod n"
  const s = Fn.add(Fn.add(k1, Fn.mul(v.b, k2)), Fn.mul(v.e, Fn.mul(a, d)));
  const psig = bytes(32, s);
  // BIP-327: "If PartialSigVerifyInternal(psig, pubnonce, pk, session_ctx) returns failure, fail"
  const { pubnonce } = nonceFromScalars(k1p, k2p, pk);
  if (!partialSigVerifyWith(psig, pubnonce, pk, v)) {
    throw new CryptoError('BAD_PARTIAL_SIG', 'the partial signature failed its own verification');
  }
  return psig;
}

/** Arguments of {@link partialSigVerify} (BIP-327's, plus the optional adaptor point). */
export interface PartialSigVerifyArgs {
  /** The partial signature, 32 bytes. */
  psig: Uint8Array;
  /** Every signer's public nonce, 66 bytes each, in key order. */
  pubnonces: readonly Uint8Array[];
  /** Every signer's public key, 33 bytes each. */
  pubkeys: readonly Uint8Array[];
  tweaks?: readonly Uint8Array[];
  isXonly?: readonly boolean[];
  msg: Uint8Array;
  /** 0-based index of the signer whose partial signature this is. */
  signer: number;
  /** The adaptor point T of an adaptor session, 33 bytes. */
  adaptor?: Uint8Array;
}

/**
 * BIP-327 PartialSigVerify: true iff `psig` is signer `signer`'s valid partial signature. Invalid
 * contributions (a public key or nonce that does not decode) throw, blaming the signer; an
 * out-of-range `signer` throws `INVALID_SIGNER_INDEX`.
 * @example
 * ```ts
 * const ok = partialSigVerify({ psig, pubnonces, pubkeys, msg, signer: 1 });
 * ```
 */
export function partialSigVerify(args: PartialSigVerifyArgs): boolean {
  const pubnonces = abytesArray(args.pubnonces, 66, 'pubnonces');
  const pubkeys = abytesArray(args.pubkeys, 33, 'pubkeys');
  const psig = abytes(args.psig, 32, 'psig');
  const i = args.signer;
  if (pubnonces.length !== pubkeys.length) throw new RangeError('pubnonces: expected one per public key');
  if (!Number.isInteger(i) || i < 0 || i >= pubnonces.length) {
    throw new CryptoError('INVALID_SIGNER_INDEX', `signer ${i} is not a signer of this session`, {
      field: 'signer',
    });
  }
  // BIP-327: "Let aggnonce = NonceAgg(pubnonce1..u); fail if that fails"
  const aggnonce = nonceAgg(pubnonces);
  const ctx = { aggnonce, pubkeys, tweaks: args.tweaks, isXonly: args.isXonly, msg: args.msg };
  // BIP-327: "Run PartialSigVerifyInternal(psig, pubnonce_i, pk_i, session_ctx)"
  const v = getSessionValues(args.adaptor === undefined ? ctx : { ...ctx, adaptor: args.adaptor });
  return partialSigVerifyWith(psig, pubnonces[i]!, pubkeys[i]!, v);
}

/**
 * BIP-327 PartialSigVerifyInternal on already computed session values. Returns false for a wrong
 * or out-of-range signature; throws if `pubnonce` or `pk` does not decode.
 */
export function partialSigVerifyWith(
  psig: Uint8Array,
  pubnonce: Uint8Array,
  pk: Uint8Array,
  v: SessionValues,
): boolean {
  // BIP-327: "Let s = int(psig); fail if s ≥ n"
  const s = int(psig);
  if (!Fn.isValid(s)) return false;
  // BIP-327: "Let R*,1 = cpoint(pubnonce[0:33]), R*,2 = cpoint(pubnonce[33:66])"
  let R1: Point;
  let R2: Point;
  try {
    R1 = cpoint(pubnonce.subarray(0, 33));
    R2 = cpoint(pubnonce.subarray(33, 66));
  } catch (cause) {
    throw new CryptoError('INVALID_PUBNONCE', 'pubnonce does not decode', { field: 'pubnonce', cause });
  }
  // BIP-327: "Let Re*' = R*,1 + b⋅R*,2; Let effective nonce Re* = Re*' if has_even_y(R), otherwise
  // let Re* = -Re*'"
  const ReP = R1.add(R2.multiplyUnsafe(v.b));
  const Re = hasEvenY(v.R) ? ReP : ReP.negate();
  // BIP-327: "Let P = cpoint(pk); fail if that fails"
  let P: Point;
  try {
    P = cpoint(pk);
  } catch (cause) {
    throw new CryptoError('INVALID_PUBKEY', 'pk does not decode', { field: 'pk', cause });
  }
  const a = sessionKeyAggCoeff(v.keyagg, pk);
  // BIP-327: "Let g = 1 if has_even_y(Q), otherwise let g = -1 mod n; Let g' = g⋅gacc mod n"
  const gp = Fn.mul(parityFactor(v.Q), v.gacc);
  // BIP-327: "Fail if s⋅G ≠ Re* + e⋅a⋅g'⋅P", checked as s⋅G − (e⋅a⋅g')⋅P = Re* with one
  // double-scalar multiplication
  return G.mulAddUnsafe(s, P, Fn.neg(Fn.mul(v.e, Fn.mul(a, gp)))).equals(Re);
}

/**
 * The scalar part of PartialSigAgg: `s = s1 + … + su + e⋅g⋅tacc mod n`. Throws
 * `INVALID_PARTIAL_SIG` blaming signer i if "si ≥ n".
 */
export function partialSigSum(psigs: readonly Uint8Array[], v: SessionValues): bigint {
  const sigs = abytesArray(psigs, 32, 'psigs');
  if (sigs.length !== v.keyagg.pubkeys.length) throw new RangeError('psigs: expected one per public key');
  let s = 0n;
  for (let i = 0; i < sigs.length; i++) {
    // BIP-327: "Let si = int(psigi); fail if si ≥ n and blame signer i for invalid partial signature."
    const si = int(sigs[i]!);
    if (!Fn.isValid(si)) throw new Musig2ContributionError(i, 'psig', `psigs[${i}] is not below n`);
    s = Fn.add(s, si);
  }
  // BIP-327: "Let g = 1 if has_even_y(Q), otherwise let g = -1 mod n;
  // Let s = s1 + ... + su + e⋅g⋅tacc mod n"
  return Fn.add(s, Fn.mul(v.e, Fn.mul(parityFactor(v.Q), v.tacc)));
}

/**
 * BIP-327 PartialSigAgg: the 64-byte BIP-340 signature `xbytes(R) ‖ bytes(32, s)`. Refuses adaptor
 * sessions with `UNVERIFIED_PARTIAL_SIGS`: those aggregate through `verifyPartialSigs` and
 * `aggregatePreSignature` in `./adaptor.ts`, so that partial signatures are verified first.
 * @example
 * ```ts
 * const sig = partialSigAgg([psigAlice, psigBob], { aggnonce, pubkeys, msg });
 * ```
 */
export function partialSigAgg(psigs: readonly Uint8Array[], ctx: PlainSessionContext): Uint8Array {
  if ((ctx as { adaptor?: unknown }).adaptor !== undefined) {
    throw new CryptoError(
      'UNVERIFIED_PARTIAL_SIGS',
      'an adaptor session aggregates verified partial signatures only (verifyPartialSigs)',
      { field: 'ctx' },
    );
  }
  // BIP-327: "Let (Q, _, tacc, _, _, R, e) = GetSessionValues(session_ctx); fail if that fails"
  const v = getSessionValues(ctx);
  // BIP-327: "Return sig = xbytes(R) ‖ bytes(32, s)"
  return concatBytes(xbytes(v.R), bytes(32, partialSigSum(psigs, v)));
}

/** Arguments of {@link deterministicSign}. */
export interface DeterministicSignArgs {
  /** The signer's secret key, 32 bytes. */
  sk: Uint8Array;
  /** NonceAgg of every other signer's public nonce, 66 bytes. */
  aggothernonce: Uint8Array;
  pubkeys: readonly Uint8Array[];
  tweaks?: readonly Uint8Array[];
  isXonly?: readonly boolean[];
  msg: Uint8Array;
  /** Optional auxiliary randomness, 32 bytes. */
  rand?: Uint8Array;
}

/**
 * BIP-327 DeterministicSign, for the one signer who sends its public nonce last: returns that
 * nonce and the partial signature, with no nonce state kept.
 * @example
 * ```ts
 * const { pubnonce, psig } = deterministicSign({ sk, aggothernonce, pubkeys, msg });
 * ```
 */
export function deterministicSign(args: DeterministicSignArgs): { pubnonce: Uint8Array; psig: Uint8Array } {
  const sk = abytes(args.sk, 32, 'sk');
  const aggothernonce = abytes(args.aggothernonce, 66, 'aggothernonce');
  const msg = abytes(args.msg, undefined, 'msg');
  // BIP-327: "If the optional argument rand is present: Let sk' be the byte-wise xor of sk and
  // hash_MuSig/aux(rand), Else: Let sk' = sk"
  let skp = sk;
  if (args.rand !== undefined) {
    const aux = hashTag('MuSig/aux', abytes(args.rand, 32, 'rand'));
    skp = sk.map((x, i) => x ^ aux[i]!);
  }
  // BIP-327: "Let keyagg_ctx0 = KeyAgg(pk1..u); … ApplyTweak …; Let aggpk = GetXonlyPubkey(keyagg_ctxv)"
  const { Q } = applyTweaks(keyAggInternal(args.pubkeys).ctx, args.tweaks ?? [], args.isXonly ?? []);
  // BIP-327: "Let ki = int(hash_MuSig/deterministic/nonce(sk' ‖ aggothernonce ‖ aggpk ‖ bytes(8, len(m))
  // ‖ m ‖ bytes(1, i - 1))) mod n for i = 1,2"
  const prefix = concatBytes(skp, aggothernonce, xbytes(Q), bytes(8, msg.length), msg);
  const k1 = intModN(hashTag('MuSig/deterministic/nonce', prefix, bytes(1, 0)));
  const k2 = intModN(hashTag('MuSig/deterministic/nonce', prefix, bytes(1, 1)));
  // BIP-327: "Fail if k1 = 0 or k2 = 0"
  if (k1 === 0n || k2 === 0n)
    throw new CryptoError('INVALID_SECNONCE', 'DeterministicSign produced a zero nonce');
  // BIP-327: "Let d = int(sk); Fail if d = 0 or d ≥ n; Let pk = cbytes(d⋅G)"
  const d = int(sk);
  if (!Fn.isValidNot0(d)) throw new CryptoError('INVALID_SECRET_KEY', 'sk: out of range', { field: 'sk' });
  const pk = cbytes(G.multiply(d));
  const { secnonce, pubnonce } = nonceFromScalars(k1, k2, pk);
  // BIP-327: "Let aggnonce = NonceAgg((pubnonce, aggothernonce)); fail if that fails and blame nonce
  // aggregator for invalid aggothernonce."
  const aggnonce = nonceAggBlaming([pubnonce, aggothernonce], 'aggothernonce');
  const ctx = { aggnonce, pubkeys: args.pubkeys, tweaks: args.tweaks, isXonly: args.isXonly, msg };
  // BIP-327: "Return (pubnonce, Sign(secnonce, sk, session_ctx))"
  return { pubnonce, psig: sign(secnonce, sk, ctx) };
}
