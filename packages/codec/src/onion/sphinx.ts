/**
 * BOLT 4 Sphinx: the onion packet shared by payments (`onion_routing_packet`, 1300-byte `hop_payloads`)
 * and onion messages (`onion_message_packet`, `onionmsg_payloads` of any length — 1300 or 32768 in
 * practice, so a packet of 1366 or 32834 bytes).
 *
 * ```
 * onion_packet: [byte:version] [point:public_key] [N*byte:hop_payloads] [32*byte:hmac]
 * hop_payloads: ([bigsize:length] [length*byte:payload] [32*byte:hmac])* filler
 * ```
 *
 * This module knows nothing of what a payload means: the TLV tables of `payment-payload.ts` and
 * `onion-message.ts` interpret it. Curve arithmetic is noble's (`secp256k1.Point`, `Point.Fn`).
 *
 * @example
 * ```ts
 * const { packet } = constructOnion({ sessionKey, hops: [{ pubkey: bob, payload }], associatedData });
 * const peeled = peelOnion(bobPrivkey, packet, { associatedData });
 * ```
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bigSizeLength, encodeBigSize, readBigSize } from '../bigsize.js';
import { abytes, concatBytes, equalBytes, Reader } from '../bytes.js';
import { DecodeError, SignatureError } from '../errors.js';

const { Point } = secp256k1;
const Fn = Point.Fn;
type Point = InstanceType<typeof Point>;

/** BOLT 4: "a 1300-byte `hop_payloads`" — the payment onion's fixed size. */
export const PAYMENT_HOP_PAYLOADS_LENGTH = 1300;
/** BOLT 4: an onion message "SHOULD set `onion_message_packet` `len` to 1366 or 32834": payloads of 1300 or 32768. */
export const ONION_MESSAGE_PAYLOADS_LENGTHS = [1300, 32768] as const;
/** version (1) + public_key (33) + hmac (32). */
export const ONION_OVERHEAD = 66;
const HMAC_LEN = 32;
const ZERO_NONCE = new Uint8Array(12);
const ZERO_HMAC = new Uint8Array(HMAC_LEN);

/** The key types of BOLT 4 "Key Generation" (plus `ammag` for failures and `blinded_node_id` for route blinding). */
export type OnionKeyType = 'rho' | 'mu' | 'um' | 'pad' | 'ammag' | 'blinded_node_id';

const keyTypeBytes = new Map<string, Uint8Array>();

/**
 * BOLT 4 "Key Generation": "computing an HMAC (with SHA256 as hashing algorithm) using the appropriate
 * key-type ... as HMAC-key and the 32-byte shared secret as the message".
 *
 * @example `generateKey('rho', sharedSecret)`
 */
export function generateKey(keyType: OnionKeyType, secret: Uint8Array): Uint8Array {
  let k = keyTypeBytes.get(keyType);
  if (!k) {
    k = new TextEncoder().encode(keyType);
    keyTypeBytes.set(keyType, k);
  }
  return hmac(sha256, k, secret);
}

/**
 * BOLT 4 "Pseudo Random Byte Stream": ChaCha20 over `length` zero bytes with `key` and a 96-bit zero nonce.
 */
export function pseudoRandomStream(key: Uint8Array, length: number): Uint8Array {
  return chacha20(key, ZERO_NONCE, new Uint8Array(length));
}

/** XOR `data` in place with the ChaCha20 stream of `key` (zero nonce). */
function xorStream(key: Uint8Array, data: Uint8Array): void {
  chacha20(key, ZERO_NONCE, data, data);
}

/** Parse a compressed point; `DecodeError('INVALID_POINT')` naming `field` otherwise. */
export function parsePoint(bytes: Uint8Array, field: string): Point {
  try {
    if (bytes.length !== 33) throw new Error('not 33 bytes');
    return Point.fromBytes(bytes);
  } catch (cause) {
    throw new DecodeError('INVALID_POINT', `${field} is not a valid point`, { field, cause });
  }
}

/** A scalar from 32 big-endian bytes, reduced mod n; a zero scalar is a `RangeError` (probability ~2^-256). */
export function scalarFromBytes(bytes: Uint8Array, field: string): bigint {
  const s = Fn.create(bytesToNumberBE(bytes));
  if (s === 0n) throw new RangeError(`${field} is zero modulo the curve order`);
  return s;
}

/** A private key (1 ≤ k < n) from 32 bytes, checked at the boundary. */
export function privateKeyScalar(bytes: Uint8Array, field: string): bigint {
  abytes(bytes, 32, field);
  const k = bytesToNumberBE(bytes);
  if (k === 0n || k >= Fn.ORDER) throw new RangeError(`${field} is not a valid private key`);
  return k;
}

