/**
 * Route blinding (BOLT 4 "Route Blinding"): a recipient hides its node id and the nodes before it behind
 * a `blinded_path`; each hop recovers its blinded private key and decrypts its `encrypted_recipient_data`
 * from the `path_key` it is handed.
 *
 * Writer (per hop `i`, `e_0` random):
 * - `E_i = e_i·G`, `ss_i = SHA256(e_i·N_i)`, `rho_i = HMAC256("rho", ss_i)`
 * - `B_i = HMAC256("blinded_node_id", ss_i)·N_i`
 * - `e_{i+1} = SHA256(E_i || ss_i)·e_i` — unless hop `i`'s data carries `next_path_key_override`
 * - `encrypted_recipient_data_i = ChaCha20-Poly1305(rho_i, zero nonce, encrypted_data_tlv_i)`
 *
 * Reader: `ss_i = SHA256(k_i·E_i)`, `b_i = HMAC256("blinded_node_id", ss_i)·k_i`, decrypt with `rho_i`,
 * next `path_key` = `next_path_key_override` or `SHA256(E_i || ss_i)·E_i`.
 *
 * @example
 * ```ts
 * const { path } = createBlindedPath({ sessionKey, hops: [{ nodeId: bob, data }, { nodeId: dave, data: final }] });
 * const hop = unblindHop(bobPrivkey, path.pathKey, path.hops[0].encryptedData);
 * ```
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import type { BlindedHop, BlindedPath } from '../blinded-path.js';
import { abytes } from '../bytes.js';
import { SignatureError } from '../errors.js';
import { type DecodedTlvs, encodeTlvRecords, readTlvRecords, type TlvRecord } from '../tlv.js';
import { decodeEncryptedData, type EncryptedData, type encryptedDataTable } from './encrypted-data.js';
import {
  blindingFactor,
  generateKey,
  multiplyPrivateKey,
  multiplyPublicKey,
  parsePoint,
  privateKeyScalar,
  publicKeyOf,
  scalarToBytes,
  sharedSecret,
} from './sphinx.js';

const ZERO_NONCE = new Uint8Array(12);

/** One hop of a blinded path to create: the real node id and its plaintext `encrypted_data_tlv`. */
export interface BlindedPathHopInput {
  nodeId: Uint8Array;
  /** The encoded `encrypted_data_tlv` (see `encrypted-data.ts`). */
  data: Uint8Array;
}

/** Everything the writer derived for one hop (the intermediate values of the BOLT 4 vectors). */
export interface BlindedHopSecrets {
  nodeId: Uint8Array;
  /** `e_i` (the ephemeral private path key). */
  pathPrivkey: Uint8Array;
  /** `E_i` (`path_key`). */
  pathKey: Uint8Array;
  /** `ss_i`. */
  sharedSecret: Uint8Array;
  /** `rho_i`. */
  rho: Uint8Array;
  /** `B_i`. */
  blindedNodeId: Uint8Array;
  /** The ciphertext of `data`. */
  encryptedData: Uint8Array;
}

/** A created path and the writer's per-hop values. */
export interface CreatedBlindedPath {
  path: BlindedPath;
  hops: BlindedHopSecrets[];
}

/**
 * ChaCha20-Poly1305 with the `rho` key and an all-zero nonce, no associated data: "MUST encrypt each
 * encrypted_data_tlv[i] with ChaCha20-Poly1305 using the corresponding rho_i key and an all-zero nonce".
 */
export function encryptRecipientData(rho: Uint8Array, plaintext: Uint8Array): Uint8Array {
  abytes(rho, 32, 'rho');
  abytes(plaintext, undefined, 'plaintext');
  return chacha20poly1305(rho, ZERO_NONCE).encrypt(plaintext);
}

/** The inverse of {@link encryptRecipientData}; a bad tag fails with `SignatureError('BAD_ENCRYPTION')`. */
export function decryptRecipientData(rho: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  abytes(rho, 32, 'rho');
  abytes(ciphertext, undefined, 'encrypted_recipient_data');
  try {
    return chacha20poly1305(rho, ZERO_NONCE).decrypt(ciphertext);
  } catch (cause) {
    throw new SignatureError('BAD_ENCRYPTION', 'encrypted_recipient_data does not decrypt', {
      field: 'encrypted_recipient_data',
      cause,
    });
  }
}

/** `B_i = HMAC256("blinded_node_id", ss_i)·N_i`. */
export function blindNodeId(nodeId: Uint8Array, secret: Uint8Array): Uint8Array {
  return multiplyPublicKey(parsePoint(nodeId, 'nodeId'), generateKey('blinded_node_id', secret));
}

