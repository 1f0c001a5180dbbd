/**
 * Generator of `vectors/musig2-adaptor.json`: one deterministic MuSig2 2-of-2 session between Alice
 * (secret key 0x41…) and Bob (0x42…) on a BIP-341 key-path output, locked to an adaptor point T with
 * secp256k1-zkp's semantics, from key aggregation to the extracted adaptor secret. Nonces come from
 * BIP-327 NonceGen with fixed `rand'`; the adaptor secret is fixed. Every intermediate value is keyed
 * by the formula that produced it. Invalid cases carry `error: { code, signer }`.
 *
 * @example
 * ```ts
 * import { vectors } from './musig2-adaptor.js';
 * const scenario = vectors[0]!.generate();
 * ```
 * @module
 */
import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { CryptoError } from '../src/errors.js';
import { adapt, aggregatePreSignature, extract, verifyPartialSigs } from '../src/musig2/adaptor.js';
import {
  applyTweak,
  getPlainPubkey,
  getXonlyPubkey,
  hashKeys,
  individualPubkey,
  keyAgg,
  keyAggCoeff,
  keySort,
  taprootTweak,
} from '../src/musig2/keyagg.js';
import { nonceAgg, nonceGen } from '../src/musig2/nonce.js';
import { type AdaptorSessionContext, getSessionValues, sign } from '../src/musig2/session.js';
import { bytes, cbytes, cbytesExt, G, hasEvenY, int, Musig2ContributionError } from '../src/musig2/util.js';

const hex = (b: Uint8Array): string => bytesToHex(b);
const scalar = (x: bigint): string => hex(bytes(32, x));
const filled = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);

/** The message both parties sign: sha256 of a sentence (32 bytes, as secp256k1-zkp requires). */
const MESSAGE_TEXT = 'asyncpay: Alice and Bob spend their 2-of-2 output, locked to T';

/** Builds the scenario; every value is recomputed from the fixed inputs. */
export function musig2AdaptorScenario(tByte: number): Record<string, unknown> {
  const people = [
    { name: 'alice', sk: filled(0x41), rand: filled(0x01) },
    { name: 'bob', sk: filled(0x42), rand: filled(0x02) },
  ].map((p) => ({ ...p, pk: individualPubkey(p.sk) }));
  const t = filled(tByte);
  const adaptor = cbytes(G.multiply(int(t))); // T = t⋅G
  const msg = sha256(utf8ToBytes(MESSAGE_TEXT));

  // Key aggregation (BIP-327), then the BIP-341 taproot tweak without a script tree.
  const pubkeys = keySort(people.map((p) => p.pk));
  const signers = pubkeys.map((pk) => people.find((p) => p.pk === pk)!);
  const internal = keyAgg(pubkeys);
  const tweak = taprootTweak(getXonlyPubkey(internal));
  const output = applyTweak(internal, tweak, true);
  const aggpk = getXonlyPubkey(output);

  // Nonces (BIP-327 NonceGen with every optional input, fixed rand').
  const nonces = signers.map((p) => nonceGen({ pk: p.pk, sk: p.sk, aggpk, msg, rand: p.rand }));
  const pubnonces = nonces.map((n) => n.pubnonce);
  const secnoncesHex = nonces.map((n) => hex(n.secnonce)); // before sign() wipes them
  const aggnonce = nonceAgg(pubnonces);
  const ctx: AdaptorSessionContext = { aggnonce, pubkeys, tweaks: [tweak], isXonly: [true], msg, adaptor };
  const v = getSessionValues(ctx);
  const [R1T, R2] = v.aggnoncePoints;

  // Partial signatures, verification, pre-signature, adaptation, extraction.
  const psigs = signers.map((p, i) => sign(nonces[i]!.secnonce, p.sk, ctx));
  const preSig = aggregatePreSignature(verifyPartialSigs(psigs, pubnonces, ctx));
  const sig = adapt(preSig, t, adaptor);
  if (!schnorr.verify(sig, msg, aggpk)) throw new Error('generator: adapted signature does not verify');
  const extracted = extract(preSig, sig, adaptor);

  const swapped = [psigs[1]!, psigs[0]!];
  const invalid = [
    {
      description: 'the two partial signatures swapped',
      psigs: swapped.map(hex),
      error: expectError(() => verifyPartialSigs(swapped, pubnonces, ctx)),
    },
    {
      description: 'the plain BIP-327 partial signatures of the same nonces (session without the adaptor)',
      psigs: plainSessionPsigs(signers, ctx).map(hex),
      error: expectError(() => verifyPartialSigs(plainSessionPsigs(signers, ctx), pubnonces, ctx)),
    },
  ];

  return {
    description: `adaptor secret t = 0x${tByte.toString(16)}…: the final nonce R' has ${hasEvenY(v.R) ? "even y, so s = s' + t" : "odd y, so s = s' − t"}`,
    inputs: {
      ...Object.fromEntries(
        people.map((p) => [p.name, { sk: hex(p.sk), 'pk = cbytes(sk⋅G)': hex(p.pk), "rand'": hex(p.rand) }]),
      ),
      t: hex(t),
      message_text: MESSAGE_TEXT,
      'm = sha256(message_text)': hex(msg),
    },
    key_aggregation: {
      'pk1..2 = KeySort(pk_alice, pk_bob)': pubkeys.map(hex),
      signers: signers.map((p) => p.name),
      'L = hash_KeyAgg list(pk1 ‖ pk2)': hex(hashKeys(pubkeys)),
      'a1 = int(hash_KeyAgg coefficient(L ‖ pk1)) mod n': scalar(keyAggCoeff(pubkeys, pubkeys[0]!)),
      'a2 = 1 (second key)': scalar(keyAggCoeff(pubkeys, pubkeys[1]!)),
      'Q0 = a1⋅P1 + a2⋅P2': hex(getPlainPubkey(internal)),
      'tweak = hash_TapTweak(xbytes(Q0))': hex(tweak),
      'Q = with_even_y(Q0) + tweak⋅G': hex(getPlainPubkey(output)),
      gacc: scalar(output.gacc),
      tacc: scalar(output.tacc),
      'aggpk = xbytes(Q)': hex(aggpk),
    },
    nonces: {
      'secnonce_i = NonceGen(sk_i, pk_i, aggpk, m, rand_i)': secnoncesHex,
      pubnonces: pubnonces.map(hex),
      'aggnonce = NonceAgg(pubnonce1, pubnonce2)': hex(aggnonce),
    },
    adaptor: {
      'T = t⋅G': hex(adaptor),
      'R1 + T': hex(cbytesExt(R1T)),
      R2: hex(cbytesExt(R2)),
      'b = int(hash_MuSig/noncecoef(cbytes_ext(R1 + T) ‖ cbytes_ext(R2) ‖ xbytes(Q) ‖ m)) mod n': scalar(v.b),
      "R' = (R1 + T) + b⋅R2": hex(cbytes(v.R)),
      "e = int(hash_BIP0340/challenge(xbytes(R') ‖ xbytes(Q) ‖ m)) mod n": scalar(v.e),
    },
    signing: {
      'psig_i = Sign(secnonce_i, sk_i, session_ctx with T)': psigs.map(hex),
      "pre_signature = cbytes(R') ‖ bytes(32, s' = psig1 + psig2 + e⋅g⋅tacc)": hex(preSig),
      "sig = xbytes(R') ‖ bytes(32, s' + t if R' has even y else s' − t)": hex(sig),
      "t = s − s' if R' has even y else s' − s": hex(extracted),
    },
    invalid,
  };
}