/**
 * BOLT 4 "Shared Secret": ECDH, "the resulting curve point is serialized to the compressed format and
 * hashed using SHA256". This is `SHA256(secp256k1.getSharedSecret(k, P, true))` written with noble's `Point`
 * so that a caller holding the parsed point (the peel path) does not decompress it twice.
 */
export function sharedSecret(privateKey: Uint8Array | bigint, publicKey: Uint8Array | Point): Uint8Array {
  const k = typeof privateKey === 'bigint' ? privateKey : privateKeyScalar(privateKey, 'privateKey');
  const P = publicKey instanceof Uint8Array ? parsePoint(publicKey, 'publicKey') : publicKey;
  return sha256(P.multiply(k).toBytes(true));
}

/**
 * BOLT 4 "Blinding Ephemeral Onion Keys": "the SHA256 hash value of the concatenation of the public key
 * serialized in its compressed format and the shared secret".
 */
export function blindingFactor(ephemeralPublicKey: Uint8Array, secret: Uint8Array): Uint8Array {
  return sha256(concatBytes(ephemeralPublicKey, secret));
}

/** `privateKey · tweak mod n` (32-byte big-endian), as BOLT 4 blinds ephemeral and node keys. */
export function multiplyPrivateKey(privateKey: Uint8Array | bigint, tweak: Uint8Array): bigint {
  const k = typeof privateKey === 'bigint' ? privateKey : privateKeyScalar(privateKey, 'privateKey');
  return Fn.mul(k, scalarFromBytes(tweak, 'tweak'));
}

/** `tweak · P` as a compressed point. */
export function multiplyPublicKey(publicKey: Uint8Array | Point, tweak: Uint8Array): Uint8Array {
  const P = publicKey instanceof Uint8Array ? parsePoint(publicKey, 'publicKey') : publicKey;
  return P.multiply(scalarFromBytes(tweak, 'tweak')).toBytes(true);
}

/** A scalar as 32 big-endian bytes. */
export function scalarToBytes(s: bigint): Uint8Array {
  return Fn.toBytes(s);
}

/** The public key `k·G` of a scalar, compressed. */
export function publicKeyOf(k: bigint): Uint8Array {
  return Point.BASE.multiply(k).toBytes(true);
}

/** The per-hop secrets of a route: what the sender computes once and each hop recomputes for itself. */
export interface OnionKeys {
  /** `ss_i`, one per hop. */
  sharedSecrets: Uint8Array[];
  /** `epk_i`, the ephemeral public key hop `i` sees. */
  ephemeralPublicKeys: Uint8Array[];
}

/**
 * BOLT 4 "Packet Construction": "the sender initializes the ephemeral private key for the first hop
 * `ek_1` to the `sessionkey`"; then per hop `ss_k = SHA256(ECDH)`, blinding factor `SHA256(epk_k || ss_k)`,
 * `ek_{k+1} = ek_k · factor`.
 */
export function deriveOnionKeys(sessionKey: Uint8Array, publicKeys: readonly Uint8Array[]): OnionKeys {
  let ek = privateKeyScalar(sessionKey, 'sessionKey');
  const sharedSecrets: Uint8Array[] = [];
  const ephemeralPublicKeys: Uint8Array[] = [];
  publicKeys.forEach((pk, i) => {
    const epk = publicKeyOf(ek);
    const ss = sharedSecret(ek, parsePoint(pk, `hops[${i}].pubkey`));
    sharedSecrets.push(ss);
    ephemeralPublicKeys.push(epk);
    ek = multiplyPrivateKey(ek, blindingFactor(epk, ss));
  });
  return { sharedSecrets, ephemeralPublicKeys };
}

/** The bytes a hop's entry takes in `hop_payloads`: "1 + l + 32 for l < 253, otherwise 3 + l + 32" (BigSize). */
export function hopSize(payloadLength: number): number {
  return bigSizeLength(payloadLength) + payloadLength + HMAC_LEN;
}

/**
 * BOLT 4 "Filler Generation": the tail each hop appends (zeros XOR its stream) and shifts in, as the
 * sender must pre-compute it so the HMACs of the later hops cover it. Hop `i` (all but the last) turns
 * `filler` into `(filler || zeros(size_i)) XOR rho_i-stream[L - |filler| .. L + size_i]`.
 */
export function generateFiller(
  sharedSecrets: readonly Uint8Array[],
  hopSizes: readonly number[],
  payloadsLength: number,
): Uint8Array {
  let filler = new Uint8Array(0);
  for (let i = 0; i < sharedSecrets.length - 1; i++) {
    const size = hopSizes[i]!;
    const next = new Uint8Array(filler.length + size);
    next.set(filler);
    const stream = pseudoRandomStream(generateKey('rho', sharedSecrets[i]!), payloadsLength + size);
    const start = payloadsLength - filler.length;
    for (let j = 0; j < next.length; j++) next[j]! ^= stream[start + j]!;
    filler = next;
  }
  return filler;
}

