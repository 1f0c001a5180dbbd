/**
 * BIP-341 taproot outputs with at most two tapscript leaves: leaf and branch hashes, the output key
 * tweak, the P2TR scriptPubKey and the control blocks of script-path spends.
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
import { bytesToNumberBE } from '@noble/curves/utils.js';
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

/** A P2TR output and what it takes to spend it. */
export interface TaprootOutput {
  /** The internal key P, x-only. */
  readonly internalKey: Uint8Array;
  /** The tapscript leaves, in the order given. */
  readonly leaves: readonly Uint8Array[];
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

/**
 * The taproot output of an internal key and zero, one or two tapscript leaves (BIP-341 "Constructing
 * and spending Taproot outputs").
 */
export function taprootOutput(internalKey: Uint8Array, leaves: readonly Uint8Array[] = []): TaprootOutput {
  if (leaves.length > 2) throw new RangeError('at most two leaves are supported');
  const px = xOnly(internalKey);
  let P: InstanceType<typeof Point>;
  try {
    P = schnorr.utils.lift_x(bytesToNumberBE(px));
  } catch (cause) {
    throw new LnError('INVALID_KEY', 'internal key is not on the curve', { field: 'internalKey', cause });
  }
  const leafHashes = leaves.map((s) => tapleafHash(s));
  const merkleRoot =
    leafHashes.length === 0
      ? undefined
      : leafHashes.length === 1
        ? leafHashes[0]!
        : tapBranchHash(leafHashes[0]!, leafHashes[1]!);
  const tweak =
    merkleRoot === undefined
      ? schnorr.utils.taggedHash('TapTweak', px)
      : schnorr.utils.taggedHash('TapTweak', px, merkleRoot);
  const Q = P.add(Point.BASE.multiply(bytesToNumberBE(tweak)));
  const outputKey = Q.toBytes(true);
  const parity = outputKey[0] === 0x03 ? 1 : 0;
  return {
    internalKey: px,
    leaves,
    leafHashes,
    ...(merkleRoot === undefined ? {} : { merkleRoot }),
    tweak,
    outputKey,
    scriptPubKey: concatBytes(Uint8Array.of(0x51, 0x20), outputKey.subarray(1)),
    controlBlock(i: number): Uint8Array {
      if (!Number.isInteger(i) || i < 0 || i >= leaves.length) throw new RangeError(`no leaf ${i}`);
      const path = leafHashes.length === 2 ? [leafHashes[1 - i]!] : [];
      return concatBytes(Uint8Array.of(TAPSCRIPT_LEAF_VERSION | parity), px, ...path);
    },
  };
}
