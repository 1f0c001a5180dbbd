/**
 * BOLT 12 "Signature Calculation": the Merkle root over a TLV stream and BIP-340 signatures over it.
 *
 * - H(`tag`,`msg`) = SHA256(SHA256(`tag`) || SHA256(`tag`) || `msg`) (the BIP-340 tagged hash).
 * - Leaves, "in TLV-ascending order for each tlv": H("LnLeaf", tlv) and
 *   H("LnNonce"||first-tlv, tlv-type), paired under H("LnBranch", lesser || greater).
 * - "If there is not exactly a power of 2 leaves, then the tree depth will be uneven, with the deepest
 *   tree on the lowest-order leaves."
 * - Signature TLV elements (types 240 to 1000 inclusive) are not leaves.
 * - The tag is "lightning" || messagename || fieldname, e.g. `lightninginvoicesignature`.
 */
import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeBigSize } from '../bigsize.js';
import { abytes, concatBytes } from '../bytes.js';
import type { TlvRecord } from '../tlv.js';
import { isSignatureType } from './ranges.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

type Sha256 = ReturnType<typeof sha256.create>;

/**
 * A SHA-256 state that has absorbed SHA256(tag) || SHA256(tag) (exactly one block), cloned for each
 * message: the prefix block is compressed once per tag, not once per hash.
 */
function tagPrefix(tag: Uint8Array): Sha256 {
  const t = sha256(tag);
  return sha256.create().update(concatBytes(t, t));
}

const LEAF = tagPrefix(utf8('LnLeaf'));
const BRANCH = tagPrefix(utf8('LnBranch'));

/**
 * BIP-340 tagged hash H(`tag`,`msg`).
 *
 * @example
 * ```ts
 * taggedHash('LnLeaf', fromHex('010203e8')); // 67a2a995…
 * ```
 */
export function taggedHash(tag: string | Uint8Array, msg: Uint8Array): Uint8Array {
  const t = typeof tag === 'string' ? utf8(tag) : abytes(tag, undefined, 'tag');
  return tagPrefix(t)
    .update(abytes(msg, undefined, 'msg'))
    .digest();
}

function hashWith(prefix: Sha256, ...parts: Uint8Array[]): Uint8Array {
  const h = prefix.clone();
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The encoding of one record as the Merkle tree sees it: type ‖ length ‖ value. */
export function recordBytes(rec: TlvRecord): Uint8Array {
  return concatBytes(encodeBigSize(rec.type), encodeBigSize(rec.value.length), rec.value);
}

/** H("LnBranch", lesser || greater). */
export function branchHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  return compare(a, b) <= 0 ? hashWith(BRANCH, a, b) : hashWith(BRANCH, b, a);
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** One record's leaf pair, as the signature vectors list it. */
export interface MerkleLeaf {
  /** H("LnLeaf", tlv). */
  leaf: Uint8Array;
  /** H("LnNonce"||first-tlv, tlv-type). */
  nonce: Uint8Array;
  /** H("LnBranch", leaf+nonce). */
  branch: Uint8Array;
}

/** Every intermediate value of a Merkle tree (for vectors and the CLI). */
export interface MerkleTree {
  leaves: MerkleLeaf[];
  /** Inner branches above the leaf pairs, in the order they are computed. */
  branches: { left: Uint8Array; right: Uint8Array; hash: Uint8Array }[];
  root: Uint8Array;
}

/**
 * The Merkle tree of the non-signature records of a stream, with every intermediate hash.
 * Records must be in stream (ascending) order; at least one non-signature record is required.
 */
export function merkleTree(records: readonly TlvRecord[]): MerkleTree {
  const recs = records.filter((r) => !isSignatureType(r.type));
  if (recs.length === 0) throw new RangeError('records: a Merkle tree needs at least one non-signature TLV');
  const nonceTag = tagPrefix(concatBytes(utf8('LnNonce'), recordBytes(recs[0]!)));
  const leaves = recs.map((rec) => {
    const leaf = hashWith(LEAF, recordBytes(rec));
    const nonce = hashWith(nonceTag, encodeBigSize(rec.type));
    return { leaf, nonce, branch: branchHash(leaf, nonce) };
  });
  const level = leaves.map((l) => l.branch);
  const branches: MerkleTree['branches'] = [];
  // Pair neighbours at distance 1, 2, 4, …: the lowest-order leaves end up deepest.
  for (let step = 1; step < level.length; step *= 2) {
    for (let i = 0; i + step < level.length; i += 2 * step) {
      const left = level[i]!;
      const right = level[i + step]!;
      const hash = branchHash(left, right);
      branches.push({ left, right, hash });
      level[i] = hash;
    }
  }
  return { leaves, branches, root: level[0]! };
}

/**
 * The Merkle root of a stream's non-signature records.
 *
 * @example
 * ```ts
 * merkleRoot(readTlvRecords(fromHex('010203e8'))); // b013756c…
 * ```
 */
export function merkleRoot(records: readonly TlvRecord[]): Uint8Array {
  return merkleTree(records).root;
}

/**
 * The signature tag "lightning" || `messageName` || `fieldName`.
 *
 * @example
 * ```ts
 * signatureTag('static_invoice'); // bytes of 'lightningstatic_invoicesignature'
 * ```
 */
export function signatureTag(messageName: string, fieldName = 'signature'): Uint8Array {
  return utf8(`lightning${messageName}${fieldName}`);
}

/** H(signature_tag, merkle_root): the 32 bytes BIP-340 signs. */
export function signatureDigest(tag: Uint8Array, root: Uint8Array): Uint8Array {
  return taggedHash(tag, abytes(root, 32, 'merkleRoot'));
}

/**
 * SIG(`tag`, `root`, `key`): a BIP-340 signature of H(tag, root).
 *
 * @param auxRand 32 bytes of BIP-340 auxiliary randomness (fixed in vectors, random otherwise).
 */
export function signMerkleRoot(
  tag: Uint8Array,
  root: Uint8Array,
  secretKey: Uint8Array,
  auxRand?: Uint8Array,
): Uint8Array {
  abytes(secretKey, 32, 'secretKey');
  if (auxRand !== undefined) abytes(auxRand, 32, 'auxRand');
  return schnorr.sign(signatureDigest(tag, root), secretKey, auxRand);
}

/**
 * Check a BIP-340 signature of H(tag, root) by a 33-byte compressed key (its x coordinate is the
 * BIP-340 key). Never throws for a malformed signature: it returns false.
 */
export function verifyMerkleSignature(
  tag: Uint8Array,
  root: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  abytes(publicKey, 33, 'publicKey');
  abytes(signature, 64, 'signature');
  try {
    return schnorr.verify(signature, signatureDigest(tag, root), publicKey.subarray(1));
  } catch {
    return false;
  }
}