/** One hop of a route to build: whom the layer is encrypted to and its payload (without the length prefix). */
export interface OnionHop {
  /** The node id (or blinded node id) the hop's layer is encrypted to. */
  pubkey: Uint8Array;
  /** The `payload` (payments) or `onionmsg_tlv` (messages) bytes; the BigSize length is added here. */
  payload: Uint8Array;
}

/** What {@link constructOnion} needs. */
export interface ConstructOnionArgs {
  sessionKey: Uint8Array;
  hops: readonly OnionHop[];
  /** Payments: the payment hash. Onion messages: "MUST NOT use any `associated_data`" (empty). */
  associatedData?: Uint8Array;
  /** `hop_payloads` length: 1300 for payments (the default), 1300 or 32768 for onion messages. */
  payloadsLength?: number;
}

/** A constructed packet and the per-hop secrets (kept by the sender to decode failures). */
export interface ConstructedOnion extends OnionKeys {
  packet: Uint8Array;
}

/**
 * BOLT 4 "Packet Construction": build the onion in reverse order of the route.
 *
 * @example
 * ```ts
 * const { packet, sharedSecrets } = constructOnion({ sessionKey, hops, associatedData: paymentHash });
 * ```
 */
export function constructOnion(args: ConstructOnionArgs): ConstructedOnion {
  const { hops } = args;
  const ad = args.associatedData ?? new Uint8Array(0);
  const L = args.payloadsLength ?? PAYMENT_HOP_PAYLOADS_LENGTH;
  if (!Array.isArray(hops)) throw new TypeError('hops must be an array');
  if (hops.length === 0) throw new RangeError('hops must not be empty');
  abytes(ad, undefined, 'associatedData');
  hops.forEach((h, i) => {
    abytes(h.pubkey, 33, `hops[${i}].pubkey`);
    abytes(h.payload, undefined, `hops[${i}].payload`);
  });
  const sizes = hops.map((h) => hopSize(h.payload.length));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total > L) throw new RangeError(`hops[].payload: ${total} bytes do not fit in ${L}-byte hop_payloads`);

  const keys = deriveOnionKeys(
    args.sessionKey,
    hops.map((h) => h.pubkey),
  );
  const filler = generateFiller(keys.sharedSecrets, sizes, L);

  // "The packet is initialized with 1300 random bytes ... key = generateKey("pad", sessionKey)".
  const mix = pseudoRandomStream(generateKey('pad', args.sessionKey), L);
  let nextHmac = ZERO_HMAC;
  for (let i = hops.length - 1; i >= 0; i--) {
    const ss = keys.sharedSecrets[i]!;
    const size = sizes[i]!;
    // "The hop_payload field is right-shifted by shift_size bytes, discarding the last shift_size bytes".
    mix.copyWithin(size, 0, L - size);
    // "The bigsize-serialized length, serialized hop_payload and hmac are copied into the following bytes".
    const len = encodeBigSize(hops[i]!.payload.length);
    mix.set(len, 0);
    mix.set(hops[i]!.payload, len.length);
    mix.set(nextHmac, len.length + hops[i]!.payload.length);
    xorStream(generateKey('rho', ss), mix);
    // "If this is the last hop ... the tail of the hop_payloads field is overwritten with the filler".
    if (i === hops.length - 1) mix.set(filler, L - filler.length);
    nextHmac = hmac.create(sha256, generateKey('mu', ss)).update(mix).update(ad).digest();
  }
  const packet = concatBytes(Uint8Array.of(0), keys.ephemeralPublicKeys[0]!, mix, nextHmac);
  return { packet, ...keys };
}

/** The parts of a packet. */
export interface OnionPacket {
  version: number;
  publicKey: Uint8Array;
  hopPayloads: Uint8Array;
  hmac: Uint8Array;
}

/**
 * Split a packet into its parts. The `hop_payloads` length is `packet.length - 66`; `payloadsLength`, when
 * given, must match (`ONION_BAD_LENGTH`). "if version is not 0: MUST abort" (`ONION_BAD_VERSION`); "if
 * public_key is not a valid pubkey: MUST abort" (`INVALID_POINT`).
 */
export function decodeOnionPacket(packet: Uint8Array, payloadsLength?: number): OnionPacket {
  return splitPacket(packet, payloadsLength).parts;
}

