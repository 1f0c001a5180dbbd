import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cmdcodeBackend as cmd } from '../bench/musig2-cmdcode.js';
import { bip327Backend as bip, type Musig2Backend } from '../src/musig2/backend.js';
import { keyAgg as bip327KeyAgg, getXonlyPubkey, individualPubkey, keySort } from '../src/musig2/keyagg.js';

const { Point } = secp256k1;
const filled = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);
const hex = bytesToHex;
const alice = filled(0x41);
const bob = filled(0x42);
const carol = filled(0x43);
const msg = filled(0x4d);
const rands = [filled(1), filled(2), filled(3)];

/** @cmdcode/musig2's aggregation written out with noble: sorted x-only keys, a hash coefficient for every key. */
function cmdcodeStyleKeyAgg(xonlyKeys: Uint8Array[]): Uint8Array {
  const sorted = [...xonlyKeys].sort((a, b) => (hex(a) < hex(b) ? -1 : 1));
  const L = schnorr.utils.taggedHash('KeyAgg list', ...sorted);
  let Q = Point.ZERO;
  for (const x of sorted) {
    const a = Point.Fn.create(BigInt(`0x${hex(schnorr.utils.taggedHash('KeyAgg coefficient', L, x))}`));
    Q = Q.add(schnorr.utils.lift_x(BigInt(`0x${hex(x)}`)).multiply(a));
  }
  return Q.toBytes(true).subarray(1);
}

describe('MuSig2 backends: BIP-327 and @cmdcode/musig2 on the same signers', () => {
  for (const backend of [bip, cmd] as Musig2Backend[]) {
    it(`${backend.name} produces a final signature that verifies as BIP-340 under its own aggregate key`, () => {
      for (const taproot of [false, true]) {
        const session = backend.signSession([alice, bob, carol], msg, { rands, taproot });
        const sig = backend.combine(session);
        expect(sig).toHaveLength(64);
        expect(schnorr.verify(sig, msg, session.aggpk)).toBe(true);
        const pks = [alice, bob, carol].map(backend.publicKey);
        expect(hex(session.aggpk)).toBe(hex(backend.keyAgg(pks, { taproot })));
      }
    });
  }

  it('gives the same signers different aggregate keys, and neither signature verifies under the other key', () => {
    const b = bip.signSession([alice, bob], msg, { rands: rands.slice(0, 2) });
    const c = cmd.signSession([alice, bob], msg, { rands: rands.slice(0, 2) });
    expect(hex(b.aggpk)).not.toBe(hex(c.aggpk));
    expect(schnorr.verify(bip.combine(b), msg, c.aggpk)).toBe(false);
    expect(schnorr.verify(cmd.combine(c), msg, b.aggpk)).toBe(false);
  });

  it('differs exactly by x-only sorted keys and a coefficient for every key (no second-key exception)', () => {
    const xonly = [alice, bob, carol].map((sk) => schnorr.getPublicKey(sk));
    // @cmdcode/musig2 is the formula written out with noble …
    expect(hex(cmd.keyAgg(xonly))).toBe(hex(cmdcodeStyleKeyAgg(xonly)));
    // … and BIP-327 is not that formula, even on the even-y lifts of the same x-only keys.
    const evenKeys = xonly.map((x) => Uint8Array.of(2, ...x));
    expect(hex(getXonlyPubkey(bip327KeyAgg(keySort(evenKeys))))).not.toBe(hex(cmdcodeStyleKeyAgg(xonly)));
  });

  it('encodes keys, nonces and partial signatures in different sizes (33/66/32 bytes against 32/64/128)', () => {
    const b = bip.signSession([alice, bob], msg, { rands: rands.slice(0, 2) });
    const c = cmd.signSession([alice, bob], msg, { rands: rands.slice(0, 2) });
    expect([b.pubkeys[0]!.length, b.pubnonces[0]!.length, b.psigs[0]!.length]).toEqual([33, 66, 32]);
    expect([c.pubkeys[0]!.length, c.pubnonces[0]!.length, c.psigs[0]!.length]).toEqual([32, 64, 128]);
    // The 128-byte partial signature carries the signer's x-only key and public nonce after s.
    expect(hex(c.psigs[0]!.subarray(32, 64))).toBe(hex(c.pubkeys[0]!));
    expect(hex(c.psigs[0]!.subarray(64, 128))).toBe(hex(c.pubnonces[0]!));
  });

  it('ignores key order in @cmdcode/musig2 while BIP-327 KeyAgg depends on it unless KeySort is applied', () => {
    const [pa, pb] = [alice, bob].map(individualPubkey) as [Uint8Array, Uint8Array];
    const [xa, xb] = [alice, bob].map((sk) => schnorr.getPublicKey(sk)) as [Uint8Array, Uint8Array];
    expect(hex(cmd.keyAgg([xa, xb]))).toBe(hex(cmd.keyAgg([xb, xa])));
    expect(hex(getXonlyPubkey(bip327KeyAgg([pa, pb])))).not.toBe(hex(getXonlyPubkey(bip327KeyAgg([pb, pa]))));
    expect(hex(bip.keyAgg([pa, pb]))).toBe(hex(bip.keyAgg([pb, pa])));
  });

  it('agrees with @cmdcode/musig2 on nothing but the BIP-340 validity of the final signature, for random signers', () => {
    const sk = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .filter((b) => Point.Fn.isValidNot0(BigInt(`0x${hex(b)}`)));
    fc.assert(
      fc.property(
        fc.uniqueArray(sk, { minLength: 2, maxLength: 3, selector: hex }),
        fc.boolean(),
        (sks, taproot) => {
          const opts = { rands: sks.map((_, i) => rands[i]!), taproot };
          const b = bip.signSession(sks, msg, opts);
          const c = cmd.signSession(sks, msg, opts);
          expect(bip.verify(bip.combine(b), msg, b.aggpk)).toBe(true);
          expect(cmd.verify(cmd.combine(c), msg, c.aggpk)).toBe(true);
          expect(hex(b.aggpk)).not.toBe(hex(c.aggpk));
        },
      ),
      { numRuns: 6, seed: 327 },
    );
  });
});
