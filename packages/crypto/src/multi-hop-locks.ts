/**
 * Scriptless-scripts multi-hop locks (BlockstreamResearch/scriptless-scripts `md/multi-hop-locks.md`;
 * Malavolta et al., "Privacy-preserving Multi-hop Locks", eprint 2018/472).
 *
 * The recipient's payment point `Z = z·G` (for a receipt, Towns's `S = R + e·P`, with `z = s`) is
 * never used on the wire. The payer draws one random tweak `y_i` per PTLC and sets, for the
 * payer (hop 0), the intermediate hops 1 … n−1 and the recipient (hop n):
 *
 * ```text
 * L_0 = Z            R_i = L_i + y_i·G            L_{i+1} = R_i        (0 ≤ i < n)
 * ```
 *
 * The PTLC from hop i to hop i+1 is locked to `R_i`. Hop i (0 < i < n) learns `(L_i, y_i, R_i)`
 * from its onion layer; the recipient learns `Σ y_i` and so knows the secret `z + Σ y_i` of its
 * left lock `L_n`. Because every `y_i` is fresh and random, the points of any two PTLCs differ by
 * a scalar that no single intermediate hop knows: hops cannot tell that they forward the same
 * payment (decorrelation), unlike a payment hash that is the same on every hop.
 *
 * Settlement runs right to left: claiming `R_i` reveals its secret `r_i` to hop i, who opens its own
 * left lock with `ℓ_i = r_i − y_i` ({@link openLeftLock}) and claims from hop i−1. The payer ends with
 * `z = r_0 − y_0` ({@link recoverPaymentSecret}) — the proof of payment only it obtains.
 *
 * Withholding `Σ y_i` from the recipient until it asks for it (showing `(Σ y_i)·G = L_n − Z` to prove
 * the PTLC arrived) gives the "cancellable" (stuckless) variant of the same document: a payer who
 * never releases it can safely retry on another route with fresh tweaks.
 *
 * @example
 * ```ts
 * const setup = setupMultiHopLocks(S, [y0, y1, y2]);      // payer
 * const secretAtRecipient = recipientLockSecret(s, setup.recipientTweak);
 * // … each hop: ℓ_i = openLeftLock(r_i, y_i) …
 * const z = recoverPaymentSecret(r0, setup);              // payer: z·G = S
 * ```
 * @module
 */
import { abytes, concatBytes } from './bytes.js';
import { CryptoError } from './errors.js';
import { TAGS, taggedHash } from './hash.js';
import { compressed, mulG, parseCompressed } from './point.js';
import { Fn, nonzeroScalarFromBytes, scalarFromBytes, scalarFromHash, scalarToBytes } from './scalar.js';

/** What hop i sees of the payment: its left lock, its tweak, and its right lock. */
export interface HopLock {
  /** 33-byte compressed left lock `L_i` (the point of the incoming PTLC; for hop 0, `Z`). */
  left: Uint8Array;
  /** 32-byte tweak `y_i`. */
  tweak: Uint8Array;
  /** 33-byte compressed right lock `R_i = L_i + y_i·G` (the point of the outgoing PTLC). */
  right: Uint8Array;
}

/** The payer's multi-hop lock setup. */
export interface MultiHopSetup {
  /** 33-byte compressed payment point `Z`. */
  paymentPoint: Uint8Array;
  /** One lock per hop that forwards: index 0 is the payer, 1 … n−1 the intermediate hops. */
  hops: HopLock[];
  /** 32-byte `Σ y_i`, sent to the recipient so it can open `L_n`. */
  recipientTweak: Uint8Array;
  /** 33-byte compressed recipient's left lock `L_n = Z + (Σ y_i)·G`. */
  recipientLock: Uint8Array;
}

/**
 * The payer's setup: "L0 = z·G … for every lock Ri for hop 0 ≤ i < n and Lj for hop j = i+1 the
 * sender sets Ri ← Li + yi·G and Lj ← Ri".
 *
 * @param paymentPoint 33-byte compressed `Z`.
 * @param tweaks the `y_i`, 32 bytes each, in `[1, n)`; one per PTLC on the route (≥ 1).
 * @throws CryptoError `INVALID_LOCK` (bad Z, or a lock at infinity), `INVALID_SCALAR` (bad tweak).
 */
