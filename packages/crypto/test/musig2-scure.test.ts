import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import * as scure from '@scure/btc-signer/musig2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyTweaks, getPlainPubkey, individualPubkey, keyAgg } from '../src/musig2/keyagg.js';
import { nonceAgg, nonceGen } from '../src/musig2/nonce.js';
import { partialSigAgg, partialSigVerify, sign } from '../src/musig2/session.js';

const hex = bytesToHex;
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const secretKey = bytes32.filter((b) => secp256k1.Point.Fn.isValidNot0(BigInt(`0x${hex(b)}`)));
const tweak = fc.record({
  t: bytes32.filter((b) => BigInt(`0x${hex(b)}`) < secp256k1.Point.Fn.ORDER),
  x: fc.boolean(),
});

describe('BIP-327 cross-check against @scure/btc-signer musig2 (an independent BIP-327 implementation)', () => {
  it('matches every value of random sessions: aggregate key, nonces, partial signatures, signature', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(secretKey, { minLength: 1, maxLength: 4, selector: hex }),
        fc.array(tweak, { maxLength: 3 }),
        fc.uint8Array({ maxLength: 48 }),
        bytes32,
        (sks, tws, msg, rand) => {
          const pubkeys = sks.map(individualPubkey);
          const tweaks = tws.map((t) => t.t);
          const isXonly = tws.map((t) => t.x);
          const ours = applyTweaks(keyAgg(pubkeys), tweaks, isXonly);
          const theirs = scure.keyAggregate(pubkeys, tweaks, isXonly);
          expect(hex(getPlainPubkey(ours))).toBe(hex(theirs.aggPublicKey.toBytes(true)));
          const nonces = sks.map((sk, i) => nonceGen({ pk: pubkeys[i]!, sk, msg, rand }));
          const scureNonces = sks.map((sk, i) =>
            scure.nonceGen(pubkeys[i]!, sk, undefined, msg, undefined, rand),
          );
          expect(nonces.map((n) => hex(n.pubnonce))).toEqual(scureNonces.map((n) => hex(n.public)));
          const pubnonces = nonces.map((n) => n.pubnonce);
          const aggnonce = nonceAgg(pubnonces);
          expect(hex(aggnonce)).toBe(hex(scure.nonceAggregate(pubnonces)));
          const ctx = { aggnonce, pubkeys, tweaks, isXonly, msg };
          const session = new scure.Session(aggnonce, pubkeys, msg, tweaks, isXonly);
          const psigs = sks.map((sk, i) => sign(nonces[i]!.secnonce, sk, ctx));
          const scurePsigs = sks.map((sk, i) => session.sign(scureNonces[i]!.secret, sk));
          expect(psigs.map(hex)).toEqual(scurePsigs.map(hex));
          for (let i = 0; i < sks.length; i++) {
            expect(partialSigVerify({ ...ctx, psig: psigs[i]!, pubnonces, signer: i })).toBe(true);
          }
          const sig = partialSigAgg(psigs, ctx);
          expect(hex(sig)).toBe(hex(session.partialSigAgg(scurePsigs)));
          expect(schnorr.verify(sig, msg, getPlainPubkey(ours).subarray(1))).toBe(true);
        },
      ),
      { numRuns: 24, seed: 327 },
    );
  });
});
