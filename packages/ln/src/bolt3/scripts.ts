/**
 * BOLT 3 witness scripts and the output scripts (scriptPubKeys) that commit to them.
 *
 * Every witness script here is compiled with bitcoinjs-lib, which pushes minimally (a 1-byte value 1–16
 * becomes `OP_1`…`OP_16`), as the BOLT 3 test vectors expect.
 *
 * @example
 * ```ts
 * const wscript = toLocalScript(revocationPubkey, 144, localDelayedPubkey);
 * const spk = p2wsh(wscript); // 0x0020 ‖ SHA256(wscript)
 * ```
 * @module
 */
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { opcodes as OPS, script } from 'bitcoinjs-lib';
import { abytes, parsePoint } from './keys.js';

/** RIPEMD160(SHA256(x)), Bitcoin's HASH160. */
export function hash160(data: Uint8Array): Uint8Array {
  return ripemd160(sha256(data));
}

/** Compare two byte strings as BOLT 3 orders scripts: memcmp on the common prefix, then the shorter first. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** A version-0 P2WSH output script: `OP_0 <SHA256(witnessScript)>`. */
export function p2wsh(witnessScript: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(0x00, 0x20), sha256(witnessScript));
}

/** A version-0 P2WPKH output script: `OP_0 <HASH160(pubkey)>`. */
export function p2wpkh(pubkey: Uint8Array): Uint8Array {
  parsePoint(pubkey, 'pubkey');
  return concatBytes(Uint8Array.of(0x00, 0x14), hash160(pubkey));
}

/** A P2PKH output script: `OP_DUP OP_HASH160 <HASH160(pubkey)> OP_EQUALVERIFY OP_CHECKSIG`. */
export function p2pkh(pubkey: Uint8Array): Uint8Array {
  return script.compile([OPS.OP_DUP, OPS.OP_HASH160, hash160(pubkey), OPS.OP_EQUALVERIFY, OPS.OP_CHECKSIG]);
}

function num(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`script number must be a non-negative integer`);
  return script.number.encode(n);
}

/**
 * The funding output's witness script. BOLT 3: "`2 <pubkey1> <pubkey2> 2 OP_CHECKMULTISIG` where
 * `pubkey1` is the lexicographically lesser of the two `funding_pubkey` in compressed format".
 */
export function fundingScript(fundingPubkeyA: Uint8Array, fundingPubkeyB: Uint8Array): Uint8Array {
  parsePoint(fundingPubkeyA, 'fundingPubkeyA');
  parsePoint(fundingPubkeyB, 'fundingPubkeyB');
  const [k1, k2] = sortedPubkeys(fundingPubkeyA, fundingPubkeyB);
  return script.compile([OPS.OP_2, k1, k2, OPS.OP_2, OPS.OP_CHECKMULTISIG]);
}

/** The two funding keys in BOLT 3 order (lexicographically lesser first). */
export function sortedPubkeys(a: Uint8Array, b: Uint8Array): [Uint8Array, Uint8Array] {
  return compareBytes(a, b) <= 0 ? [a, b] : [b, a];
}

/**
 * `to_local` (and the HTLC-success/timeout output). BOLT 3:
 * "OP_IF <revocationpubkey> OP_ELSE `to_self_delay` OP_CHECKSEQUENCEVERIFY OP_DROP <local_delayedpubkey>
 * OP_ENDIF OP_CHECKSIG".
 */
export function toLocalScript(
  revocationPubkey: Uint8Array,
  toSelfDelay: number,
  localDelayedPubkey: Uint8Array,
): Uint8Array {
  abytes(revocationPubkey, 33, 'revocationPubkey');
  abytes(localDelayedPubkey, 33, 'localDelayedPubkey');
  return script.compile([
    OPS.OP_IF,
    revocationPubkey,
    OPS.OP_ELSE,
    num(toSelfDelay),
    OPS.OP_CHECKSEQUENCEVERIFY,
    OPS.OP_DROP,
    localDelayedPubkey,
    OPS.OP_ENDIF,
    OPS.OP_CHECKSIG,
  ]);
}

/** `to_remote` with `option_anchors`. BOLT 3: "<remotepubkey> OP_CHECKSIGVERIFY 1 OP_CHECKSEQUENCEVERIFY". */
export function toRemoteAnchorsScript(remotePubkey: Uint8Array): Uint8Array {
  abytes(remotePubkey, 33, 'remotePubkey');
  return script.compile([remotePubkey, OPS.OP_CHECKSIGVERIFY, OPS.OP_1, OPS.OP_CHECKSEQUENCEVERIFY]);
}

/**
 * `to_local_anchor` / `to_remote_anchor`. BOLT 3: "<local_funding_pubkey/remote_funding_pubkey>
 * OP_CHECKSIG OP_IFDUP OP_NOTIF OP_16 OP_CHECKSEQUENCEVERIFY OP_ENDIF".
 */
