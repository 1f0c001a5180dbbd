/**
 * Receipt nonce pairs (Towns, lightning-dev 2023-01): the recipient pre-generates MuSig2-style
 * pairs `(R1, R2) = (k1·G, k2·G)` and gives the public halves to its LSP, which hands one to each
 * payer. The nonce a receipt uses is bound to the message:
 *
 * ```text
 * b = int(hash_asyncpay/receipt/noncecoef(bytes(P) ‖ cbytes(R1) ‖ cbytes(R2) ‖ m)) mod n
 * R = b·R1 + R2
 * ```
 *
 * which is Towns's `R = H(P, R1, R2, m)·R1 + R2` with the hash made a BIP-340 tagged hash
 * (tag `"asyncpay/receipt/noncecoef"`). Binding R to m is what defeats Wagner-style attacks
 * on many concurrent receipts that share pre-published single nonces.
 *
 * Secret nonces are derived, not stored: `k_j = int(hash_asyncpay/receipt/nonce(seed ‖ bytes(P) ‖
 * u64(id) ‖ byte(j))) mod n` for j = 1, 2, from a 32-byte secret `nonceSeed` the recipient keeps
 * beside its key. The recipient's only state is then the used-nonce store (`./store.ts`); losing
 * that store while keeping the seed would let an id be signed for twice, so the two must be backed
 * up together. The payer never chooses (nor learns the secret of) the recipient's nonce.
 *
 * @example
 * ```ts
 * const pairs = issueNoncePairs(nonceSeed, secretKey, 0n, 100);  // public halves for the LSP
 * const pool = new NoncePairPool(pairs);                         // the LSP's pool
 * const pair = pool.take();                                      // served to one payer
 * ```
 * @module
 */
import { abigint, abytes, concatBytes, u64ToBytes } from '../bytes.js';
import { CryptoError } from '../errors.js';
import { TAGS, taggedHash } from '../hash.js';
import {
  compressed,
  evenYKey,
  hasEvenY,
  mulG,
  mulPublic,
  type Point,
  parseCompressed,
  xOnly,
} from '../point.js';
import { Fn, nonzeroScalarFromBytes, scalarFromHash } from '../scalar.js';
import { MAX_NONCE_ID } from './store.js';

/** The public half of a receipt nonce pair, as the LSP serves it. */
export interface PublicNoncePair {
  /** Nonce pair id (u64); it is also a field of the receipt message. */
  id: bigint;
  /** 33-byte compressed `R1 = k1·G`. */
  R1: Uint8Array;
  /** 33-byte compressed `R2 = k2·G`. */
  R2: Uint8Array;
}

/** The secret half of a receipt nonce pair (never leaves the recipient). */
export interface SecretNoncePair {
  /** Nonce pair id. */
  id: bigint;
  /** `k1` in `[1, n)`. */
  k1: bigint;
  /** `k2` in `[1, n)`. */
  k2: bigint;
}

/** Byte length of an encoded {@link PublicNoncePair}: `u64(id) ‖ cbytes(R1) ‖ cbytes(R2)`. */
export const NONCE_PAIR_LENGTH = 74;

/**
 * Derives the secret nonce pair `id` of the recipient with x-only key `publicKey`:
 * `k_j = int(hash_asyncpay/receipt/nonce(seed ‖ bytes(P) ‖ u64(id) ‖ byte(j))) mod n`, j = 1, 2.
 *
 * @param nonceSeed 32 secret random bytes, distinct from the signing key.
 * @param publicKey the recipient's 32-byte x-only key.
 * @throws CryptoError `INVALID_SCALAR` if a derived nonce is zero (probability ≈ 2⁻²⁵⁵).
 */
export function deriveNonceSecrets(
  nonceSeed: Uint8Array,
  publicKey: Uint8Array,
  id: bigint,
): SecretNoncePair {
  abytes(nonceSeed, 32, 'nonceSeed');
  abytes(publicKey, 32, 'publicKey');
  abigint(id, MAX_NONCE_ID + 1n, 'id');
  const k = (j: number): bigint => {
    const v = scalarFromHash(
      taggedHash(TAGS.receiptNonce, nonceSeed, publicKey, u64ToBytes(id), new Uint8Array([j])),
    );
    if (v === 0n)
      throw new CryptoError('INVALID_SCALAR', 'derived receipt nonce is zero', { field: 'nonceSeed' });
    return v;
  };
  return { id, k1: k(1), k2: k(2) };
}

/** The public half `(R1, R2) = (k1·G, k2·G)` of a secret nonce pair. */
export function publicNoncePair(secret: SecretNoncePair): PublicNoncePair {
  return { id: secret.id, R1: compressed(mulG(secret.k1)), R2: compressed(mulG(secret.k2)) };
}

/**
 * The public halves of `count` consecutive nonce pairs starting at `firstId`, for the recipient to
 * hand to its LSP.
 *
 * @throws CryptoError `INVALID_SECRET_KEY` for a bad key.
 */
