/**
 * BIP-327 key generation, sorting, aggregation and tweaking ("Key Generation and Aggregation",
 * "Applying Tweaks"), plus the BIP-341 taproot tweak on an aggregate key.
 *
 * @example
 * ```ts
 * import { keyAgg, keySort, applyTweak, getXonlyPubkey } from '@asyncpay/crypto/musig2/keyagg';
 * const ctx = keyAgg(keySort([pkAlice, pkBob]));
 * const internal = getXonlyPubkey(ctx);
 * ```
 * @module
 */
import { bytesToHex, concatBytes } from '@noble/hashes/utils.js';
import { CryptoError } from '../errors.js';
import {
  abooleans,
  abytes,
  abytesArray,
  cbytes,
  cpoint,
  equal,
  Fn,
  G,
  hashTag,
  int,
  intModN,
  Musig2ContributionError,
  Point,
  parityFactor,
  xbytes,
} from './util.js';

/**
 * BIP-327 KeyAgg Context `(Q, gacc, tacc)`: the (possibly tweaked) aggregate point, the
 * accumulated sign (1 or n-1) and the accumulated tweak.
 */
export interface KeyAggContext {
  /** The potentially tweaked aggregate public key Q. */
  readonly Q: Point;
  /** `gacc`: 1 or -1 mod n. */
  readonly gacc: bigint;
  /** `tacc`: the accumulated tweak, 0 ≤ tacc < n. */
  readonly tacc: bigint;
}

/**
 * BIP-327 IndividualPubkey: `cbytes(d'⋅G)` for a 32-byte secret key.
 * @example
 * ```ts
 * const pk = individualPubkey(new Uint8Array(32).fill(0x41)); // Alice, 33 bytes
 * ```
 */
export function individualPubkey(sk: Uint8Array): Uint8Array {
  abytes(sk, 32, 'sk');
  // BIP-327: "Fail if d' = 0 or d' ≥ n"
  const d = int(sk);
  if (!Fn.isValidNot0(d)) throw new CryptoError('INVALID_SECRET_KEY', 'sk: out of range', { field: 'sk' });
  return cbytes(G.multiply(d));
}

/**
 * BIP-327 KeySort: "Return pk1..u sorted in lexicographical order." Works on bytes only (invalid
 * keys are sorted too, as the vectors require). Returns a new array.
 * @example
 * ```ts
 * const sorted = keySort([pkBob, pkAlice]);
 * ```
 */