/** The next `path_key` without override: `E_{i+1} = SHA256(E_i || ss_i)·E_i`. */
export function nextPathKey(pathKey: Uint8Array, secret: Uint8Array): Uint8Array {
  return multiplyPublicKey(parsePoint(pathKey, 'pathKey'), blindingFactor(pathKey, secret));
}

/**
 * Create a blinded path to the last of `hops` (BOLT 4 "The writer of a blinded_path"). A hop whose
 * `data` carries `next_path_key_override` restarts the chain from that key — but then the following hops
 * belong to a path made by someone else: build that one separately and join with {@link concatBlindedPaths}.
 */
export function createBlindedPath(args: {
  sessionKey: Uint8Array;
  hops: readonly BlindedPathHopInput[];
}): CreatedBlindedPath {
  const { hops } = args;
  if (!Array.isArray(hops)) throw new TypeError('hops must be an array');
  if (hops.length === 0) throw new RangeError('hops must not be empty');
  let e = privateKeyScalar(args.sessionKey, 'sessionKey');
  const out: BlindedHopSecrets[] = [];
  hops.forEach((h, i) => {
    abytes(h.nodeId, 33, `hops[${i}].nodeId`);
    abytes(h.data, undefined, `hops[${i}].data`);
    const E = publicKeyOf(e);
    const ss = sharedSecret(e, parsePoint(h.nodeId, `hops[${i}].nodeId`));
    const rho = generateKey('rho', ss);
    out.push({
      nodeId: h.nodeId,
      pathPrivkey: scalarToBytes(e),
      pathKey: E,
      sharedSecret: ss,
      rho,
      blindedNodeId: blindNodeId(h.nodeId, ss),
      encryptedData: encryptRecipientData(rho, h.data),
    });
    e = multiplyPrivateKey(e, blindingFactor(E, ss));
  });
  const path: BlindedPath = {
    introductionNode: { nodeId: hops[0]!.nodeId },
    pathKey: out[0]!.pathKey,
    hops: out.map((h): BlindedHop => ({ blindedNodeId: h.blindedNodeId, encryptedData: h.encryptedData })),
  };
  return { path, hops: out };
}

/**
 * Join two blinded paths: `first`'s last hop must forward to `second`'s introduction node and carry
 * `next_path_key_override = second.pathKey` in its `encrypted_data_tlv` (as in route-blinding-test.json,
 * where Bob→Carol is joined to Dave→Eve). Only the creator of `first` can check that; this only concatenates.
 */
export function concatBlindedPaths(first: BlindedPath, second: BlindedPath): BlindedPath {
  return {
    introductionNode: first.introductionNode,
    pathKey: first.pathKey,
    hops: [...first.hops, ...second.hops],
  };
}

/**
 * Insert `count` dummy hops before the recipient's final hop (BOLT 4: the writer "MAY add additional dummy
 * hops at the end of the path (which it will ignore on receipt)"). Each dummy hop is the recipient itself
 * with `dummyData` (for onion messages: `next_node_id` = the recipient; the recipient then peels its own
 * layers, see `receiveOnionMessage`).
 */
export function withDummyHops(
  hops: readonly BlindedPathHopInput[],
  count: number,
  dummyData: Uint8Array,
): BlindedPathHopInput[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be an integer ≥ 0');
  const last = hops[hops.length - 1];
  if (!last) throw new RangeError('hops must not be empty');
  const dummies = Array.from({ length: count }, () => ({ nodeId: last.nodeId, data: dummyData }));
  return [...hops.slice(0, -1), ...dummies, last];
}

/**
 * Pad `encrypted_data_tlv` streams to one length with `padding` (type 1) records: the writer "SHOULD add
 * padding data to ensure all encrypted_data_tlv[i] have the same length". A stream that already has a
 * padding record gets it lengthened.
 */
export function padEncryptedData(streams: readonly Uint8Array[]): Uint8Array[] {
  const parsed = streams.map((s, i) =>
    readTlvRecords(abytes(s, undefined, `streams[${i}]`), 'encrypted_data_tlv'),
  );
  let target = Math.max(0, ...streams.map((s) => s.length));
  for (;;) {
    const out = parsed.map((recs) => padTo(recs, target));
    if (out.every((o) => o !== undefined)) return out as Uint8Array[];
    target++;
  }
}

function padTo(records: readonly TlvRecord[], target: number): Uint8Array | undefined {
  const base = encodeTlvRecords(records.filter((r) => r.type !== 1n));
  if (base.length === target && !records.some((r) => r.type === 1n)) return base;
  // A padding record of n bytes takes 1 (type) + BigSize(n) + n.
  for (let n = Math.max(0, target - base.length - 3); n <= target - base.length - 2; n++) {
    const pad: TlvRecord = { type: 1n, value: new Uint8Array(n) };
    const enc = encodeTlvRecords([pad, ...records.filter((r) => r.type !== 1n)]);
    if (enc.length === target) return enc;
  }
  return undefined;
}