export function anchorScript(fundingPubkey: Uint8Array): Uint8Array {
  abytes(fundingPubkey, 33, 'fundingPubkey');
  return script.compile([
    fundingPubkey,
    OPS.OP_CHECKSIG,
    OPS.OP_IFDUP,
    OPS.OP_NOTIF,
    OPS.OP_16,
    OPS.OP_CHECKSEQUENCEVERIFY,
    OPS.OP_ENDIF,
  ]);
}

/** Keys that every HTLC output script of one commitment uses. */
export interface HtlcScriptKeys {
  /** The commitment's `revocationpubkey`. */
  readonly revocationPubkey: Uint8Array;
  /** `local_htlcpubkey` (of the commitment's owner). */
  readonly localHtlcPubkey: Uint8Array;
  /** `remote_htlcpubkey`. */
  readonly remoteHtlcPubkey: Uint8Array;
}

function revocationPrefix(revocationPubkey: Uint8Array): (number | Uint8Array)[] {
  abytes(revocationPubkey, 33, 'revocationPubkey');
  // "OP_DUP OP_HASH160 <RIPEMD160(SHA256(revocationpubkey))> OP_EQUAL OP_IF OP_CHECKSIG OP_ELSE"
  return [
    OPS.OP_DUP,
    OPS.OP_HASH160,
    hash160(revocationPubkey),
    OPS.OP_EQUAL,
    OPS.OP_IF,
    OPS.OP_CHECKSIG,
    OPS.OP_ELSE,
  ];
}

/** With `option_anchors`: "1 OP_CHECKSEQUENCEVERIFY OP_DROP" before the final OP_ENDIF. */
function anchorsSuffix(anchors: boolean): number[] {
  return anchors ? [OPS.OP_1, OPS.OP_CHECKSEQUENCEVERIFY, OPS.OP_DROP] : [];
}

/**
 * Offered HTLC output witness script (BOLT 3 "Offered HTLC Outputs"): the remote node claims with the
 * preimage or the revocation key; the local node only through the HTLC-timeout transaction (2-of-2).
 */
export function offeredHtlcScript(
  keys: HtlcScriptKeys,
  paymentHash: Uint8Array,
  anchors = false,
): Uint8Array {
  abytes(paymentHash, 32, 'paymentHash');
  abytes(keys.localHtlcPubkey, 33, 'localHtlcPubkey');
  abytes(keys.remoteHtlcPubkey, 33, 'remoteHtlcPubkey');
  return script.compile([
    ...revocationPrefix(keys.revocationPubkey),
    keys.remoteHtlcPubkey,
    OPS.OP_SWAP,
    OPS.OP_SIZE,
    num(32),
    OPS.OP_EQUAL,
    OPS.OP_NOTIF,
    // "To local node via HTLC-timeout transaction (timelocked)."
    OPS.OP_DROP,
    OPS.OP_2,
    OPS.OP_SWAP,
    keys.localHtlcPubkey,
    OPS.OP_2,
    OPS.OP_CHECKMULTISIG,
    OPS.OP_ELSE,
    // "To remote node with preimage."
    OPS.OP_HASH160,
    ripemd160(paymentHash),
    OPS.OP_EQUALVERIFY,
    OPS.OP_CHECKSIG,
    OPS.OP_ENDIF,
    ...anchorsSuffix(anchors),
    OPS.OP_ENDIF,
  ]);
}

/**
 * Received HTLC output witness script (BOLT 3 "Received HTLC Outputs"): the local node claims through
 * the HTLC-success transaction (preimage + 2-of-2); the remote node after `cltv_expiry` or with the
 * revocation key.
 */
export function receivedHtlcScript(
  keys: HtlcScriptKeys,
  paymentHash: Uint8Array,
  cltvExpiry: number,
  anchors = false,
): Uint8Array {
  abytes(paymentHash, 32, 'paymentHash');
  abytes(keys.localHtlcPubkey, 33, 'localHtlcPubkey');
  abytes(keys.remoteHtlcPubkey, 33, 'remoteHtlcPubkey');
  return script.compile([
    ...revocationPrefix(keys.revocationPubkey),
    keys.remoteHtlcPubkey,
    OPS.OP_SWAP,
    OPS.OP_SIZE,
    num(32),
    OPS.OP_EQUAL,
    OPS.OP_IF,
    // "To local node via HTLC-success transaction."
    OPS.OP_HASH160,
    ripemd160(paymentHash),
    OPS.OP_EQUALVERIFY,
    OPS.OP_2,
    OPS.OP_SWAP,
    keys.localHtlcPubkey,
    OPS.OP_2,
    OPS.OP_CHECKMULTISIG,
    OPS.OP_ELSE,
    // "To remote node after timeout."
    OPS.OP_DROP,
    num(cltvExpiry),
    OPS.OP_CHECKLOCKTIMEVERIFY,
    OPS.OP_DROP,
    OPS.OP_CHECKSIG,
    OPS.OP_ENDIF,
    ...anchorsSuffix(anchors),
    OPS.OP_ENDIF,
  ]);
}