/** Partial signatures of the same nonces for the session without T (valid there, not here). */
function plainSessionPsigs(
  signers: { sk: Uint8Array; pk: Uint8Array; rand: Uint8Array }[],
  ctx: AdaptorSessionContext,
): Uint8Array[] {
  const aggpk = getXonlyPubkey(applyTweak(keyAgg(ctx.pubkeys), ctx.tweaks![0]!, true));
  const plainCtx = { ...ctx, adaptor: undefined };
  return signers.map((p) =>
    sign(nonceGen({ pk: p.pk, sk: p.sk, aggpk, msg: ctx.msg, rand: p.rand }).secnonce, p.sk, plainCtx),
  );
}

function expectError(fn: () => unknown): { code: string; signer?: number | null } {
  try {
    fn();
  } catch (e) {
    if (e instanceof Musig2ContributionError) return { code: e.code, signer: e.signer };
    if (e instanceof CryptoError) return { code: e.code };
    throw e;
  }
  throw new Error('generator: an invalid case was accepted');
}

/** The adaptor secrets of the two scenarios: one gives an even final nonce, the other an odd one. */
const ADAPTOR_SECRET_BYTES = [0x54, 0x55];

/** The whole file: both scenarios. */
export function generateMusig2Adaptor(): unknown {
  return {
    comment:
      'MuSig2 (BIP-327) 2-of-2 with an adaptor point, secp256k1-zkp semantics: T is added to the first ' +
      'aggregate nonce point before the nonce coefficient is hashed; the final nonce parity decides ±t. ' +
      'Key-path spend of a BIP-341 output (taproot tweak, no script tree). Signer i is the i-th key after ' +
      'KeySort. The two scenarios differ only in the adaptor secret t.',
    scenarios: ADAPTOR_SECRET_BYTES.map(musig2AdaptorScenario),
  };
}

/** The vector files this generator writes (see scripts/vectors.ts). */
export const vectors: { file: string; generate(): unknown }[] = [
  { file: 'musig2-adaptor.json', generate: generateMusig2Adaptor },
];
