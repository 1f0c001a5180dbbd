/**
 * BIP-341 taproot outputs: leaf and branch hashes, script trees, the output key tweak, the P2TR
 * scriptPubKey, the control blocks of script-path spends and the tweaked secret key of key-path spends.
 *
 * Keys enter as 33-byte compressed points (their x coordinate is what BIP-341 commits to) or as 32-byte
 * x-only keys.
 *
 * @example
 * ```ts
 * const out = taprootOutput(internalKey, [settleLeaf, revocationLeaf]);
 * out.scriptPubKey;          // OP_1 <x(Q)>
 * out.controlBlock(0);       // to spend with settleLeaf
 * ```
 * @module
 */
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { compareBytes } from '../bolt3/scripts.js';
import { LnError } from '../errors.js';

const Point = secp256k1.Point;

/** BIP-342 tapscript leaf version. */
export const TAPSCRIPT_LEAF_VERSION = 0xc0;

function compactSize(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >> 8);
  throw new RangeError('script too long');
}

/** BIP-341: `hash_TapLeaf(leaf_version ‖ compact_size(len(script)) ‖ script)`. */
export function tapleafHash(script: Uint8Array, leafVersion = TAPSCRIPT_LEAF_VERSION): Uint8Array {
  return schnorr.utils.taggedHash('TapLeaf', Uint8Array.of(leafVersion), compactSize(script.length), script);
}

/** BIP-341: `hash_TapBranch(min(a, b) ‖ max(a, b))`. */
export function tapBranchHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  return compareBytes(a, b) <= 0
    ? schnorr.utils.taggedHash('TapBranch', a, b)
    : schnorr.utils.taggedHash('TapBranch', b, a);
}

/** The x-only form (32 bytes) of a 33-byte compressed or 32-byte x-only key. */
export function xOnly(key: Uint8Array): Uint8Array {
  if (key.length === 32) return key;
  if (key.length === 33) return key.subarray(1);
  throw new RangeError('key must be 32 (x-only) or 33 (compressed) bytes');
}

/** A script tree: a leaf (`leafVersion` defaults to 0xc0) or a branch of two subtrees. */
export type TapTree =
  | { readonly script: Uint8Array; readonly leafVersion?: number }
  | readonly [TapTree, TapTree];

/** A P2TR output and what it takes to spend it. */
export interface TaprootOutput {
  /** The internal key P, x-only. */
  readonly internalKey: Uint8Array;
  /** The tapscript leaves in depth-first, left-to-right order. */
  readonly leaves: readonly Uint8Array[];
  /** Their leaf versions, same order. */
  readonly leafVersions: readonly number[];
  /** The leaf hashes, same order. */
  readonly leafHashes: readonly Uint8Array[];
  /** The script tree's merkle root (undefined for a key-path-only output). */
  readonly merkleRoot?: Uint8Array;
  /** The tweak `t = hash_TapTweak(x(P) ‖ merkle_root)`. */
  readonly tweak: Uint8Array;
  /** The output key Q = lift_x(P) + t·G, compressed (its parity byte goes into control blocks). */
  readonly outputKey: Uint8Array;
  /** `OP_1 <x(Q)>`. */
  readonly scriptPubKey: Uint8Array;
  /** The control block for a script-path spend of `leaves[i]`. */
  controlBlock(i: number): Uint8Array;
}

interface Walked {
  hash: Uint8Array;
  leaves: { script: Uint8Array; version: number; hash: Uint8Array; path: Uint8Array[] }[];
}

