/**
 * What the used-nonce store prevents. These tests sign with one nonce pair several times on
 * purpose, giving each call its own empty store (bypassing the real one), and then recover the
 * recipient's secret key from public data only.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../src/bytes.js';
import { challenge } from '../src/challenge.js';
import { compressed, evenYKey, mulG } from '../src/point.js';
import type { ReceiptFields } from '../src/receipt/message.js';
import { issueNoncePairs } from '../src/receipt/nonce.js';
import { receiptPaymentPoint, signReceipt } from '../src/receipt/receipt.js';
import { MemoryUsedNonceStore } from '../src/receipt/store.js';
import { bytesToInt, Fn, scalarFromBytes } from '../src/scalar.js';
import { getPublicKey } from '../src/schnorr.js';

const bob = new Uint8Array(32).fill(0x42);
const bobSeed = new Uint8Array(32).fill(0x62);
const bobKey = getPublicKey(bob);
const bobD = evenYKey(bytesToInt(bob)).d; // the key as BIP-340 uses it (even-y)
const idOf = (b: number) => compressed(mulG(BigInt(`0x${b.toString(16).repeat(32)}`)));
const fields = (amountMsat: bigint): ReceiptFields => ({
  payerId: idOf(0x41),
  payeeId: idOf(0x42),
  amountMsat,
  offerId: new Uint8Array(32),
  timestamp: 1_675_000_000n,
  nonceId: 12345n,
  note: `Alice paid Bob ${amountMsat} msat`,
});

/** What a payer sees of one receipt: s, and the public b, e and sign of the bound nonce. */
function observe(amountMsat: bigint) {
  const [pair] = issueNoncePairs(bobSeed, bob, 12345n, 1);
  const f = fields(amountMsat);
  const point = receiptPaymentPoint(bobKey, pair!, f);
  const { s } = signReceipt({
    secretKey: bob,
    nonceSeed: bobSeed,
    fields: f,
    store: new MemoryUsedNonceStore(),
  });
  return { s: scalarFromBytes(s, 's'), b: point.b, e: point.e, sigma: point.nonceNegated ? Fn.neg(1n) : 1n };
}

/** Determinant of a 3×3 matrix mod n. */
const det3 = (m: bigint[][]): bigint => {
  const [[a, b, c], [d, e, f], [g, h, i]] = m as [bigint[], bigint[], bigint[]];
  const t = (x: bigint, y: bigint) => Fn.mul(x, y);
  return Fn.add(
    Fn.sub(t(a!, Fn.sub(t(e!, i!), t(f!, h!))), t(b!, Fn.sub(t(d!, i!), t(f!, g!)))),
    t(c!, Fn.sub(t(d!, h!), t(e!, g!))),
  );
};

describe('reusing a receipt nonce pair', () => {
  it('lets anyone recover the recipient key from three receipts on one pair (hence NONCE_REUSED)', () => {
    // s_i = σ_i·(b_i·k1 + k2) + e_i·d : three linear equations in k1, k2, d (Cramer's rule).
    const obs = [observe(1000n), observe(2000n), observe(3000n)];
    const A = obs.map((o) => [Fn.mul(o.sigma, o.b), o.sigma, o.e]);
    const sVec = obs.map((o) => o.s);
    const withColumn = (col: number) => A.map((row, r) => row.map((v, c) => (c === col ? sVec[r]! : v)));
    const d = Fn.mul(det3(withColumn(2)), Fn.inv(det3(A)));
    expect(d).toBe(bobD);
    expect(bytesToHex(Fn.toBytes(d))).toBe(bytesToHex(Fn.toBytes(bobD)));
  });

  it('leaves two receipts on one pair one unknown short, which the store must not rely on', () => {
    // Eliminating k2 from two equations leaves (σ1·b1 − σ2·b2)·k1 + (σ1·e1 − σ2·e2)·d = σ1·s1 − σ2·s2:
    // one equation in two unknowns. Every candidate key d' has a matching k1', so the pair of
    // receipts alone does not single out d — but a third one does (test above).
    const [o1, o2] = [observe(1000n), observe(2000n)];
    const lhs = (k1: bigint, d: bigint) =>
      Fn.add(
        Fn.mul(Fn.sub(o1.b, o2.b), k1),
        Fn.mul(Fn.sub(Fn.mul(o1.sigma, o1.e), Fn.mul(o2.sigma, o2.e)), d),
      );
    const rhs = Fn.sub(Fn.mul(o1.sigma, o1.s), Fn.mul(o2.sigma, o2.s));
    const kFor = (d: bigint) =>
      Fn.mul(
        Fn.sub(rhs, Fn.mul(Fn.sub(Fn.mul(o1.sigma, o1.e), Fn.mul(o2.sigma, o2.e)), d)),
        Fn.inv(Fn.sub(o1.b, o2.b)),
      );
    // (σ² = 1, so multiplying each equation by its σ_i moves the sign onto s_i and e_i.)
    expect(lhs(kFor(bobD), bobD)).toBe(rhs);
    expect(lhs(kFor(12345n), 12345n)).toBe(rhs);
  });

  it('with a single unbound nonce, two signatures give the key: d = (s1 − s2)/(e1 − e2)', () => {
    // Why Towns uses pairs bound to m, and why a single pre-published nonce must never sign twice.
    const k = evenYKey(0x4b4b4bn); // the nonce, normalized to even y like BIP-340's R
    const rx = compressed(k.P).subarray(1);
    const sigFor = (m: Uint8Array) => {
      const e = challenge(rx, bobKey, m);
      return { s: Fn.add(k.d, Fn.mul(e, bobD)), e };
    };
    const a = sigFor(new Uint8Array(32).fill(1));
    const b = sigFor(new Uint8Array(32).fill(2));
    expect(Fn.mul(Fn.sub(a.s, b.s), Fn.inv(Fn.sub(a.e, b.e)))).toBe(bobD);
  });

  it('with a nonce the payer chose, one receipt gives the key: d = (s − k)/e (so the payer never chooses it)', () => {
    const k = 0x1234n; // a payer-chosen nonce
    const R = evenYKey(k);
    const m = new Uint8Array(32).fill(9);
    const e = challenge(compressed(R.P).subarray(1), bobKey, m);
    const s = Fn.add(R.d, Fn.mul(e, bobD)); // what a careless recipient would reveal
    expect(Fn.mul(Fn.sub(s, R.d), Fn.inv(e))).toBe(bobD);
  });
});