export function setupMultiHopLocks(paymentPoint: Uint8Array, tweaks: readonly Uint8Array[]): MultiHopSetup {
  let L = parseCompressed(paymentPoint, 'paymentPoint', 'INVALID_LOCK');
  if (!Array.isArray(tweaks)) throw new TypeError('tweaks must be an array');
  if (tweaks.length === 0) throw new RangeError('tweaks must hold one tweak per PTLC, at least one');
  const hops: HopLock[] = [];
  let sum = 0n;
  tweaks.forEach((tweak, i) => {
    const y = nonzeroScalarFromBytes(tweak, `tweaks[${i}]`);
    const R = L.add(mulG(y));
    if (R.is0()) throw new CryptoError('INVALID_LOCK', `lock ${i} is infinite`, { field: `tweaks[${i}]` });
    hops.push({ left: compressed(L), tweak: tweak.slice(), right: compressed(R) });
    sum = Fn.add(sum, y);
    L = R;
  });
  return {
    paymentPoint: paymentPoint.slice(),
    hops,
    recipientTweak: scalarToBytes(sum),
    recipientLock: compressed(L),
  };
}

/**
 * Deterministic tweaks for tests and vectors: `y_i = int(hash_asyncpay/multi-hop-lock/tweak(seed ‖
 * u32(i))) mod n`. A real payer uses fresh randomness (or a secret seed used for one payment only).
 */
export function deriveHopTweaks(seed: Uint8Array, count: number): Uint8Array[] {
  abytes(seed, 32, 'seed');
  if (!Number.isSafeInteger(count) || count < 1 || count > 0xffff)
    throw new RangeError('count must be in [1, 65535]');
  return Array.from({ length: count }, (_, i) => {
    const index = new Uint8Array([i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff]);
    const y = scalarFromHash(taggedHash(TAGS.multiHopTweak, concatBytes(seed, index)));
    if (y === 0n) throw new CryptoError('INVALID_SCALAR', 'derived tweak is zero', { field: 'seed' });
    return scalarToBytes(y);
  });
}

/**
 * An intermediate hop's check of its onion data: `R_i = L_i + y_i·G`.
 *
 * @throws CryptoError `INVALID_LOCK` (unparsable point), `INVALID_SCALAR`, `LOCK_MISMATCH`.
 */
export function checkHopLock(hop: HopLock): void {
  const L = parseCompressed(hop.left, 'left', 'INVALID_LOCK');
  const R = parseCompressed(hop.right, 'right', 'INVALID_LOCK');
  const y = nonzeroScalarFromBytes(hop.tweak, 'tweak');
  if (!L.add(mulG(y)).equals(R)) {
    throw new CryptoError('LOCK_MISMATCH', 'right lock is not left lock + tweak·G', { field: 'right' });
  }
}

/**
 * The recipient's secret for its left lock: `z + Σ y_i`.
 *
 * @param secret 32-byte `z` (for a receipt, the scalar `s`).
 * @param recipientTweak 32-byte `Σ y_i` from the payer's onion.
 * @throws CryptoError `INVALID_SCALAR`.
 */
export function recipientLockSecret(secret: Uint8Array, recipientTweak: Uint8Array): Uint8Array {
  return scalarToBytes(
    Fn.add(nonzeroScalarFromBytes(secret, 'secret'), scalarFromBytes(recipientTweak, 'recipientTweak')),
  );
}

/**
 * Hop i opens its left lock from the secret its right lock's claim revealed: `ℓ_i = r_i − y_i`.
 * Checked against the lock when `left` is given.
 *
 * @throws CryptoError `INVALID_SCALAR`, `LOCK_MISMATCH` (result does not open `left`).
 */
export function openLeftLock(rightSecret: Uint8Array, tweak: Uint8Array, left?: Uint8Array): Uint8Array {
  const l = Fn.sub(scalarFromBytes(rightSecret, 'rightSecret'), nonzeroScalarFromBytes(tweak, 'tweak'));
  if (left !== undefined) {
    const L = parseCompressed(left, 'left', 'INVALID_LOCK');
    if (l === 0n || !mulG(l).equals(L)) {
      throw new CryptoError('LOCK_MISMATCH', 'secret does not open the left lock', { field: 'rightSecret' });
    }
  }
  return scalarToBytes(l);
}

/**
 * The payer's final step: from the secret `r_0` of its outgoing PTLC, `z = r_0 − y_0`, checked
 * against the payment point `Z`.
 *
 * @throws CryptoError `LOCK_MISMATCH` when `z·G ≠ Z`.
 */
export function recoverPaymentSecret(firstLockSecret: Uint8Array, setup: MultiHopSetup): Uint8Array {
  const first = setup.hops[0];
  if (first === undefined) throw new RangeError('setup has no hops');
  return openLeftLock(firstLockSecret, first.tweak, setup.paymentPoint);
}
