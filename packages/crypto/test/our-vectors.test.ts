/**
 * Reads back the vectors this package publishes (vectors/receipts.json, pay-for-signature.json,
 * multi-hop-locks.json) and recomputes every value from the inputs with the library.
 */
import { readOurJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { schnorr } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { fieldsFromJson } from '../gen/receipts.js';
import { adapt, extractSecret, presign } from '../src/adaptor.js';
import { bytesToHex, hexToBytes } from '../src/bytes.js';
import {
  checkHopLock,
  deriveHopTweaks,
  openLeftLock,
  recipientLockSecret,
  recoverPaymentSecret,
  setupMultiHopLocks,
} from '../src/multi-hop-locks.js';
import {
  partialSignaturePoint,
  scalarPoint,
  signaturePoint,
  signWithNonce,
} from '../src/pay-for-signature.js';
import { decodeReceiptMessage, encodeReceiptMessage, receiptMessageHash } from '../src/receipt/message.js';
import {
  bindNonce,
  deriveNonceSecrets,
  type PublicNoncePair,
  publicNoncePair,
} from '../src/receipt/nonce.js';
import { completeReceipt, receiptPaymentPoint, signReceipt, verifyReceipt } from '../src/receipt/receipt.js';
import { MemoryUsedNonceStore } from '../src/receipt/store.js';
import { Fn, scalarToBytes } from '../src/scalar.js';
import { getPublicKey } from '../src/schnorr.js';

type Row = Record<string, unknown>;
const h = (row: Row, key: string) => hexToBytes(row[key] as string);
const s = (row: Row, key: string) => row[key] as string;
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

interface ReceiptVectors {
  valid: Row[];
  invalid: Row[];
  refusals: Row[];
}
const receipts = readOurJson<ReceiptVectors>('receipts.json');
const receiptCount = receipts.valid.length + receipts.invalid.length + receipts.refusals.length;

describe(vectorSuite('ours', 'receipts.json', receiptCount), () => {
  it.each(receipts.valid)('valid receipt: $description', (row) => {
    const secretKey = h(row, 'secret_key');
    const nonceSeed = h(row, 'nonce_seed');
    const fields = fieldsFromJson(row.fields as Parameters<typeof fieldsFromJson>[0]);
    const key = getPublicKey(secretKey);
    expect(bytesToHex(key)).toBe(s(row, 'bytes(P)'));
    expect(bytesToHex(encodeReceiptMessage(fields))).toBe(s(row, 'serialization'));
    expect(decodeReceiptMessage(h(row, 'serialization'))).toEqual(fields);
    const m = receiptMessageHash(fields);
    expect(bytesToHex(m)).toBe(s(row, 'm = hash_asyncpay/receipt(serialization)'));
    const secret = deriveNonceSecrets(nonceSeed, key, fields.nonceId);
    const pair = publicNoncePair(secret);
    expect(bytesToHex(pair.R1)).toBe(s(row, 'R1 = k1·G'));
    expect(bytesToHex(pair.R2)).toBe(s(row, 'R2 = k2·G'));
    const bound = bindNonce(key, pair, m);
    expect(bound.negated).toBe(row.nonce_negated);
    const pp = receiptPaymentPoint(key, pair, fields);
    expect(bytesToHex(scalarToBytes(pp.b))).toBe(
      s(row, 'b = hash_asyncpay/receipt/noncecoef(bytes(P) ‖ cbytes(R1) ‖ cbytes(R2) ‖ m) mod n'),
    );
    expect(bytesToHex(pp.R)).toBe(s(row, 'bytes(R), R = lift_x(x(b·R1 + R2))'));
    expect(bytesToHex(scalarToBytes(pp.e))).toBe(
      s(row, 'e = hash_BIP0340/challenge(bytes(R) ‖ bytes(P) ‖ m) mod n'),
    );
    expect(bytesToHex(pp.S)).toBe(s(row, 'S = R + e·P'));
    // s = ±(b·k1 + k2) + e·d, computed here by hand from the listed values
    const d = BigInt(`0x${s(row, 'd = d0 if has_even_y(d0·G) else n − d0')}`);
    const k = Fn.add(Fn.mul(pp.b, secret.k1), secret.k2);
    const sHand = Fn.add(row.nonce_negated ? Fn.neg(k) : k, Fn.mul(pp.e, d));
    expect(bytesToHex(scalarToBytes(sHand))).toBe(s(row, 's = ±(b·k1 + k2) + e·d'));
    expect(scalarPoint(scalarToBytes(sHand))).toEqual(pp.S);
    const signed = signReceipt({
      secretKey,
      nonceSeed,
      fields,
      store: new MemoryUsedNonceStore(),
      lock: pp.S,
    });
    expect(bytesToHex(signed.receipt)).toBe(s(row, 'receipt = bytes(R) ‖ s'));
    expect(completeReceipt(pp, signed.s)).toEqual(signed.receipt);
    expect(schnorr.verify(h(row, 'receipt = bytes(R) ‖ s'), m, key)).toBe(true);
    expect(verifyReceipt(signed.receipt, fields, key)).toBe(true);
  });

  it.each(receipts.invalid)('invalid serialization: $description', (row) => {
    expect(codeOf(() => decodeReceiptMessage(h(row, 'serialization')))).toBe(
      (row.error as { code: string }).code,
    );
  });

  it.each(receipts.refusals)('refused: $description', (row) => {
    const store = new MemoryUsedNonceStore();
    const fields = fieldsFromJson(row.fields as Parameters<typeof fieldsFromJson>[0]);
    for (const id of row.used_nonce_ids as number[]) store.markUsed(BigInt(id), new Uint8Array(32));
    const served = row.served_pair as { id: number; R1: string; R2: string } | undefined;
    const pair: PublicNoncePair | undefined = served && {
      id: BigInt(served.id),
      R1: hexToBytes(served.R1),
      R2: hexToBytes(served.R2),
    };
    const args = { secretKey: h(row, 'secret_key'), nonceSeed: h(row, 'nonce_seed'), fields, store };
    expect(codeOf(() => signReceipt(pair ? { ...args, pair } : args))).toBe(
      (row.error as { code: string }).code,
    );
  });
});

interface PfsVectors {
  bip340: Row[];
  musig2_partial: Row[];
}
const pfs = readOurJson<PfsVectors>('pay-for-signature.json');

describe(vectorSuite('ours', 'pay-for-signature.json', pfs.bip340.length + pfs.musig2_partial.length), () => {
  it.each(pfs.bip340)('signature point: $description', (row) => {
    const seller = h(row, 'seller_secret_key');
    const nonceSecret = h(row, 'nonce_secret');
    const m = h(row, 'message');
    const key = getPublicKey(seller);
    const nonce = getPublicKey(nonceSecret);
    expect(bytesToHex(key)).toBe(s(row, 'bytes(P)'));
    expect(bytesToHex(nonce)).toBe(s(row, 'bytes(R)'));
    const { S, e } = signaturePoint(key, nonce, m);
    expect(bytesToHex(scalarToBytes(e))).toBe(
      s(row, 'e = hash_BIP0340/challenge(bytes(R) ‖ bytes(P) ‖ m) mod n'),
    );
    expect(bytesToHex(S)).toBe(s(row, 'S = lift_x(bytes(R)) + e·lift_x(bytes(P))'));
    const sig = signWithNonce(seller, nonceSecret, m);
    expect(bytesToHex(sig)).toBe(s(row, 'signature = bytes(R) ‖ s'));
    expect(schnorr.verify(sig, m, key)).toBe(true);
    expect(scalarPoint(sig.subarray(32))).toEqual(S);
    const pre = presign(h(row, 'buyer_secret_key'), h(row, 'claim_digest'), S, new Uint8Array(32));
    expect(bytesToHex(pre)).toBe(s(row, 'claim pre-signature (adaptor S, aux 00…)'));
    const claim = adapt(pre, sig.subarray(32));
    expect(bytesToHex(claim)).toBe(s(row, 'claim signature = adapt(pre-signature, s)'));
    expect(bytesToHex(extractSecret(claim, pre, S))).toBe(
      s(row, 's = extractSecret(claim signature, pre-signature)'),
    );
  });

  it.each(pfs.musig2_partial)('partial signature point: $description', (row) => {
    const point = partialSignaturePoint({
      publicKey: h(row, 'P_i'),
      pubnonce: h(row, 'pubnonce'),
      keyAggCoef: h(row, 'a_i = KeyAggCoeff(pk1..u, P_i)'),
      nonceCoef: h(row, 'b = hash_MuSig/noncecoef(aggnonce ‖ bytes(Q) ‖ m) mod n'),
      challenge: h(row, 'e = hash_BIP0340/challenge(bytes(R) ‖ bytes(Q) ‖ m) mod n'),
      finalNonceOddY: row.final_nonce_odd_y as boolean,
      aggregateKeyOddY: row.aggregate_key_odd_y as boolean,
      gacc: row.gacc_is_one ? 1n : Fn.neg(1n),
    });
    expect(bytesToHex(point)).toBe(s(row, 's_i·G = ±(R1_i + b·R2_i) + e·a_i·g·gacc·P_i'));
    expect(point).toEqual(scalarPoint(h(row, 'psig')));
  });
});

interface MhlVectors {
  routes: Row[];
}
const mhl = readOurJson<MhlVectors>('multi-hop-locks.json');

describe(vectorSuite('ours', 'multi-hop-locks.json', mhl.routes.length), () => {
  it.each(mhl.routes)('route: $description', (row) => {
    const hops = row.hops as Row[];
    const n = hops.length;
    const z = h(row, 'z');
    const tweaks = deriveHopTweaks(h(row, 'tweak_seed'), n);
    const setup = setupMultiHopLocks(h(row, 'Z = z·G'), tweaks);
    expect(bytesToHex(scalarPoint(z))).toBe(s(row, 'Z = z·G'));
    setup.hops.forEach((hop, i) => {
      const v = hops[i]!;
      expect(bytesToHex(hop.tweak)).toBe(
        s(v, `y_${i} = hash_asyncpay/multi-hop-lock/tweak(seed ‖ u32(${i})) mod n`),
      );
      expect(bytesToHex(hop.left)).toBe(s(v, `L_${i}`));
      expect(bytesToHex(hop.right)).toBe(s(v, `R_${i} = L_${i} + y_${i}·G`));
      checkHopLock(hop);
      // r_i opens R_i
      expect(scalarPoint(h(v, `r_${i}, secret of R_${i} revealed by hop ${i + 1}`))).toEqual(hop.right);
    });
    expect(bytesToHex(setup.recipientTweak)).toBe(s(row, 'Σ y_i (sent to the recipient)'));
    expect(bytesToHex(setup.recipientLock)).toBe(s(row, 'L_n = Z + (Σ y_i)·G'));
    let secret = recipientLockSecret(z, setup.recipientTweak);
    expect(bytesToHex(secret)).toBe(s(row, 'z + Σ y_i (recipient opens L_n)'));
    for (let i = n - 1; i >= 1; i--) secret = openLeftLock(secret, setup.hops[i]!.tweak, setup.hops[i]!.left);
    expect(bytesToHex(recoverPaymentSecret(secret, setup))).toBe(s(row, 'z = r_0 − y_0 (payer)'));
  });
});
