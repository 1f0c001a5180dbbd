import { readUpstreamJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { schnorr } from '@noble/curves/secp256k1.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { type TapTree, taprootTreeOutput, tweakSecretKey } from '../src/taproot/taptree.js';

type JsonTree = { id: number; script: string; leafVersion: number } | [JsonTree, JsonTree];
interface Bip341 {
  scriptPubKey: {
    given: { internalPubkey: string; scriptTree: JsonTree | null };
    intermediary: { leafHashes?: string[]; merkleRoot: string | null; tweak: string; tweakedPubkey: string };
    expected: { scriptPubKey: string; scriptPathControlBlocks?: string[] };
  }[];
  keyPathSpending: {
    given: { rawUnsignedTx: string; utxosSpent: { scriptPubKey: string; amountSats: number }[] };
    inputSpending: {
      given: { txinIndex: number; internalPrivkey: string; merkleRoot: string | null; hashType: number };
      intermediary: { tweakedPrivkey: string; sigHash: string };
      expected: { witness: string[] };
    }[];
    auxiliary: { fullySignedTx: string };
  }[];
}

const FILE = 'bips/bip-0341/wallet-test-vectors.json';
const V = readUpstreamJson<Bip341>(FILE);
const spending = V.keyPathSpending.flatMap((k) => k.inputSpending);

function toTree(t: JsonTree, ids: number[]): TapTree {
  if (Array.isArray(t)) return [toTree(t[0], ids), toTree(t[1], ids)];
  ids.push(t.id);
  return { script: hexToBytes(t.script), leafVersion: t.leafVersion };
}

describe(vectorSuite('upstream', FILE, V.scriptPubKey.length + spending.length), () => {
  V.scriptPubKey.forEach((v, n) => {
    it(`scriptPubKey ${n}: leaf hashes, merkle root, tweak, output key and control blocks`, () => {
      const ids: number[] = [];
      const tree = v.given.scriptTree === null ? undefined : toTree(v.given.scriptTree, ids);
      const out = taprootTreeOutput(hexToBytes(v.given.internalPubkey), tree);
      ids.forEach((id, i) => {
        expect(bytesToHex(out.leafHashes[i]!)).toBe(v.intermediary.leafHashes![id]);
        expect(bytesToHex(out.controlBlock(i))).toBe(v.expected.scriptPathControlBlocks![id]);
      });
      expect(out.merkleRoot === undefined ? null : bytesToHex(out.merkleRoot)).toBe(
        v.intermediary.merkleRoot,
      );
      expect(bytesToHex(out.tweak)).toBe(v.intermediary.tweak);
      expect(bytesToHex(out.outputKey.subarray(1))).toBe(v.intermediary.tweakedPubkey);
      expect(bytesToHex(out.scriptPubKey)).toBe(v.expected.scriptPubKey);
    });
  });

  for (const k of V.keyPathSpending) {
    const tx = Transaction.fromHex(k.given.rawUnsignedTx);
    const scripts = k.given.utxosSpent.map((u) => hexToBytes(u.scriptPubKey));
    const values = k.given.utxosSpent.map((u) => BigInt(u.amountSats));
    for (const s of k.inputSpending) {
      const { txinIndex, hashType, internalPrivkey, merkleRoot } = s.given;
      it(`keyPathSpending input ${txinIndex} (hash type 0x${hashType.toString(16)}): sighash, tweaked key, signature`, () => {
        const sighash = tx.hashForWitnessV1(txinIndex, scripts, values, hashType);
        expect(bytesToHex(sighash)).toBe(s.intermediary.sigHash);
        const sk = tweakSecretKey(
          hexToBytes(internalPrivkey),
          merkleRoot === null ? undefined : hexToBytes(merkleRoot),
        );
        expect(bytesToHex(sk)).toBe(s.intermediary.tweakedPrivkey);
        // the vectors sign with all-zero auxiliary randomness
        const sig = schnorr.sign(sighash, sk, new Uint8Array(32));
        const witness = hashType === 0 ? sig : concatBytes(sig, Uint8Array.of(hashType));
        expect([bytesToHex(witness)]).toEqual(s.expected.witness);
      });
    }
  }
});
