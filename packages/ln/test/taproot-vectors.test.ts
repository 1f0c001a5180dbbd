import { readUpstreamJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { taprootFundingOutput } from '../src/taproot/musig.js';
import {
  acceptedHtlcOutput,
  anchorOutput,
  offeredHtlcOutput,
  secondLevelOutput,
  TAPROOT_NUMS_POINT,
  toLocalOutput,
  toRemoteOutput,
} from '../src/taproot/scripts.js';
import type { TaprootOutput } from '../src/taproot/taptree.js';

interface ScriptVector {
  scripts: Record<string, string>;
  leaf_hashes: Record<string, string>;
  tapscript_root: string;
  internal_key: string;
  output_key: string;
  pkscript: string;
}
interface Pr995 {
  params: {
    nums_point: string;
    csv_delay: number;
    keys: Record<string, string>;
  };
  scripts: { funding: { combined_key: string; pkscript: string } } & Record<string, ScriptVector>;
  transactions: unknown[];
}

const FILE = 'bolts/extracted/pr995-bolt-simple-taproot-test-vectors.json';
const V = readUpstreamJson<Pr995>(FILE);
const k = (name: string) => hexToBytes(V.params.keys[name]!);

// The offered/accepted HTLC vectors use test HTLC #0 (payment hash SHA256(0x00…00), expiry 500).
const paymentHash = sha256(new Uint8Array(32));
const local = k('derived_local_htlc_pubkey');
const remote = k('derived_remote_htlc_pubkey');
const revocation = k('derived_revocation_pubkey');
const delayed = k('derived_local_delayed_pubkey');
const delay = V.params.csv_delay;

/** Our output for each vector entry, leaf names in the vector's naming. */
const ours: Record<string, () => { out: TaprootOutput; names: string[] }> = {
  to_local: () => ({ out: toLocalOutput(revocation, delayed, delay), names: ['settle', 'revocation'] }),
  to_remote: () => ({ out: toRemoteOutput(k('derived_remote_payment_pubkey')), names: ['settle'] }),
  local_anchor: () => ({ out: anchorOutput(delayed), names: ['sweep'] }),
  remote_anchor: () => ({ out: anchorOutput(k('derived_remote_payment_pubkey')), names: ['sweep'] }),
  offered_htlc_local_commit: () => ({
    out: offeredHtlcOutput(
      { revocationPubkey: revocation, localHtlcPubkey: local, remoteHtlcPubkey: remote },
      paymentHash,
    ),
    names: ['success', 'timeout'],
  }),
  offered_htlc_remote_commit: () => ({
    out: offeredHtlcOutput(
      { revocationPubkey: revocation, localHtlcPubkey: local, remoteHtlcPubkey: remote },
      paymentHash,
    ),
    names: ['success', 'timeout'],
  }),
  // The accepted-HTLC vectors are printed from the other side's view: its local HTLC key is our remote one.
  accepted_htlc_local_commit: () => ({
    out: acceptedHtlcOutput(
      { revocationPubkey: revocation, localHtlcPubkey: remote, remoteHtlcPubkey: local },
      paymentHash,
      500,
    ),
    names: ['success', 'timeout'],
  }),
  accepted_htlc_remote_commit: () => ({
    out: acceptedHtlcOutput(
      { revocationPubkey: revocation, localHtlcPubkey: remote, remoteHtlcPubkey: local },
      paymentHash,
      500,
    ),
    names: ['success', 'timeout'],
  }),
  second_level_htlc_success: () => ({
    out: secondLevelOutput(revocation, delayed, delay),
    names: ['success'],
  }),
  second_level_htlc_timeout: () => ({
    out: secondLevelOutput(revocation, delayed, delay),
    names: ['success'],
  }),
};

const entries = Object.keys(V.scripts).filter((n) => n !== 'funding');

describe(vectorSuite('upstream', FILE, 1 + entries.length), () => {
  it('uses the NUMS point of the vectors', () => {
    expect(bytesToHex(TAPROOT_NUMS_POINT)).toBe(V.params.nums_point);
  });

  it('funding: MuSig2 aggregate of the sorted funding keys with the BIP-86 tweak', () => {
    const f = taprootFundingOutput(k('local_funding_pubkey'), k('remote_funding_pubkey'));
    expect(bytesToHex(f.output.outputKey.subarray(1))).toBe(V.scripts.funding.combined_key);
    expect(bytesToHex(f.scriptPubKey)).toBe(V.scripts.funding.pkscript);
  });

  for (const name of entries) {
    it(`${name}: leaves, leaf hashes, tapscript root, internal and output keys`, () => {
      const want = V.scripts[name]!;
      const { out, names } = ours[name]!();
      expect(Object.keys(want.scripts).sort()).toEqual([...names].sort());
      names.forEach((leaf, i) => {
        expect(bytesToHex(out.leaves[i]!), leaf).toBe(want.scripts[leaf]);
        expect(bytesToHex(out.leafHashes[i]!), leaf).toBe(want.leaf_hashes[leaf]);
      });
      expect(bytesToHex(out.merkleRoot!)).toBe(want.tapscript_root);
      expect(bytesToHex(out.internalKey)).toBe(want.internal_key.slice(2));
      expect(bytesToHex(out.outputKey)).toBe(want.output_key);
      expect(bytesToHex(out.scriptPubKey)).toBe(want.pkscript);
    });
  }
});
