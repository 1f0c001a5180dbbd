/**
 * A minimal interface over a MuSig2 implementation — aggregate keys, run a signing session for
 * co-located signers, combine, verify the final signature — so that two implementations can be
 * compared on the same inputs (tests and benchmarks). The protocol code never goes through it: it
 * calls the BIP-327 modules directly.
 *
 * Two backends exist: {@link bip327Backend} (this package's BIP-327 code) and `cmdcodeBackend` in
 * the package's `bench/musig2-cmdcode.ts` (`@cmdcode/musig2`, which is *not* BIP-327; it stays out
 * of `src/` so the library never imports it).
 *
 * @example
 * ```ts
 * import { bip327Backend as b } from '@asyncpay/crypto/musig2/backend';
 * const session = b.signSession([skAlice, skBob], msg, { rands: [randA, randB], taproot: true });
 * const sig = b.combine(session);
 * b.verify(sig, msg, session.aggpk); // true
 * ```
 * @module
 */
import { schnorr } from '@noble/curves/secp256k1.js';
import {
  applyTweak,
  getXonlyPubkey,
  individualPubkey,
  type KeyAggContext,
  keyAgg,
  keySort,
  taprootTweak,
} from './keyagg.js';
import { nonceAgg, nonceGen } from './nonce.js';
import { partialSigAgg, type SessionContext, sign } from './session.js';
import { abytes, abytesArray } from './util.js';

/** Options of a backend's key aggregation and signing session. */
export interface Musig2Options {
  /** Apply the BIP-341 taproot tweak (no script tree) to the aggregate key. */
  taproot?: boolean;
}

/** What a backend's signing session produced: everything a reader compares, plus its own state. */
export interface Musig2SignedSession {
  /** The x-only (tweaked) aggregate key the final signature verifies under. */
  readonly aggpk: Uint8Array;
  /** Public keys in the order the backend aggregated them. */
  readonly pubkeys: readonly Uint8Array[];
  /** Public nonces, one per signer, in `pubkeys` order. */
  readonly pubnonces: readonly Uint8Array[];
  /** Partial signatures, one per signer, in `pubkeys` order. */
  readonly psigs: readonly Uint8Array[];
}

/** One MuSig2 implementation behind the comparison interface. */
export interface Musig2Backend<S extends Musig2SignedSession = Musig2SignedSession> {
  /** A short name for tables and test titles. */
  readonly name: string;
  /** The public key this backend aggregates for a secret key (33 or 32 bytes). */
  publicKey(sk: Uint8Array): Uint8Array;
  /** The x-only aggregate key of a key set (in any order), tweaked if asked. */
  keyAgg(pubkeys: readonly Uint8Array[], options?: Musig2Options): Uint8Array;
  /**
   * Runs both rounds for co-located signers: a nonce per signer derived from `rands[i]` (32 bytes),
   * then a partial signature per signer.
   */
  signSession(
    secretKeys: readonly Uint8Array[],
    msg: Uint8Array,
    options: Musig2Options & { rands: readonly Uint8Array[] },
  ): S;
  /** Combines the session's partial signatures into a 64-byte signature. */
  combine(session: S): Uint8Array;
  /** Verifies a final signature (BIP-340). */
  verify(sig: Uint8Array, msg: Uint8Array, aggpk: Uint8Array): boolean;
}

interface Bip327Session extends Musig2SignedSession {
  readonly ctx: SessionContext;
}

function bip327KeyCtx(
  pubkeys: readonly Uint8Array[],
  options: Musig2Options,
): { ctx: KeyAggContext; tweaks: Uint8Array[] } {
  const internal = keyAgg(keySort(pubkeys));
  if (!options.taproot) return { ctx: internal, tweaks: [] };
  const tweak = taprootTweak(getXonlyPubkey(internal));
  return { ctx: applyTweak(internal, tweak, true), tweaks: [tweak] };
}

/**
 * This package's BIP-327 MuSig2 as a {@link Musig2Backend}: 33-byte keys sorted with KeySort,
 * 66-byte public nonces from NonceGen, 32-byte partial signatures.
 */
export const bip327Backend: Musig2Backend<Bip327Session> = {
  name: 'BIP-327 (@asyncpay/crypto)',
  publicKey: individualPubkey,
  keyAgg(pubkeys, options = {}) {
    return getXonlyPubkey(bip327KeyCtx(abytesArray(pubkeys, 33, 'pubkeys'), options).ctx);
  },
  signSession(secretKeys, msg, options) {
    const sks = abytesArray(secretKeys, 32, 'secretKeys');
    const rands = abytesArray(options.rands, 32, 'rands');
    if (rands.length !== sks.length) throw new RangeError('rands: expected one per secret key');
    abytes(msg, undefined, 'msg');
    const signers = sks.map((sk, i) => ({ sk, pk: individualPubkey(sk), rand: rands[i]! }));
    const pubkeys = keySort(signers.map((s) => s.pk));
    const ordered = pubkeys.map((pk) => signers.find((s) => s.pk === pk)!);
    const { ctx: keyCtx, tweaks } = bip327KeyCtx(pubkeys, options);
    const aggpk = getXonlyPubkey(keyCtx);
    const nonces = ordered.map((s) => nonceGen({ pk: s.pk, sk: s.sk, aggpk, msg, rand: s.rand }));
    const pubnonces = nonces.map((n) => n.pubnonce);
    const ctx: SessionContext = {
      aggnonce: nonceAgg(pubnonces),
      pubkeys,
      tweaks,
      isXonly: tweaks.map(() => true),
      msg,
    };
    const psigs = ordered.map((s, i) => sign(nonces[i]!.secnonce, s.sk, ctx));
    return { aggpk, pubkeys, pubnonces, psigs, ctx };
  },
  combine(session) {
    return partialSigAgg(session.psigs, session.ctx);
  },
  verify(sig, msg, aggpk) {
    return schnorr.verify(sig, msg, aggpk);
  },
};