function walk(tree: TapTree): Walked {
  if (!Array.isArray(tree)) {
    const leaf = tree as { script: Uint8Array; leafVersion?: number };
    const version = leaf.leafVersion ?? TAPSCRIPT_LEAF_VERSION;
    if ((version & 1) !== 0) throw new RangeError('leaf version must be even');
    const hash = tapleafHash(leaf.script, version);
    return { hash, leaves: [{ script: leaf.script, version, hash, path: [] }] };
  }
  const [l, r] = (tree as readonly [TapTree, TapTree]).map(walk) as [Walked, Walked];
  // each side's leaves prove themselves with the other side's hash appended to their path
  for (const x of l.leaves) x.path.push(r.hash);
  for (const x of r.leaves) x.path.push(l.hash);
  return { hash: tapBranchHash(l.hash, r.hash), leaves: [...l.leaves, ...r.leaves] };
}

/** The taproot output of an internal key and an optional script tree (BIP-341 `taproot_output_script`). */
export function taprootTreeOutput(internalKey: Uint8Array, tree?: TapTree): TaprootOutput {
  const px = xOnly(internalKey);
  let P: InstanceType<typeof Point>;
  try {
    P = schnorr.utils.lift_x(bytesToNumberBE(px));
  } catch (cause) {
    throw new LnError('INVALID_KEY', 'internal key is not on the curve', { field: 'internalKey', cause });
  }
  const walked = tree === undefined ? undefined : walk(tree);
  const merkleRoot = walked?.hash;
  const tweak =
    merkleRoot === undefined
      ? schnorr.utils.taggedHash('TapTweak', px)
      : schnorr.utils.taggedHash('TapTweak', px, merkleRoot);
  const Q = P.add(Point.BASE.multiply(bytesToNumberBE(tweak)));
  const outputKey = Q.toBytes(true);
  const parity = outputKey[0] === 0x03 ? 1 : 0;
  const leaves = walked?.leaves ?? [];
  return {
    internalKey: px,
    leaves: leaves.map((x) => x.script),
    leafVersions: leaves.map((x) => x.version),
    leafHashes: leaves.map((x) => x.hash),
    ...(merkleRoot === undefined ? {} : { merkleRoot }),
    tweak,
    outputKey,
    scriptPubKey: concatBytes(Uint8Array.of(0x51, 0x20), outputKey.subarray(1)),
    controlBlock(i: number): Uint8Array {
      const leaf = leaves[i];
      if (leaf === undefined) throw new RangeError(`no leaf ${i}`);
      return concatBytes(Uint8Array.of(leaf.version | parity), px, ...leaf.path);
    },
  };
}

/**
 * The taproot output of an internal key and zero, one or two tapscript leaves (BIP-341 "Constructing
 * and spending Taproot outputs"); two leaves form one branch.
 */
export function taprootOutput(internalKey: Uint8Array, leaves: readonly Uint8Array[] = []): TaprootOutput {
  if (leaves.length > 2) throw new RangeError('at most two leaves: use taprootTreeOutput for larger trees');
  const tree: TapTree | undefined =
    leaves.length === 0
      ? undefined
      : leaves.length === 1
        ? { script: leaves[0]! }
        : [{ script: leaves[0]! }, { script: leaves[1]! }];
  return taprootTreeOutput(internalKey, tree);
}

/**
 * BIP-341 `taproot_tweak_seckey`: the secret key of the output key, for a single-signer key-path spend.
 */
export function tweakSecretKey(secretKey: Uint8Array, merkleRoot?: Uint8Array): Uint8Array {
  const Fn = Point.Fn;
  const d0 = bytesToNumberBE(secretKey);
  if (!Fn.isValidNot0(d0))
    throw new LnError('INVALID_KEY', 'secret key out of range', { field: 'secretKey' });
  const P = Point.BASE.multiply(d0);
  const d = P.toBytes(true)[0] === 0x02 ? d0 : Fn.neg(d0);
  const px = P.toBytes(true).subarray(1);
  const t =
    merkleRoot === undefined
      ? schnorr.utils.taggedHash('TapTweak', px)
      : schnorr.utils.taggedHash('TapTweak', px, merkleRoot);
  return numberToBytesBE(Fn.add(d, Fn.create(bytesToNumberBE(t))), 32);
}