export function keySort(pubkeys: readonly Uint8Array[]): Uint8Array[] {
  const pks = abytesArray(pubkeys, 33, 'pubkeys');
  return [...pks].sort(compareBytes);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** Internal KeyAgg data reused by GetSessionKeyAggCoeff: the list hash L and the second key. */
export interface KeyAggInternal {
  readonly ctx: KeyAggContext;
  /** The individual public keys, as given. */
  readonly pubkeys: readonly Uint8Array[];
  /** `L = HashKeys(pk1..u)`. */
  readonly L: Uint8Array;
  /** `pk2 = GetSecondKey(pk1..u)`. */
  readonly pk2: Uint8Array;
}

/**
 * BIP-327 KeyAgg. The keys are aggregated in the order given (sort them first with
 * {@link keySort} if the protocol says so). Throws {@link Musig2ContributionError}
 * `INVALID_PUBKEY` blaming the first invalid key's signer index.
 * @example
 * ```ts
 * const { Q } = keyAgg([pkAlice, pkBob]);
 * ```
 */
export function keyAgg(pubkeys: readonly Uint8Array[]): KeyAggContext {
  return keyAggInternal(pubkeys).ctx;
}

/**
 * Recent KeyAgg results by key list. KeyAgg costs one variable-base multiplication per key and every
 * Sign and PartialSigVerify of a session needs it; the inputs are public and the outputs immutable.
 */
const keyAggMemo = new Map<string, KeyAggInternal>();
const KEY_AGG_MEMO_SIZE = 32;

/** KeyAgg that also returns L and pk2 (for coefficient look-ups in a session). */
export function keyAggInternal(pubkeys: readonly Uint8Array[]): KeyAggInternal {
  const pks = abytesArray(pubkeys, 33, 'pubkeys');
  if (pks.length === 0) throw new RangeError('pubkeys: expected at least one key');
  const memoKey = bytesToHex(concatBytes(...pks));
  const known = keyAggMemo.get(memoKey);
  if (known !== undefined) return { ...known, pubkeys: pks };
  const result = keyAggCompute(pks);
  if (keyAggMemo.size >= KEY_AGG_MEMO_SIZE) keyAggMemo.delete(keyAggMemo.keys().next().value!);
  keyAggMemo.set(memoKey, result);
  return result;
}

function keyAggCompute(pks: Uint8Array[]): KeyAggInternal {
  // BIP-327: "Let pk2 = GetSecondKey(pk1..u)"
  const pk2 = getSecondKey(pks);
  const L = hashKeys(pks);
  let Q: Point = Point.ZERO;
  for (let i = 0; i < pks.length; i++) {
    const pk = pks[i]!;
    // BIP-327: "Let Pi = cpoint(pki); fail if that fails and blame signer i for invalid individual public key."
    let P: Point;
    try {
      P = cpoint(pk);
    } catch (cause) {
      throw new Musig2ContributionError(i, 'pubkey', `pubkeys[${i}] is not a valid public key`, { cause });
    }
    // BIP-327: "Let ai = KeyAggCoeffInternal(pk1..u, pki, pk2)"
    const a = keyAggCoeffInternal(L, pk, pk2);
    Q = Q.add(P.multiplyUnsafe(a));
  }
  // BIP-327: "Fail if is_infinite(Q)." (only reachable with adversarial keys)
  if (Q.is0()) throw new Musig2ContributionError(null, 'pubkey', 'the aggregate public key is infinity');
  return { ctx: { Q, gacc: 1n, tacc: 0n }, pubkeys: pks, L, pk2 };
}

/** BIP-327 HashKeys: `hash_KeyAgg list(pk1 ‖ … ‖ pku)`. */
export function hashKeys(pubkeys: readonly Uint8Array[]): Uint8Array {
  return hashTag('KeyAgg list', ...pubkeys);
}

/** BIP-327 GetSecondKey: the first key different from pk1, else 33 zero bytes. */
export function getSecondKey(pubkeys: readonly Uint8Array[]): Uint8Array {
  const first = pubkeys[0]!;
  for (const pk of pubkeys) if (!equal(pk, first)) return pk;
  return new Uint8Array(33);
}

/**
 * BIP-327 KeyAggCoeffInternal: "If pk' = pk2: Return 1" (the second-key exception), else
 * `int(hash_KeyAgg coefficient(L ‖ pk')) mod n`.
 */
export function keyAggCoeffInternal(L: Uint8Array, pk: Uint8Array, pk2: Uint8Array): bigint {
  if (equal(pk, pk2)) return 1n;
  return intModN(hashTag('KeyAgg coefficient', L, pk));
}

/** BIP-327 KeyAggCoeff(pk1..u, pk'): the coefficient of one key in a key list. */
export function keyAggCoeff(pubkeys: readonly Uint8Array[], pk: Uint8Array): bigint {
  return keyAggCoeffInternal(hashKeys(pubkeys), pk, getSecondKey(pubkeys));
}

/** BIP-327 GetXonlyPubkey: `xbytes(Q)`. */
export function getXonlyPubkey(ctx: KeyAggContext): Uint8Array {
  return xbytes(ctx.Q);
}

/** BIP-327 GetPlainPubkey: `cbytes(Q)`. */
export function getPlainPubkey(ctx: KeyAggContext): Uint8Array {
  return cbytes(ctx.Q);
}

/**
 * BIP-327 ApplyTweak, plain (`isXonly = false`, e.g. BIP-32) or x-only (`true`, e.g. BIP-341).
 * Throws `INVALID_TWEAK` when "t ≥ n" or "is_infinite(Q')".
 * @example
 * ```ts
 * const tweaked = applyTweak(keyAgg(pks), tweak32, true);
 * ```
 */
export function applyTweak(ctx: KeyAggContext, tweak: Uint8Array, isXonly: boolean): KeyAggContext {
  abytes(tweak, 32, 'tweak');
  if (typeof isXonly !== 'boolean') throw new TypeError('isXonly: expected boolean');
  const { Q, gacc, tacc } = ctx;
  // BIP-327: "If is_xonly_t and not has_even_y(Q): Let g = -1 mod n, Else: Let g = 1"
  const g = isXonly ? parityFactor(Q) : 1n;
  // BIP-327: "Let t = int(tweak); fail if t ≥ n"
  const t = int(tweak);
  if (!Fn.isValid(t))
    throw new CryptoError('INVALID_TWEAK', 'The tweak must be less than n', { field: 'tweak' });
  // BIP-327: "Let Q' = g⋅Q + t⋅G; Fail if is_infinite(Q')"
  const Q2 = (g === 1n ? Q : Q.negate()).add(G.multiplyUnsafe(t));
  if (Q2.is0()) {
    throw new CryptoError('INVALID_TWEAK', 'The result of tweaking cannot be infinity', { field: 'tweak' });
  }
  // BIP-327: "Let gacc' = g⋅gacc mod n; Let tacc' = t + g⋅tacc mod n"
  return { Q: Q2, gacc: Fn.mul(g, gacc), tacc: Fn.add(t, Fn.mul(g, tacc)) };
}

/** Applies tweaks in order (BIP-327 GetSessionValues' loop). `isXonly[i]` is tweak i's mode. */
export function applyTweaks(
  ctx: KeyAggContext,
  tweaks: readonly Uint8Array[],
  isXonly: readonly boolean[],
): KeyAggContext {
  const ts = abytesArray(tweaks, 32, 'tweaks');
  const modes = abooleans(isXonly, 'isXonly');
  if (modes.length !== ts.length) throw new RangeError('isXonly: expected one mode per tweak');
  return ts.reduce((c, t, i) => applyTweak(c, t, modes[i]!), ctx);
}

/**
 * The BIP-341 taproot tweak of an x-only internal key:
 * `t = hash_TapTweak(xbytes(Q) ‖ merkle_root)` (no merkle root for a key-path-only output).
 * Apply it with `applyTweak(ctx, t, true)`.
 * @example
 * ```ts
 * const t = taprootTweak(getXonlyPubkey(ctx));
 * const output = applyTweak(ctx, t, true);
 * ```
 */
export function taprootTweak(internalKey: Uint8Array, merkleRoot?: Uint8Array): Uint8Array {
  abytes(internalKey, 32, 'internalKey');
  if (merkleRoot === undefined) return hashTag('TapTweak', internalKey);
  return hashTag('TapTweak', internalKey, abytes(merkleRoot, 32, 'merkleRoot'));
}
