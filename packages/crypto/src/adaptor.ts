/**
 * Schnorr adaptor signatures compatible with BIP-340, following the specification by Zhe Pang and
 * siv2r (`Python_Specification_for_Schnorr_Adaptor`, `reference.py`) that the secp256k1-zkp
 * `schnorr_adaptor` module (PR #299) implements.
 *
 * A *pre-signature* on message `m` for *adaptor point* `T = t·G` is 65 bytes:
 * `cbytes(R') ‖ bytes(s')`, where `R' = k0·G + T` is the final nonce. Its first byte (02/03) is the
 * parity of `R'` and must travel with it: when `R'` has odd y the signer negated its nonce, so the
 * adaptor secret is applied with a minus sign (`s = s' − t`). Knowing `t` turns the pre-signature
 * into the plain BIP-340 signature `bytes(R') ‖ bytes(s)` ({@link adapt}); seeing both the
 * pre-signature and the signature reveals `t` ({@link extractSecret}).
 *
 * @example
 * ```ts
 * import { adapt, extractSecret, presign, preVerify } from '@asyncpay/crypto/adaptor';
 * const T = adaptorPoint(t);
 * const pre = presign(secretKey, message, T, auxRand);
 * preVerify(message, publicKey, pre, T);          // true
 * const sig = adapt(pre, t);                      // a BIP-340 signature by publicKey on message
 * extractSecret(sig, pre);                        // t
 * ```
 * @module
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { abytes, equalBytes } from './bytes.js';
import { challenge } from './challenge.js';
import { CryptoError } from './errors.js';
import { TAGS, taggedHash } from './hash.js';
import {
  compressed,
  evenYKey,
  G,
  hasEvenY,
  liftX,
  mulG,
  mulPublic,
  type Point,
  parseCompressed,
  parseCompressedExt,
  xOnly,
} from './point.js';
import { Fn, nonzeroScalarFromBytes, scalarFromBytes, scalarFromHash, scalarToBytes } from './scalar.js';

/** Length of a pre-signature: 33-byte `cbytes(R')` then 32-byte `s'`. */
export const PRESIGNATURE_LENGTH = 65;

/** A pre-signature split into its parts. */
export interface ParsedPreSignature {
  /** The final nonce `R'` (its y parity is the first byte of the encoding). */
  R: Point;
  /** `s'`, in `[0, n)`. */
  s: bigint;
  /** True when `R'` has odd y (first byte 0x03): the adaptor secret is then subtracted. */
  oddY: boolean;
}

/**
 * Parses a 65-byte pre-signature. Spec: "R' = cpoint(psig[0:33]); fail if that fails. s' =
 * int(psig[33:65]); fail if s' ≥ n."
 *
 * @throws RangeError unless 65 bytes; CryptoError `INVALID_PRESIGNATURE` otherwise.
 */
export function parsePreSignature(preSignature: Uint8Array): ParsedPreSignature {
  abytes(preSignature, PRESIGNATURE_LENGTH, 'preSignature');
  const R = parseCompressed(preSignature.subarray(0, 33), 'preSignature', 'INVALID_PRESIGNATURE');
  const s = scalarFromBytes(preSignature.subarray(33, 65), 'preSignature', 'INVALID_PRESIGNATURE');
  return { R, s, oddY: preSignature[0] === 0x03 };
}

/**
 * The compressed adaptor point `T = t·G` of an adaptor secret.
 *
 * @throws CryptoError `INVALID_SCALAR` when `t` is 0 or ≥ n.
 */
export function adaptorPoint(secret: Uint8Array): Uint8Array {
  return compressed(mulG(nonzeroScalarFromBytes(secret, 'secret')));
}

/**
 * Spec `schnorr_presig_sign(sk, m, T, aux)`: a 65-byte pre-signature of `message` for `adaptor`.
 *
 * Steps, as in the specification:
 * 1. "Let d' = int(sk); fail if d' = 0 or d' ≥ n; let P = d'·G; d = d' if has_even_y(P) else n − d'."
 * 2. "Let t = bytes(d) XOR hash_SchnorrAdaptor/aux(a)."
 * 3. "Let k0 = int(hash_SchnorrAdaptor/nonce(t ‖ cbytes(T) ‖ bytes(P) ‖ m)) mod n; fail if k0 = 0."
 * 4. "Let R' = k0·G + T; let k = k0 if has_even_y(R') else n − k0."
 * 5. "Let e = int(hash_BIP0340/challenge(bytes(R') ‖ bytes(P) ‖ m)) mod n."
 * 6. "Return cbytes(R') ‖ bytes((k + e·d) mod n)."
 *
 * @param message any length (the upstream vectors use 32 bytes).
 * @param adaptor 33-byte compressed `T`.
 * @param auxRand 32 bytes of fresh randomness; defaults to the CSPRNG.
 * @throws CryptoError `INVALID_SECRET_KEY`, `INVALID_ADAPTOR`; `INVALID_PRESIGNATURE` if k0 = 0 or
 *   R' is infinite (probability ≈ 2⁻²⁵⁶ for honest inputs).
 */
