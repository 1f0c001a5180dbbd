import { preVerify } from '@asyncpay/crypto/adaptor';
import { readOurJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { vectors } from '../gen/taproot-ptlc.js';
import { offeredPtlcOutput, receivedPtlcOutput, twoKeyLeaf } from '../src/taproot/ptlc-outputs.js';

const FILE = 'taproot-ptlc.json';
type Rec = Record<string, unknown>;
interface Scenario {
  inputs: { ptlcs: { cltv_expiry: number; payment_secret: string; 'payment_point = t·G': string }[] };
  keys: Record<string, string | string[]>;
  scripts: Record<string, { internal_key: string; leaves: Record<string, string>; pkscript: string }>;
  commitment: Rec & { 'sighash (key path, SIGHASH_DEFAULT)': string; signature: string; signed_tx: string };
  claim_ptlc_success: Rec;
  ptlc_timeout: Rec;
  ptlc_success: Rec;
  claim_ptlc_timeout: Rec;
  invalid: { description: string; error: { code: string } }[];
}
const file = readOurJson<{ comment: string; scenarios: Scenario[] }>(FILE);
const s = file.scenarios[0]!;
const h = (x: unknown) => hexToBytes(x as string);
const key = (name: string) => h(s.keys[name]);
const witness = (tx: unknown) => Transaction.fromHex(tx as string).ins[0]!.witness.map((w) => bytesToHex(w));
const xOf = (name: string) => key(name).subarray(1);
const serialize = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

describe(vectorSuite('ours', FILE, 5 + s.invalid.length), () => {
  it('regenerates byte for byte, and recomputes the PTLC scripts from the keys', () => {
    expect(serialize(vectors[0]!.generate())).toBe(serialize(file));
    const keys = {
      revocationPubkey: key('revocationpubkey (bob revocation basepoint)'),
      localPtlcPubkey: key('local_ptlcpubkey'),
      remotePtlcPubkey: key('remote_ptlcpubkey'),
    };
    const offered = s.scripts['offered_ptlc (internal key = KeyAgg(revocationpubkey, remote_ptlcpubkey))']!;
    const received = s.scripts['received_ptlc (internal key = KeyAgg(revocationpubkey, remote_ptlcpubkey))']!;
    expect(bytesToHex(offeredPtlcOutput(keys).scriptPubKey)).toBe(offered.pkscript);
    expect(offered.leaves.timeout).toBe(bytesToHex(twoKeyLeaf(keys.remotePtlcPubkey, keys.localPtlcPubkey)));
    expect(offered.leaves.success).toBe(bytesToHex(twoKeyLeaf(keys.localPtlcPubkey, keys.remotePtlcPubkey)));
    expect(bytesToHex(receivedPtlcOutput(keys, s.inputs.ptlcs[1]!.cltv_expiry).scriptPubKey)).toBe(
      received.pkscript,
    );
    expect(offered.internal_key).toBe(received.internal_key);
  });

  it('commitment: the MuSig2 signature verifies under the funding output key and is the whole witness', () => {
    const c = s.commitment;
    const outputKey = hexToBytes((s.keys.funding_pkscript as string).slice(4));
    expect(schnorr.verify(h(c.signature), h(c['sighash (key path, SIGHASH_DEFAULT)']), outputKey)).toBe(true);
    expect(witness(c.signed_tx)).toEqual([c.signature]);
  });

  it("claim-PTLC-success: Alice's pre-signature locks T1; Bob's completion verifies and yields t1", () => {
    const v = s.claim_ptlc_success;
    const msg = h(v.sighash);
    const T1 = h(s.inputs.ptlcs[0]!['payment_point = t·G']);
    const pre = h(v['alice presig = presign(alice_ptlc_sk, sighash, T1, aux_rand)']);
    expect(preVerify(msg, xOf('local_ptlcpubkey'), pre, T1)).toBe(true);
    const adapted = v['adapted = adapt(presig, t1)'] as string;
    expect(schnorr.verify(h(adapted), msg, xOf('local_ptlcpubkey'))).toBe(true);
    expect(schnorr.verify(h(v.bob_sig), msg, xOf('remote_ptlcpubkey'))).toBe(true);
    expect(witness(v.signed_tx).slice(0, 2)).toEqual([v.bob_sig, adapted]);
    expect(v['extracted = extract(adapted, presig)']).toBe(s.inputs.ptlcs[0]!.payment_secret);
    const t = BigInt(`0x${v['extracted = extract(adapted, presig)']}`);
    expect(bytesToHex(secp256k1.Point.BASE.multiply(t).toBytes(true))).toBe(bytesToHex(T1));
  });

  it("PTLC-timeout: locked to cltv_expiry, Bob's and Alice's signatures in leaf order", () => {
    const v = s.ptlc_timeout;
    const msg = h(v.sighash);
    expect(v.locktime).toBe(s.inputs.ptlcs[0]!.cltv_expiry);
    expect(schnorr.verify(h(v.bob_sig), msg, xOf('remote_ptlcpubkey'))).toBe(true);
    expect(schnorr.verify(h(v.alice_sig), msg, xOf('local_ptlcpubkey'))).toBe(true);
    expect(witness(v.signed_tx).slice(0, 2)).toEqual([v.alice_sig, v.bob_sig]);
  });

  it("PTLC-success: Bob's pre-signature locks T2; Alice's completion verifies and yields t2", () => {
    const v = s.ptlc_success;
    const msg = h(v.sighash);
    const T2 = h(s.inputs.ptlcs[1]!['payment_point = t·G']);
    expect(
      preVerify(
        msg,
        xOf('remote_ptlcpubkey'),
        h(v['bob presig = presign(bob_ptlc_sk, sighash, T2, aux_rand)']),
        T2,
      ),
    ).toBe(true);
    const adapted = v['adapted = adapt(presig, t2)'] as string;
    expect(schnorr.verify(h(adapted), msg, xOf('remote_ptlcpubkey'))).toBe(true);
    expect(witness(v.signed_tx).slice(0, 2)).toEqual([v.alice_sig, adapted]);
    expect(v['extracted = extract(adapted, presig)']).toBe(s.inputs.ptlcs[1]!.payment_secret);
  });

  it("claim-PTLC-timeout: Bob's lone signature, locktime at the expiry the leaf checks", () => {
    const v = s.claim_ptlc_timeout;
    expect(v.locktime).toBe(s.inputs.ptlcs[1]!.cltv_expiry);
    expect(schnorr.verify(h(v.bob_sig), h(v.sighash), xOf('remote_ptlcpubkey'))).toBe(true);
    expect(witness(v.signed_tx)[0]).toBe(v.bob_sig);
  });

  // The codes are what the implementation throws: the first test regenerates the file byte for byte.
  for (const inv of s.invalid) {
    it(`refuses: ${inv.description}`, () => {
      expect(['INVALID_ADAPTOR_SIG', 'INVALID_PARTIAL_SIG']).toContain(inv.error.code);
    });
  }
});
