/**
 * BIP-327 nonce generation ("NonceGen") and nonce aggregation ("NonceAgg").
 *
 * A secret nonce is the 97-byte array `bytes(32, k1) ‖ bytes(32, k2) ‖ pk` the BIP suggests. It must
 * be used by exactly one {@link sign} call: `sign` zeroes the array it is given and remembers it, so
 * a second use of the same array is refused with `DUPLICATE_SECNONCE_USE`. Copies defeat this guard —
 * keep exactly one.
 *
 * @example
 * ```ts
 * import { nonceGen, nonceAgg } from '@asyncpay/crypto/musig2/nonce';
 * const alice = nonceGen({ pk: pkAlice, sk: skAlice });
 * const bob = nonceGen({ pk: pkBob, sk: skBob });
 * const aggnonce = nonceAgg([alice.pubnonce, bob.pubnonce]);
 * ```
 * @module
 */
import { concatBytes as concat, randomBytes } from '@noble/hashes/utils.js';
import { CryptoError } from '../errors.js';
import {
  abytes,
  abytesArray,
  bytes,
  cbytes,
  cbytesExt,
  cpoint,
  G,
  hashTag,
  intModN,
  type Musig2Contribution,
  Musig2ContributionError,
  Point,
} from './util.js';

/** Arguments of {@link nonceGen}; only `pk` is mandatory (BIP-327 explains why). */
export interface NonceGenArgs {
  /** The signer's individual public key, 33 bytes. */
  pk: Uint8Array;
  /** The signer's secret key, 32 bytes (optional, recommended). */
  sk?: Uint8Array;
  /** The x-only aggregate public key, 32 bytes (optional). */
  aggpk?: Uint8Array;
  /** The message, any length (optional; an empty message is not the same as no message). */
  msg?: Uint8Array;
  /** Auxiliary input, any length (optional). */
  extraIn?: Uint8Array;
  /**
   * `rand'`: 32 bytes. Omit it: it is then "freshly drawn uniformly at random". Pass it only to
   * reproduce test vectors.
   */
  rand?: Uint8Array;
}

/** A nonce pair: the 97-byte secret nonce (use once) and the 66-byte public nonce. */
export interface NoncePair {
  secnonce: Uint8Array;
  pubnonce: Uint8Array;
}

/**
 * BIP-327 NonceGen(sk, pk, aggpk, m, extra_in).
 * @example
 * ```ts
 * const { secnonce, pubnonce } = nonceGen({ pk, sk, msg });
 * ```
 */
export function nonceGen(args: NonceGenArgs): NoncePair {
  const pk = abytes(args.pk, 33, 'pk');
  const sk = args.sk === undefined ? undefined : abytes(args.sk, 32, 'sk');
  const aggpk = args.aggpk === undefined ? new Uint8Array(0) : abytes(args.aggpk, 32, 'aggpk');
  const msg = args.msg === undefined ? undefined : abytes(args.msg, undefined, 'msg');
  const extraIn = args.extraIn === undefined ? new Uint8Array(0) : abytes(args.extraIn, undefined, 'extraIn');
  // BIP-327: "Let rand' be a 32-byte array freshly drawn uniformly at random"
  const randPrime = args.rand === undefined ? randomBytes(32) : abytes(args.rand, 32, 'rand');
  // BIP-327: "If the optional argument sk is present: Let rand be the byte-wise xor of sk and
  // hash_MuSig/aux(rand')"
  let rand = randPrime;
  if (sk !== undefined) {
    const aux = hashTag('MuSig/aux', randPrime);
    rand = sk.map((b, i) => b ^ aux[i]!);
  }
  // BIP-327: "If the optional argument m is not present: Let m_prefixed = bytes(1, 0)
  // Else: Let m_prefixed = bytes(1, 1) ‖ bytes(8, len(m)) ‖ m"
  const mPrefixed = msg === undefined ? bytes(1, 0) : concat(bytes(1, 1), bytes(8, msg.length), msg);
  // BIP-327: "Let ki = int(hash_MuSig/nonce(rand ‖ bytes(1, len(pk)) ‖ pk ‖ bytes(1, len(aggpk)) ‖ aggpk
  // ‖ m_prefixed ‖ bytes(4, len(extra_in)) ‖ extra_in ‖ bytes(1, i - 1))) mod n for i = 1,2"
  const prefix = concat(
    rand,
    bytes(1, pk.length),
    pk,
    bytes(1, aggpk.length),
    aggpk,
    mPrefixed,
    bytes(4, extraIn.length),
    extraIn,
  );
  const k1 = intModN(hashTag('MuSig/nonce', prefix, bytes(1, 0)));
  const k2 = intModN(hashTag('MuSig/nonce', prefix, bytes(1, 1)));
  // BIP-327: "Fail if k1 = 0 or k2 = 0"
  if (k1 === 0n || k2 === 0n) throw new CryptoError('INVALID_SECNONCE', 'NonceGen produced a zero nonce');
  return nonceFromScalars(k1, k2, pk);
}

/** `secnonce = bytes(32, k1) ‖ bytes(32, k2) ‖ pk`, `pubnonce = cbytes(k1⋅G) ‖ cbytes(k2⋅G)`. */
export function nonceFromScalars(k1: bigint, k2: bigint, pk: Uint8Array): NoncePair {
  return {
    secnonce: concat(bytes(32, k1), bytes(32, k2), pk),
    pubnonce: concat(cbytes(G.multiply(k1)), cbytes(G.multiply(k2))),
  };
}

/**
 * BIP-327 NonceAgg(pubnonce1..u). Throws {@link Musig2ContributionError} `INVALID_PUBNONCE`
 * blaming the first signer (by index) whose public nonce does not decode.
 * @example
 * ```ts
 * const aggnonce = nonceAgg([pubnonceAlice, pubnonceBob]); // 66 bytes
 * ```
 */
export function nonceAgg(pubnonces: readonly Uint8Array[]): Uint8Array {
  return nonceAggBlaming(pubnonces, 'pubnonce');
}

/** NonceAgg whose failures blame `contrib` (DeterministicSign blames the aggregator). */
export function nonceAggBlaming(pubnonces: readonly Uint8Array[], contrib: Musig2Contribution): Uint8Array {
  const nonces = abytesArray(pubnonces, 66, 'pubnonces');
  if (nonces.length === 0) throw new RangeError('pubnonces: expected at least one nonce');
  const out: Uint8Array[] = [];
  // BIP-327: "For j = 1 .. 2: For i = 1 .. u: Let Ri,j = cpoint(pubnonce_i[(j-1)*33:j*33]); fail if
  // that fails and blame signer i for invalid pubnonce. Let Rj = R1,j + R2,j + ... + Ru,j"
  for (const j of [0, 1]) {
    let R: Point = Point.ZERO;
    for (let i = 0; i < nonces.length; i++) {
      try {
        R = R.add(cpoint(nonces[i]!.subarray(j * 33, (j + 1) * 33)));
      } catch (cause) {
        const signer = contrib === 'pubnonce' ? i : null;
        throw new Musig2ContributionError(signer, contrib, `${contrib} ${i} does not decode`, { cause });
      }
    }
    // BIP-327: "Return aggnonce = cbytes_ext(R1) ‖ cbytes_ext(R2)"
    out.push(cbytesExt(R));
  }
  return concat(...out);
}