export function presign(
  secretKey: Uint8Array,
  message: Uint8Array,
  adaptor: Uint8Array,
  auxRand: Uint8Array = randomBytes(32),
): Uint8Array {
  const d0 = nonzeroScalarFromBytes(secretKey, 'secretKey', 'INVALID_SECRET_KEY');
  abytes(message, undefined, 'message');
  const T = parseCompressed(adaptor, 'adaptor', 'INVALID_ADAPTOR');
  abytes(auxRand, 32, 'auxRand');
  // 1. even-y key
  const { d, P } = evenYKey(d0);
  const px = xOnly(P);
  // 2. t = bytes(d) XOR hash_SchnorrAdaptor/aux(a)
  const mask = taggedHash(TAGS.adaptorAux, auxRand);
  const dBytes = scalarToBytes(d);
  const t = dBytes.map((b, i) => b ^ mask[i]!);
  // 3. k0 commits to T, so one nonce is never used with two adaptor points
  const k0 = scalarFromHash(taggedHash(TAGS.adaptorNonce, t, adaptor, px, message));
  if (k0 === 0n) throw new CryptoError('INVALID_PRESIGNATURE', 'derived nonce is zero');
  // 4. R' = k0·G + T; negate k when R' has odd y
  const R = mulG(k0).add(T);
  if (R.is0()) throw new CryptoError('INVALID_PRESIGNATURE', "final nonce R' is infinite");
  const k = hasEvenY(R) ? k0 : Fn.neg(k0);
  // 5. e over the x-only final nonce, exactly as BIP-340 will see it
  const rBytes = compressed(R);
  const e = challenge(rBytes.subarray(1), px, message);
  // 6. cbytes(R') ‖ bytes(k + e·d)
  const out = new Uint8Array(PRESIGNATURE_LENGTH);
  out.set(rBytes, 0);
  out.set(scalarToBytes(Fn.add(k, Fn.mul(e, d))), 33);
  return out;
}

/**
 * Spec `schnorr_extract_adaptor(m, pk, psig)`: the adaptor point a pre-signature commits to.
 *
 * 1. "Let R' = cpoint(psig[0:33]), s' = int(psig[33:65]); fail if s' ≥ n."
 * 2. "Let P = lift_x(int(pk)); let e = int(hash_BIP0340/challenge(psig[1:33] ‖ pk ‖ m)) mod n."
 * 3. "Let R = s'·G − e·P; fail if is_infinite(R)."
 * 4. "Let T = R' − R if has_even_y(R') else R' + R; fail if is_infinite(T)."
 *
 * @returns the 33-byte compressed `T`.
 * @throws CryptoError `INVALID_PRESIGNATURE` (bad encoding, s' ≥ n, R infinite), `INVALID_PUBKEY`,
 *   `INVALID_ADAPTOR` (T infinite).
 */
export function extractAdaptor(
  message: Uint8Array,
  publicKey: Uint8Array,
  preSignature: Uint8Array,
): Uint8Array {
  abytes(message, undefined, 'message');
  const pre = parsePreSignature(preSignature);
  const P = liftX(publicKey, 'publicKey', 'INVALID_PUBKEY');
  const e = challenge(preSignature.subarray(1, 33), publicKey, message);
  // 3. R = s'·G − e·P (public values: multiplyUnsafe allows s' = 0)
  const R = mulPublic(G, pre.s).subtract(mulPublic(P, e));
  if (R.is0())
    throw new CryptoError('INVALID_PRESIGNATURE', "s'·G − e·P is infinite", { field: 'preSignature' });
  // 4. undo the signer's negation of k when R' is odd
  const T = pre.oddY ? pre.R.add(R) : pre.R.subtract(R);
  if (T.is0())
    throw new CryptoError('INVALID_ADAPTOR', 'extracted adaptor point is infinite', { field: 'adaptor' });
  return compressed(T);
}