function splitPacket(packet: Uint8Array, payloadsLength?: number): { parts: OnionPacket; E: Point } {
  abytes(packet, undefined, 'packet');
  if (
    packet.length <= ONION_OVERHEAD ||
    (payloadsLength !== undefined && packet.length !== payloadsLength + 66)
  ) {
    throw new DecodeError('ONION_BAD_LENGTH', `packet: ${packet.length} bytes`, { field: 'packet' });
  }
  const r = new Reader(packet, 'packet');
  const version = r.u8('version');
  if (version !== 0) {
    throw new DecodeError('ONION_BAD_VERSION', `packet: version ${version}`, { field: 'version' });
  }
  const publicKey = r.take(33, 'public_key');
  const E = parsePoint(publicKey, 'public_key');
  const hopPayloads = r.take(packet.length - ONION_OVERHEAD, 'hop_payloads');
  return { parts: { version, publicKey, hopPayloads, hmac: r.take(HMAC_LEN, 'hmac') }, E };
}

/** Options of {@link peelOnion}. */
export interface PeelOnionOptions {
  associatedData?: Uint8Array;
  /** Expected `hop_payloads` length (1300 for payments); any length when omitted. */
  payloadsLength?: number;
  /**
   * Payments: "If the payload_length is less than two: MUST abort" (2, the default). Onion messages:
   * "there is no legacy length: a 0 length would mean an empty onionmsg_payload" (0).
   */
  minPayloadLength?: number;
}

/** One peeled layer. */
export interface PeeledOnion {
  /** This hop's payload (the TLV stream, without its length prefix). */
  payload: Uint8Array;
  /** `ss`, kept to return failures. */
  sharedSecret: Uint8Array;
  /** The packet to forward; absent at the final hop ("all-zero next_hmac"). */
  nextPacket?: Uint8Array;
}

/**
 * BOLT 4 "Onion Decryption" with the processing node's (possibly blinded) private key: verify the HMAC
 * ("MUST use a constant time comparison ... If the computed HMAC and hmac differ: MUST abort"), unwrap,
 * read the BigSize-prefixed payload and the next HMAC, and build the next packet.
 *
 * @throws SignatureError `BAD_HMAC`; DecodeError `ONION_BAD_VERSION`, `ONION_BAD_LENGTH`, `INVALID_POINT`,
 *   `ONION_BAD_PAYLOAD_LENGTH`, `BIGSIZE_NOT_MINIMAL`, `UNEXPECTED_EOF`.
 */
export function peelOnion(
  privateKey: Uint8Array | bigint,
  packet: Uint8Array,
  opts: PeelOnionOptions = {},
): PeeledOnion {
  const k = typeof privateKey === 'bigint' ? privateKey : privateKeyScalar(privateKey, 'privateKey');
  const ad = opts.associatedData ?? new Uint8Array(0);
  abytes(ad, undefined, 'associatedData');
  const { parts: p, E } = splitPacket(packet, opts.payloadsLength);
  const ss = sha256(E.multiply(k).toBytes(true));
  const expected = hmac.create(sha256, generateKey('mu', ss)).update(p.hopPayloads).update(ad).digest();
  if (!equalBytes(expected, p.hmac)) {
    throw new SignatureError('BAD_HMAC', 'packet: HMAC mismatch', { field: 'hmac' });
  }
  const L = p.hopPayloads.length;
  // "Derive bytestream of twice the length of hop_payloads using rho"; XOR with hop_payloads || zeros.
  const unwrapped = new Uint8Array(2 * L);
  unwrapped.set(p.hopPayloads);
  xorStream(generateKey('rho', ss), unwrapped);
  const r = new Reader(unwrapped, 'hop_payloads');
  const length = readBigSize(r, 'payload_length');
  const min = opts.minPayloadLength ?? 2;
  // "If there are fewer than payload_length bytes remaining ... MUST abort" (checked against L: the
  // zero-padded tail is never a payload).
  if (length < BigInt(min) || length + BigInt(r.offset) + 32n > BigInt(L)) {
    throw new DecodeError('ONION_BAD_PAYLOAD_LENGTH', `hop_payloads: payload length ${length}`, {
      field: 'payload_length',
    });
  }
  const payload = r.take(Number(length), 'payload').slice();
  const nextHmac = r.take(HMAC_LEN, 'hmac');
  if (equalBytes(nextHmac, ZERO_HMAC)) return { payload, sharedSecret: ss };
  // "public_key set to the incoming public_key multiplied by blinding_tweak", "hop_payloads set to the
  // unwrapped_payloads, truncated to the incoming hop_payloads size", "hmac set to next_hmac".
  const nextKey = E.multiply(scalarFromBytes(blindingFactor(p.publicKey, ss), 'blinding_tweak')).toBytes(
    true,
  );
  const start = r.offset;
  const nextPacket = concatBytes(Uint8Array.of(0), nextKey, unwrapped.subarray(start, start + L), nextHmac);
  return { payload, sharedSecret: ss, nextPacket };
}
