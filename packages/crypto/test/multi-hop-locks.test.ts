import { schnorr } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adapt, extractSecret, presign } from '../src/adaptor.js';
import { bytesToHex } from '../src/bytes.js';
import type { CryptoErrorCode } from '../src/errors.js';
import {
  checkHopLock,
  deriveHopTweaks,
  openLeftLock,
  recipientLockSecret,
  recoverPaymentSecret,
  setupMultiHopLocks,
} from '../src/multi-hop-locks.js';
import { compressed, mulG } from '../src/point.js';
import type { ReceiptFields } from '../src/receipt/message.js';
import { issueNoncePairs } from '../src/receipt/nonce.js';
import { completeReceipt, receiptPaymentPoint, signReceipt, verifyReceipt } from '../src/receipt/receipt.js';
import { MemoryUsedNonceStore } from '../src/receipt/store.js';
import { N, scalarToBytes } from '../src/scalar.js';
import { getPublicKey } from '../src/schnorr.js';

const throwsCode = (fn: () => unknown, code: CryptoErrorCode) =>
  expect(fn).toThrow(expect.objectContaining({ name: 'CryptoError', code }));
const filled = (b: number) => new Uint8Array(32).fill(b);
const point = (b: number) => compressed(mulG(BigInt(`0x${b.toString(16).repeat(32)}`)));

describe('multi-hop locks', () => {
  it('give every PTLC on the route a different point, none equal to the payment point', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (n, seed) => {
          const Z = point(0x5a);
          const setup = setupMultiHopLocks(Z, deriveHopTweaks(seed, n));
          const locks = setup.hops.map((h) => bytesToHex(h.right));
          expect(new Set([...locks, bytesToHex(Z)]).size).toBe(n + 1);
          expect(setup.hops.at(-1)!.right).toEqual(setup.recipientLock);
          for (let i = 1; i < n; i++) expect(setup.hops[i]!.left).toEqual(setup.hops[i - 1]!.right);
          for (const hop of setup.hops) checkHopLock(hop);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('let the payer, and only the payer, recover z after settlement (any route length)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.bigInt({ min: 1n, max: N - 1n }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (n, zInt, seed) => {
          const z = scalarToBytes(zInt);
          const setup = setupMultiHopLocks(compressed(mulG(zInt)), deriveHopTweaks(seed, n));
          // recipient opens L_n; each hop i learns r_i and opens its left lock
          let secret = recipientLockSecret(z, setup.recipientTweak);
          for (let i = n - 1; i >= 1; i--) {
            const hop = setup.hops[i]!;
            secret = openLeftLock(secret, hop.tweak, hop.left);
            expect(bytesToHex(secret)).not.toBe(bytesToHex(z));
          }
          expect(recoverPaymentSecret(secret, setup)).toEqual(z);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('carry a receipt over a 3-hop route of adaptor-signature PTLCs to the payer', () => {
    // Alice pays Bob through Carol and Dave; Bob's receipt scalar s is the route's z.
    const bob = filled(0x42);
    const bobSeed = filled(0x62);
    const [pair] = issueNoncePairs(bobSeed, bob, 1n, 1);
    const fields: ReceiptFields = {
      payerId: point(0x41),
      payeeId: point(0x42),
      amountMsat: 10_000n,
      offerId: filled(0x6f),
      timestamp: 1_700_000_000n,
      nonceId: 1n,
      note: 'Alice paid Bob 10 sats',
    };
    const pp = receiptPaymentPoint(getPublicKey(bob), pair!, fields);
    const setup = setupMultiHopLocks(pp.S, deriveHopTweaks(filled(0x79), 3));
    const senders = [filled(0x41), filled(0x43), filled(0x44)]; // Alice, Carol, Dave
    const claims = senders.map((_, i) => new Uint8Array(32).fill(0xc0 + i));
    // Update phase: each left hop pre-signs the claim of its PTLC with the PTLC's lock as adaptor point.
    const presigs = senders.map((sk, i) => presign(sk, claims[i]!, setup.hops[i]!.right, filled(i)));
    // Settlement: Bob computes s, opens L_3 and claims from Dave.
    const { s } = signReceipt({
      secretKey: bob,
      nonceSeed: bobSeed,
      fields,
      store: new MemoryUsedNonceStore(),
    });
    let secret = recipientLockSecret(s, setup.recipientTweak);
    for (let i = 2; i >= 0; i--) {
      const sig = adapt(presigs[i]!, secret); // right hop claims on chain or off
      expect(schnorr.verify(sig, claims[i]!, getPublicKey(senders[i]!))).toBe(true);
      const r = extractSecret(sig, presigs[i]!, setup.hops[i]!.right); // left hop learns r_i
      secret = i > 0 ? openLeftLock(r, setup.hops[i]!.tweak, setup.hops[i]!.left) : r;
    }
    const sRecovered = recoverPaymentSecret(secret, setup);
    expect(sRecovered).toEqual(s);
    expect(verifyReceipt(completeReceipt(pp, sRecovered), fields, getPublicKey(bob))).toBe(true);
  });

  it('refuses a hop whose right lock is not left + tweak·G with LOCK_MISMATCH', () => {
    const setup = setupMultiHopLocks(point(0x5a), deriveHopTweaks(filled(1), 2));
    throwsCode(() => checkHopLock({ ...setup.hops[1]!, tweak: setup.hops[0]!.tweak }), 'LOCK_MISMATCH');
  });

  it('refuses a secret that does not open the left lock with LOCK_MISMATCH', () => {
    const setup = setupMultiHopLocks(point(0x5a), deriveHopTweaks(filled(1), 2));
    throwsCode(() => recoverPaymentSecret(filled(3), setup), 'LOCK_MISMATCH');
  });

  it('refuses a zero tweak with INVALID_SCALAR and a bad payment point with INVALID_LOCK', () => {
    throwsCode(() => setupMultiHopLocks(point(0x5a), [new Uint8Array(32)]), 'INVALID_SCALAR');
    const bad = point(0x5a);
    bad[0] = 0x07;
    throwsCode(() => setupMultiHopLocks(bad, deriveHopTweaks(filled(1), 1)), 'INVALID_LOCK');
  });

  it('throws RangeError for an empty route', () => {
    expect(() => setupMultiHopLocks(point(0x5a), [])).toThrow(RangeError);
  });
});