export function issueNoncePairs(
  nonceSeed: Uint8Array,
  secretKey: Uint8Array,
  firstId: bigint,
  count: number,
): PublicNoncePair[] {
  const { P } = evenYKey(nonzeroScalarFromBytes(secretKey, 'secretKey', 'INVALID_SECRET_KEY'));
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  abigint(firstId + BigInt(count), MAX_NONCE_ID + 2n, 'firstId + count');
  const px = xOnly(P);
  return Array.from({ length: count }, (_, i) =>
    publicNoncePair(deriveNonceSecrets(nonceSeed, px, firstId + BigInt(i))),
  );
}

/** `u64(id) ‖ cbytes(R1) ‖ cbytes(R2)`, 74 bytes. */
export function encodeNoncePair(pair: PublicNoncePair): Uint8Array {
  abytes(pair.R1, 33, 'R1');
  abytes(pair.R2, 33, 'R2');
  return concatBytes(u64ToBytes(pair.id, 'id'), pair.R1, pair.R2);
}

/**
 * Parses {@link encodeNoncePair}'s output.
 *
 * @throws RangeError unless 74 bytes; CryptoError `INVALID_POINT` for an invalid R1 or R2.
 */
export function decodeNoncePair(bytes: Uint8Array): PublicNoncePair {
  abytes(bytes, NONCE_PAIR_LENGTH, 'noncePair');
  const R1 = bytes.slice(8, 41);
  const R2 = bytes.slice(41, 74);
  parseCompressed(R1, 'R1');
  parseCompressed(R2, 'R2');
  const id = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, false);
  return { id, R1, R2 };
}

/** The message-bound nonce of a receipt. */
export interface BoundNonce {
  /** `b = int(hash_asyncpay/receipt/noncecoef(bytes(P) ‖ cbytes(R1) ‖ cbytes(R2) ‖ m)) mod n`. */
  b: bigint;
  /** `R = b·R1 + R2` as computed, before any even-y normalization. */
  R: Point;
  /** True when `R` has odd y: the signature then uses `−R` (= `lift_x(x(R))`) and the signer negates k. */
  negated: boolean;
}

/**
 * Towns's binding `R = H(P, R1, R2, m)·R1 + R2`.
 *
 * @param publicKey the recipient's 32-byte x-only key `bytes(P)`.
 * @param message the 32-byte receipt message `m`.
 * @throws CryptoError `INVALID_POINT` for an invalid R1/R2 or if `R` is infinite (negligible unless
 *   R2 = −b·R1, which a recipient's own honest pairs never give).
 */
export function bindNonce(publicKey: Uint8Array, pair: PublicNoncePair, message: Uint8Array): BoundNonce {
  abytes(publicKey, 32, 'publicKey');
  abytes(message, 32, 'message');
  const R1 = parseCompressed(pair.R1, 'R1');
  const R2 = parseCompressed(pair.R2, 'R2');
  const b = scalarFromHash(taggedHash(TAGS.receiptNonceCoef, publicKey, pair.R1, pair.R2, message));
  const R = mulPublic(R1, b).add(R2);
  if (R.is0())
    throw new CryptoError('INVALID_POINT', 'bound receipt nonce is infinite', { field: 'noncePair' });
  return { b, R, negated: !hasEvenY(R) };
}

/**
 * The secret scalar `k` of a bound nonce, with the BIP-340 negation applied:
 * `k = b·k1 + k2`, negated when `b·R1 + R2` has odd y, so that `k·G = lift_x(x(R))`.
 */
export function boundNonceSecret(secret: SecretNoncePair, bound: Pick<BoundNonce, 'b' | 'negated'>): bigint {
  const k = Fn.add(Fn.mul(bound.b, secret.k1), secret.k2);
  return bound.negated ? Fn.neg(k) : k;
}

/**
 * The LSP's pool of a recipient's public nonce pairs: each pair is handed out at most once, in
 * order. (Handing one out twice would not endanger the recipient, who refuses a second use, but the
 * second payment would fail.) Not persistent; an LSP keeps its cursor in its own store.
 */
export class NoncePairPool {
  readonly #pairs: PublicNoncePair[];
  #next = 0;

  /** @param pairs the public halves received from the recipient. */
  constructor(pairs: readonly PublicNoncePair[]) {
    this.#pairs = pairs.map((p) => ({ id: p.id, R1: p.R1.slice(), R2: p.R2.slice() }));
    for (const p of this.#pairs) {
      parseCompressed(p.R1, 'R1');
      parseCompressed(p.R2, 'R2');
    }
  }

  /** Pairs not yet handed out. */
  get remaining(): number {
    return this.#pairs.length - this.#next;
  }

  /**
   * Hands out the next unused pair.
   *
   * @throws CryptoError `NONCE_POOL_EXHAUSTED` when none is left.
   */
  take(): PublicNoncePair {
    const pair = this.#pairs[this.#next];
    if (pair === undefined) throw new CryptoError('NONCE_POOL_EXHAUSTED', 'no receipt nonce pairs left');
    this.#next++;
    return pair;
  }
}
