/**
 * Vectors for pay-for-signature (vectors/pay-for-signature.json).
 *
 * - `bip340`: a seller with key `P` commits to nonce `R`; the buyer computes the signature point
 *   `S = R + e·P` and locks a PTLC to it; the seller's signature `(R, s)` has `s·G = S`. Sellers are
 *   0x42… Bob (odd-y key) and 0x43… Carol (even-y key); nonce secrets 0x4e… and 0x50… (odd y) and
 *   0x45… (even y); the buyer is 0x41… Alice.
 * - `musig2_partial`: the point `s_i·G = Re_i + e·a_i·g·gacc·P_i` of a BIP-327 partial signature,
 *   with the session values taken from BIP-327's sign_verify valid cases (upstream inputs; their
 *   expected partial signatures give the `psig` column).
 */
import { readUpstreamJson } from '@asyncpay/testkit/vectors';
import { adapt, presign } from '../src/adaptor.js';
import { bytesToHex, hexToBytes } from '../src/bytes.js';
import { keyAggCoeff } from '../src/musig2/keyagg.js';
import { getSessionValues } from '../src/musig2/session.js';
import {
  extractSoldScalar,
  partialSignaturePoint,
  partialSigPointInputFromSession,
  signaturePoint,
  signWithNonce,
} from '../src/pay-for-signature.js';
import { evenYKey } from '../src/point.js';
import { bytesToInt, scalarToBytes, toScalar } from '../src/scalar.js';
import { getPublicKey } from '../src/schnorr.js';

const rep = (byte: number) => new Uint8Array(32).fill(byte);
const hex = bytesToHex;
const ALICE = rep(0x41);

function bip340Case(description: string, seller: Uint8Array, nonceSecret: Uint8Array, message: Uint8Array) {
  const key = getPublicKey(seller);
  const nonce = getPublicKey(nonceSecret);
  const { S, e } = signaturePoint(key, nonce, message);
  const signature = signWithNonce(seller, nonceSecret, message);
  // the buyer's PTLC: Alice pre-signs the claim with adaptor point S; Bob claims with s
  const claimDigest = rep(0xc1);
  const preSignature = presign(ALICE, claimDigest, S, rep(0x00));
  const claimSignature = adapt(preSignature, signature.subarray(32));
  return {
    description,
    seller_secret_key: hex(seller),
    nonce_secret: hex(nonceSecret),
    message: hex(message),
    'bytes(P)': hex(key),
    'bytes(R)': hex(nonce),
    key_negated: evenYKey(bytesToInt(seller)).negated,
    nonce_negated: evenYKey(bytesToInt(nonceSecret)).negated,
    'e = hash_BIP0340/challenge(bytes(R) ‖ bytes(P) ‖ m) mod n': hex(scalarToBytes(e)),
    'S = lift_x(bytes(R)) + e·lift_x(bytes(P))': hex(S),
    'signature = bytes(R) ‖ s': hex(signature),
    buyer_secret_key: hex(ALICE),
    claim_digest: hex(claimDigest),
    'claim pre-signature (adaptor S, aux 00…)': hex(preSignature),
    'claim signature = adapt(pre-signature, s)': hex(claimSignature),
    's = extractSecret(claim signature, pre-signature)': hex(
      extractSoldScalar(claimSignature, preSignature, S),
    ),
  };
}

interface SignVerify {
  pubkeys: string[];
  pnonces: string[];
  aggnonces: string[];
  msgs: string[];
  valid_test_cases: {
    key_indices: number[];
    nonce_indices: number[];
    aggnonce_index: number;
    msg_index: number;
    signer_index: number;
    expected: string;
  }[];
}

function musig2Cases() {
  const v = readUpstreamJson<SignVerify>('bips/bip-0327/vectors/sign_verify_vectors.json');
  return v.valid_test_cases.map((c, index) => {
    const pubkeys = c.key_indices.map((i) => hexToBytes(v.pubkeys[i]!));
    const aggnonce = hexToBytes(v.aggnonces[c.aggnonce_index]!);
    const msg = hexToBytes(v.msgs[c.msg_index]!);
    const session = getSessionValues({ aggnonce, pubkeys, msg });
    const publicKey = pubkeys[c.signer_index]!;
    const pubnonce = hexToBytes(v.pnonces[c.nonce_indices[c.signer_index]!]!);
    const input = partialSigPointInputFromSession(session, {
      publicKey,
      pubnonce,
      keyAggCoef: keyAggCoeff(pubkeys, publicKey),
    });
    return {
      description: `BIP-327 sign_verify valid_test_cases[${index}]`,
      P_i: hex(publicKey),
      pubnonce: hex(pubnonce),
      'a_i = KeyAggCoeff(pk1..u, P_i)': hex(scalarToBytes(toScalar(input.keyAggCoef, 'a'))),
      'b = hash_MuSig/noncecoef(aggnonce ‖ bytes(Q) ‖ m) mod n': hex(
        scalarToBytes(toScalar(input.nonceCoef, 'b')),
      ),
      'e = hash_BIP0340/challenge(bytes(R) ‖ bytes(Q) ‖ m) mod n': hex(
        scalarToBytes(toScalar(input.challenge, 'e')),
      ),
      final_nonce_odd_y: input.finalNonceOddY,
      aggregate_key_odd_y: input.aggregateKeyOddY,
      gacc_is_one: toScalar(input.gacc, 'gacc') === 1n,
      's_i·G = ±(R1_i + b·R2_i) + e·a_i·g·gacc·P_i': hex(partialSignaturePoint(input)),
      psig: c.expected.toLowerCase(),
    };
  });
}

function generate() {
  const m = new TextEncoder().encode('Bob signs this for 1000 sats');
  return {
    comment:
      'Pay-for-signature: S = R + e·P is computable before the signature exists; a PTLC locked to S is ' +
      'claimed by revealing s, completing the BIP-340 signature (R, s). MuSig2: s_i·G per BIP-327 PartialSigVerify.',
    bip340: [
      bip340Case('Bob (odd-y key) sells a signature, odd-y nonce', rep(0x42), rep(0x4e), m),
      bip340Case('Bob (odd-y key) sells a signature, even-y nonce', rep(0x42), rep(0x45), m),
      bip340Case(
        'Carol (even-y key) sells a signature, odd-y nonce, 32-byte message',
        rep(0x43),
        rep(0x50),
        rep(0x6d),
      ),
      bip340Case(
        'Carol (even-y key) sells a signature on the empty message',
        rep(0x43),
        rep(0x45),
        new Uint8Array(0),
      ),
    ],
    musig2_partial: musig2Cases(),
  };
}

/** The pay-for-signature vector files. */
export const vectors: { file: string; generate(): unknown }[] = [
  { file: 'pay-for-signature.json', generate },
];