/**
 * Pre-signature verification: true iff `preSignature` is a valid pre-signature by `publicKey` on
 * `message` for adaptor point `adaptor`. As in the C module, this is
 * `extractAdaptor(m, pk, psig) == T`; it never throws for well-shaped inputs (an unparsable
 * encoding, including the all-zero adaptor encoding, is simply invalid).
 *
 * @param adaptor 33 bytes (compressed `T`; 33 zero bytes mean infinity and never verify).
 * @throws TypeError / RangeError only for inputs of the wrong type or length.
 */
export function preVerify(
  message: Uint8Array,
  publicKey: Uint8Array,
  preSignature: Uint8Array,
  adaptor: Uint8Array,
): boolean {
  abytes(message, undefined, 'message');
  abytes(publicKey, 32, 'publicKey');
  abytes(preSignature, PRESIGNATURE_LENGTH, 'preSignature');
  abytes(adaptor, 33, 'adaptor');
  try {
    const T = parseCompressedExt(adaptor, 'adaptor', 'INVALID_ADAPTOR');
    if (T.is0()) return false;
    return equalBytes(extractAdaptor(message, publicKey, preSignature), adaptor);
  } catch (e) {
    if (e instanceof CryptoError) return false;
    throw e;
  }
}

/**
 * Spec `schnorr_adapt(psig, t)`: the BIP-340 signature `bytes(R') ‖ bytes(s)` with
 * "s = s' + t if psig[0] = 0x02, s = s' − t if psig[0] = 0x03".
 *
 * Adapting does not check that the result verifies; run BIP-340 verify (or {@link preVerify}
 * beforehand) when that matters.
 *
 * @param secret 32-byte adaptor secret `t`, in `[1, n)`.
 * @throws CryptoError `INVALID_PRESIGNATURE`, `INVALID_SCALAR`.
 */
export function adapt(preSignature: Uint8Array, secret: Uint8Array): Uint8Array {
  const pre = parsePreSignature(preSignature);
  const t = nonzeroScalarFromBytes(secret, 'secret');
  const s = pre.oddY ? Fn.sub(pre.s, t) : Fn.add(pre.s, t);
  const sig = new Uint8Array(64);
  sig.set(preSignature.subarray(1, 33), 0);
  sig.set(scalarToBytes(s), 32);
  return sig;
}

/**
 * Spec `schnorr_extract_secadaptor(psig, sig)`: the adaptor secret
 * "t = s − s' if psig[0] = 0x02, t = s' − s if psig[0] = 0x03".
 *
 * Stricter than the spec: refuses a signature whose nonce is not the pre-signature's
 * (`PRESIGNATURE_MISMATCH`), and, when `adaptor` is given, a result with `t·G ≠ T`
 * (`SECRET_MISMATCH`) — the check a PTLC claimer needs before trusting the secret.
 *
 * @returns the 32-byte secret `t`.
 * @throws CryptoError `INVALID_PRESIGNATURE`, `INVALID_SIGNATURE` (s ≥ n), `PRESIGNATURE_MISMATCH`,
 *   `INVALID_ADAPTOR`, `SECRET_MISMATCH`.
 */
export function extractSecret(
  signature: Uint8Array,
  preSignature: Uint8Array,
  adaptor?: Uint8Array,
): Uint8Array {
  abytes(signature, 64, 'signature');
  const pre = parsePreSignature(preSignature);
  const s = scalarFromBytes(signature.subarray(32, 64), 'signature', 'INVALID_SIGNATURE');
  if (!equalBytes(signature.subarray(0, 32), preSignature.subarray(1, 33))) {
    throw new CryptoError('PRESIGNATURE_MISMATCH', "signature nonce is not the pre-signature's R'", {
      field: 'signature',
    });
  }
  const t = pre.oddY ? Fn.sub(pre.s, s) : Fn.sub(s, pre.s);
  if (adaptor !== undefined) {
    const T = parseCompressed(adaptor, 'adaptor', 'INVALID_ADAPTOR');
    if (t === 0n || !mulG(t).equals(T)) {
      throw new CryptoError('SECRET_MISMATCH', 'extracted secret does not match the adaptor point', {
        field: 'adaptor',
      });
    }
  }
  return scalarToBytes(t);
}
