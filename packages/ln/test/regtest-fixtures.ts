/**
 * Helpers for the on-chain tests: deterministic channel keys for Alice (the funder, 0x41…) and Bob
 * (0x42…), addresses for output scripts, and "ask bitcoind, then mine and see it confirmed".
 */

import type { RegtestNode } from '@asyncpay/regtest/harness';
import * as ecc from '@bitcoinerlab/secp256k1';
import { address, initEccLib, networks, type Transaction } from 'bitcoinjs-lib';
import { expect } from 'vitest';
import type { CommitmentKeys } from '../src/bolt3/commitment.js';
import {
  derivePrivkey,
  derivePubkey,
  deriveRevocationPubkey,
  perCommitmentPoint,
  pubkeyOf,
} from '../src/bolt3/keys.js';
import { FIRST_SECRET_INDEX, generateFromSeed } from '../src/bolt3/shachain.js';

initEccLib(ecc);

const filled = (byte: number, tag: number) => {
  const k = new Uint8Array(32).fill(byte);
  k[31] = tag;
  return k;
};

/** One side's channel secrets (basepoint secrets and the per-commitment seed). */
export interface Party {
  readonly fundingPrivkey: Uint8Array;
  readonly fundingPubkey: Uint8Array;
  readonly paymentSecret: Uint8Array;
  readonly paymentBasepoint: Uint8Array;
  readonly htlcSecret: Uint8Array;
  readonly htlcBasepoint: Uint8Array;
  readonly delayedSecret: Uint8Array;
  readonly delayedBasepoint: Uint8Array;
  readonly revocationSecret: Uint8Array;
  readonly revocationBasepoint: Uint8Array;
  readonly seed: Uint8Array;
}

/** A party whose secrets are bytes `byte` with a distinct last byte per role. */
export function party(byte: number): Party {
  const s = (tag: number) => filled(byte, tag);
  return {
    fundingPrivkey: s(1),
    fundingPubkey: pubkeyOf(s(1)),
    paymentSecret: s(2),
    paymentBasepoint: pubkeyOf(s(2)),
    htlcSecret: s(3),
    htlcBasepoint: pubkeyOf(s(3)),
    delayedSecret: s(4),
    delayedBasepoint: pubkeyOf(s(4)),
    revocationSecret: s(5),
    revocationBasepoint: pubkeyOf(s(5)),
    seed: s(6),
  };
}

/** Alice, the funder. */
export const alice = party(0x41);
/** Bob. */
export const bob = party(0x42);

/** Keys of `owner`'s commitment number `n` (BOLT 3 derivation), plus the HTLC private keys. */
export function commitmentKeys(owner: Party, peer: Party, n = 0n) {
  const pcs = generateFromSeed(owner.seed, FIRST_SECRET_INDEX - n);
  const pcp = perCommitmentPoint(pcs);
  const keys: CommitmentKeys = {
    localFundingPubkey: owner.fundingPubkey,
    remoteFundingPubkey: peer.fundingPubkey,
    revocationPubkey: deriveRevocationPubkey(peer.revocationBasepoint, pcp),
    localDelayedPubkey: derivePubkey(owner.delayedBasepoint, pcp),
    localHtlcPubkey: derivePubkey(owner.htlcBasepoint, pcp),
    remoteHtlcPubkey: derivePubkey(peer.htlcBasepoint, pcp),
    remotePaymentPubkey: peer.paymentBasepoint,
  };
  return {
    keys,
    perCommitmentSecret: pcs,
    perCommitmentPoint: pcp,
    localHtlcPrivkey: derivePrivkey(owner.htlcSecret, pcp),
    remoteHtlcPrivkey: derivePrivkey(peer.htlcSecret, pcp),
    localDelayedPrivkey: derivePrivkey(owner.delayedSecret, pcp),
  };
}

/** The regtest address of an output script. */
export function addressOf(scriptPubKey: Uint8Array): string {
  return address.fromOutputScript(scriptPubKey, networks.regtest);
}

/**
 * bitcoind's verdict first (`testmempoolaccept` must allow it), then broadcast, mine one block and see
 * the transaction confirmed. Returns the txid and the verdict.
 */
export async function acceptAndConfirm(node: RegtestNode, tx: Transaction) {
  const hex = tx.toHex();
  const verdict = await node.testMempoolAccept(hex);
  expect(verdict.rejectReason, `testmempoolaccept of ${tx.getId()}`).toBeUndefined();
  expect(verdict).toMatchObject({ allowed: true, txid: tx.getId() });
  const txid = await node.broadcast(hex);
  await node.mine(1);
  const mined = await node.waitForTx(txid, { confirmations: 1 });
  expect(mined.confirmations).toBeGreaterThanOrEqual(1);
  console.info(
    `  bitcoind: ${txid} allowed (vsize ${verdict.vsize}), mined with ${mined.confirmations} confirmation(s)`,
  );
  return { txid, verdict };
}

/** bitcoind's verdict on a transaction it must refuse; returns the reject reason. */
export async function expectRejected(node: RegtestNode, tx: Transaction): Promise<string> {
  const verdict = await node.testMempoolAccept(tx.toHex());
  expect(verdict.allowed).toBe(false);
  console.info(`  bitcoind: ${tx.getId()} rejected: ${verdict.rejectReason}`);
  return verdict.rejectReason ?? '';
}

/** Mine until the chain tip is exactly `height` (no-op if already there or above). */
export async function mineTo(node: RegtestNode, height: number): Promise<void> {
  const tip = await node.getBlockCount();
  if (height > tip) await node.mine(height - tip);
}