/** What a hop learns from its `path_key` and `encrypted_recipient_data`. */
export interface UnblindedHop {
  /** `ss_i = SHA256(k_i·E_i)`. */
  sharedSecret: Uint8Array;
  /** `b_i = HMAC256("blinded_node_id", ss_i)·k_i`: the key to peel an onion encrypted to `B_i`. */
  blindedPrivkey: Uint8Array;
  /** The decrypted `encrypted_data_tlv`. */
  plaintext: Uint8Array;
  data: DecodedTlvs<typeof encryptedDataTable>;
  /** `next_path_key_override` if present, else `SHA256(E_i || ss_i)·E_i`. */
  nextPathKey: Uint8Array;
}

/** The hop's blinded private key and the blinding shared secret, from its node key and the path key. */
export function blindedPrivateKey(
  nodePrivkey: Uint8Array,
  pathKey: Uint8Array,
): { blindedPrivkey: bigint; sharedSecret: Uint8Array } {
  const k = privateKeyScalar(nodePrivkey, 'nodePrivkey');
  abytes(pathKey, 33, 'pathKey');
  const ss = sharedSecret(k, parsePoint(pathKey, 'pathKey'));
  return { blindedPrivkey: multiplyPrivateKey(k, generateKey('blinded_node_id', ss)), sharedSecret: ss };
}

/** Decrypt and decode `encrypted_recipient_data` with the blinding shared secret `ss_i`. */
export function openRecipientData(
  secret: Uint8Array,
  encryptedData: Uint8Array,
): { plaintext: Uint8Array; data: DecodedTlvs<typeof encryptedDataTable> } {
  const plaintext = decryptRecipientData(generateKey('rho', secret), encryptedData);
  return { plaintext, data: decodeEncryptedData(plaintext) };
}

/** {@link openRecipientData} plus the next path key (the override, or the chained key). */
export function readEncryptedRecipientData(
  secret: Uint8Array,
  pathKey: Uint8Array,
  encryptedData: Uint8Array,
): { plaintext: Uint8Array; data: DecodedTlvs<typeof encryptedDataTable>; nextPathKey: Uint8Array } {
  const { plaintext, data } = openRecipientData(secret, encryptedData);
  const override: EncryptedData['next_path_key_override'] = data.values.next_path_key_override;
  return { plaintext, data, nextPathKey: override ?? nextPathKey(pathKey, secret) };
}

/**
 * BOLT 4 "The reader of the encrypted_recipient_data": derive `ss_i`, `b_i`, `rho_i`, decrypt (bad tag →
 * `BAD_ENCRYPTION`), decode (unknown even → `TLV_UNKNOWN_EVEN_TYPE`) and compute the next `path_key`.
 */
export function unblindHop(
  nodePrivkey: Uint8Array,
  pathKey: Uint8Array,
  encryptedData: Uint8Array,
): UnblindedHop {
  const { blindedPrivkey, sharedSecret: ss } = blindedPrivateKey(nodePrivkey, pathKey);
  const read = readEncryptedRecipientData(ss, pathKey, encryptedData);
  return { sharedSecret: ss, blindedPrivkey: scalarToBytes(blindedPrivkey), ...read };
}

/** Aggregated relay parameters of a blinded path (BOLT 12 `blinded_payinfo`). */
export interface BlindedPayInfo {
  fee_base_msat: bigint;
  fee_proportional_millionths: bigint;
  cltv_expiry_delta: number;
}

/**
 * BOLT 4: "MUST compute the total fees and cltv delta of the route as follows", from the recipient
 * backwards over the non-final hops' `payment_relay`:
 * `total_fee_base(n+1) = ceil((fee_base(n+1)·10^6 + total_fee_base(n)·(10^6 + fee_prop(n+1))) / 10^6)`,
 * `total_fee_prop(n+1) = ceil(((total_fee_prop(n) + fee_prop(n+1))·10^6 + total_fee_prop(n)·fee_prop(n+1)) / 10^6)`.
 */
export function aggregatePayInfo(
  relays: readonly {
    cltv_expiry_delta: number;
    fee_proportional_millionths: number;
    fee_base_msat: bigint;
  }[],
): BlindedPayInfo {
  const M = 1_000_000n;
  let base = 0n;
  let prop = 0n;
  let cltv = 0;
  for (let i = relays.length - 1; i >= 0; i--) {
    const r = relays[i]!;
    const p = BigInt(r.fee_proportional_millionths);
    base = (r.fee_base_msat * M + base * (M + p) + M - 1n) / M;
    prop = ((prop + p) * M + prop * p + M - 1n) / M;
    cltv += r.cltv_expiry_delta;
  }
  return { fee_base_msat: base, fee_proportional_millionths: prop, cltv_expiry_delta: cltv };
}
