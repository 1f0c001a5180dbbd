/**
 * `@cmdcode/musig2` 2.4.3 behind the comparison {@link Musig2Backend} interface — for the tests and
 * benchmarks that show how it differs from BIP-327, never for the protocol. It lives beside the
 * benchmarks, outside `src/`, so that the library itself never imports a third-party MuSig2.
 *
 * It is a MuSig2, but not BIP-327, so its keys and partial signatures cannot be mixed with
 * BIP-327 peers (LND, secp256k1-zkp, this package):
 * - keys are 32-byte x-only, lifted to even y, and always sorted (so aggregation ignores order);
 * - every key gets a hash coefficient over the sorted 32-byte keys — no second-key exception — so
 *   the same signers get a different aggregate key than BIP-327 KeyAgg;
 * - public nonces are 64 bytes (two x-only points), secret nonces 64 bytes, drawn from caller
 *   bytes with no NonceGen inputs;
 * - a partial signature is 128 bytes: `s(32) ‖ x-only pubkey(32) ‖ pubnonce(64)`;
 * - tweaks are x-only only; there is no adaptor API.
 * Its final signatures are plain BIP-340 signatures under its own aggregate key.
 *
 * The package's README describes an API that 2.4.3 does not have; the names used here
 * (`get_ctx`, `musign`, `combine_psigs`, `verify_psig`, `keys.get_nonce_pair`) are those of its
 * type declarations.
 *
 * @example
 * ```ts
 * import { cmdcodeBackend as c } from './musig2-cmdcode.js';
 * const session = c.signSession([skAlice, skBob], msg, { rands: [randA, randB] });
 * c.verify(c.combine(session), msg, session.aggpk); // true
 * ```
 * @module
 */
import {
  combine_psigs,
  get_ctx,
  get_key_ctx,
  keys,
  type MusigContext,
  musign,
  tweak_key_ctx,
  verify_psig,
} from '@cmdcode/musig2';
import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { CryptoError } from '../src/errors.js';
import type { Musig2Backend, Musig2Options, Musig2SignedSession } from '../src/musig2/backend.js';
import { taprootTweak } from '../src/musig2/keyagg.js';
import { abytes, abytesArray } from '../src/musig2/util.js';

interface CmdcodeSession extends Musig2SignedSession {
  readonly ctx: MusigContext;
}

/** A plain Uint8Array copy (the library returns its own Uint8Array subclass). */
const plain = (b: Uint8Array): Uint8Array => Uint8Array.from(b);

/** The taproot tweak as a raw x-only tweak scalar, the only tweak form the library has. */
function keyTweaks(pubkeys: readonly Uint8Array[], options: Musig2Options): Uint8Array[] {
  if (!options.taproot) return [];
  return [taprootTweak(plain(get_key_ctx([...pubkeys]).group_pubkey))];
}

/**
 * `@cmdcode/musig2` as a {@link Musig2Backend}. Its 64-byte secret nonce seed is
 * `sha256(rand ‖ 0x00) ‖ sha256(rand ‖ 0x01)` so that both backends start from the same 32 bytes.
 */
export const cmdcodeBackend: Musig2Backend<CmdcodeSession> = {
  name: '@cmdcode/musig2 2.4.3 (not BIP-327)',
  publicKey(sk) {
    return schnorr.getPublicKey(abytes(sk, 32, 'sk'));
  },
  keyAgg(pubkeys, options = {}) {
    const pks = abytesArray(pubkeys, 32, 'pubkeys');
    const tweaks = keyTweaks(pks, options);
    const ctx = get_key_ctx(pks);
    return plain((tweaks.length > 0 ? tweak_key_ctx(ctx, tweaks) : ctx).group_pubkey);
  },
  signSession(secretKeys, msg, options) {
    const sks = abytesArray(secretKeys, 32, 'secretKeys');
    const rands = abytesArray(options.rands, 32, 'rands');
    if (rands.length !== sks.length) throw new RangeError('rands: expected one per secret key');
    abytes(msg, undefined, 'msg');
    const signers = sks.map((sk, i) => {
      const seed = concatBytes(
        sha256(concatBytes(rands[i]!, Uint8Array.of(0))),
        sha256(concatBytes(rands[i]!, Uint8Array.of(1))),
      );
      const [secnonce, pubnonce] = keys.get_nonce_pair(seed);
      return { sk, pk: schnorr.getPublicKey(sk), secnonce: secnonce!, pubnonce: pubnonce! };
    });
    const pubkeys = signers.map((s) => s.pk);
    const pubnonces = signers.map((s) => plain(s.pubnonce));
    const ctx = get_ctx(pubkeys, pubnonces, msg, { key_tweaks: keyTweaks(pubkeys, options) });
    const psigs = signers.map((s) => plain(musign(ctx, s.sk, s.secnonce)));
    return { aggpk: plain(ctx.group_pubkey), pubkeys, pubnonces, psigs, ctx };
  },
  combine(session) {
    for (const psig of session.psigs) {
      if (!verify_psig(session.ctx, psig)) {
        throw new CryptoError('BAD_PARTIAL_SIG', 'a @cmdcode/musig2 partial signature failed to verify');
      }
    }
    return plain(combine_psigs(session.ctx, [...session.psigs]));
  },
  verify(sig, msg, aggpk) {
    return schnorr.verify(sig, msg, aggpk);
  },
};
