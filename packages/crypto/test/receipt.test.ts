import { schnorr } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../src/bytes.js';
import type { CryptoErrorCode } from '../src/errors.js';
import { TAGS, taggedHash } from '../src/hash.js';
import { compressed, mulG } from '../src/point.js';
import {
  decodeReceiptMessage,
  encodeReceiptMessage,
  RECEIPT_FIXED_LENGTH,
  type ReceiptFields,
  receiptMessageHash,
} from '../src/receipt/message.js';
import {
  decodeNoncePair,
  encodeNoncePair,
  issueNoncePairs,
  NONCE_PAIR_LENGTH,
  NoncePairPool,
} from '../src/receipt/nonce.js';
import {
  completeReceipt,
  receiptPaymentPoint,
  signReceipt,
  verifyReceipt,
  verifyReceiptSerialized,
} from '../src/receipt/receipt.js';
import { MemoryUsedNonceStore } from '../src/receipt/store.js';
import { N, scalarToBytes } from '../src/scalar.js';
import { getPublicKey } from '../src/schnorr.js';

const throwsCode = (fn: () => unknown, code: CryptoErrorCode) =>
  expect(fn).toThrow(expect.objectContaining({ name: 'CryptoError', code }));
const filled = (byte: number, length = 32) => new Uint8Array(length).fill(byte);

const alice = filled(0x41);
const bob = filled(0x42);
const bobSeed = filled(0x62);
const bobKey = getPublicKey(bob);
const idOf = (sk: Uint8Array) => compressed(mulG(BigInt(`0x${bytesToHex(sk)}`)));

const fieldsFor = (nonceId: bigint, over: Partial<ReceiptFields> = {}): ReceiptFields => ({
  payerId: idOf(alice),
  payeeId: idOf(bob),
  amountMsat: 50_000_000n,
  offerId: filled(0x6f),
  timestamp: 1_675_000_000n,
  nonceId,
  note: 'Alice paid Bob 50000 sats',
  ...over,
});

describe('receipt message serialization', () => {
  it('puts every field at its documented offset', () => {
    const f = fieldsFor(0x0102030405060708n, { note: 'é' });
    const bytes = encodeReceiptMessage(f);
    expect(bytes.length).toBe(RECEIPT_FIXED_LENGTH + 2);
    expect(bytes.subarray(0, 33)).toEqual(f.payerId);
    expect(bytes.subarray(33, 66)).toEqual(f.payeeId);
    expect(bytesToHex(bytes.subarray(66, 74))).toBe('0000000002faf080');
    expect(bytes.subarray(74, 106)).toEqual(f.offerId);
    expect(bytesToHex(bytes.subarray(106, 114))).toBe('0000000063d678c0');
    expect(bytesToHex(bytes.subarray(114, 122))).toBe('0102030405060708');
    expect(bytesToHex(bytes.subarray(122))).toBe('0002c3a9');
  });

  it('hashes the serialization with the tag asyncpay/receipt', () => {
    const f = fieldsFor(7n);
    expect(receiptMessageHash(f)).toEqual(taggedHash('asyncpay/receipt', encodeReceiptMessage(f)));
    expect(TAGS.receipt).toBe('asyncpay/receipt');
  });

  it('decodes what it encodes, for any amounts, times, ids and notes', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (amountMsat, timestamp, nonceId, note, offerId) => {
          const f = fieldsFor(nonceId, { amountMsat, timestamp, note, offerId });
          expect(decodeReceiptMessage(encodeReceiptMessage(f))).toEqual(f);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses a serialization with trailing bytes with INVALID_RECEIPT_MESSAGE', () => {
    const bytes = encodeReceiptMessage(fieldsFor(1n));
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    throwsCode(() => decodeReceiptMessage(longer), 'INVALID_RECEIPT_MESSAGE');
  });

  it('refuses a note that is not well-formed UTF-8 with INVALID_RECEIPT_MESSAGE', () => {
    const bytes = encodeReceiptMessage(fieldsFor(1n, { note: 'ab' }));
    bytes[bytes.length - 1] = 0xff;
    throwsCode(() => decodeReceiptMessage(bytes), 'INVALID_RECEIPT_MESSAGE');
  });

  it('refuses a payer id that is not a curve point with INVALID_RECEIPT_MESSAGE', () => {
    const payerId = filled(0x02, 33);
    payerId.fill(0xff, 1);
    throwsCode(() => encodeReceiptMessage(fieldsFor(1n, { payerId })), 'INVALID_RECEIPT_MESSAGE');
  });

  it('throws RangeError for an amount that does not fit in a u64', () => {
    expect(() => encodeReceiptMessage(fieldsFor(1n, { amountMsat: 1n << 64n }))).toThrow(RangeError);
  });
});

describe('receipt nonce pairs', () => {
  it('encode to 74 bytes and decode back', () => {
    const [pair] = issueNoncePairs(bobSeed, bob, 12345n, 1);
    const bytes = encodeNoncePair(pair!);
    expect(bytes.length).toBe(NONCE_PAIR_LENGTH);
    expect(decodeNoncePair(bytes)).toEqual(pair);
  });

  it('are handed out by the LSP pool once each, then NONCE_POOL_EXHAUSTED', () => {
    const pool = new NoncePairPool(issueNoncePairs(bobSeed, bob, 0n, 2));
    expect(pool.take().id).toBe(0n);
    expect(pool.take().id).toBe(1n);
    expect(pool.remaining).toBe(0);
    throwsCode(() => pool.take(), 'NONCE_POOL_EXHAUSTED');
  });
});

describe('receipt flow (Towns 2023)', () => {
  it('gives the payer a receipt that plain BIP-340 verify accepts and whose s opens S', () => {
    const pool = new NoncePairPool(issueNoncePairs(bobSeed, bob, 12345n, 1));
    const pair = pool.take();
    const fields = fieldsFor(pair.id);
    const point = receiptPaymentPoint(bobKey, pair, fields);
    const store = new MemoryUsedNonceStore();
    const signed = signReceipt({ secretKey: bob, nonceSeed: bobSeed, fields, store, pair, lock: point.S });
    expect(signed.S).toEqual(point.S);
    const receipt = completeReceipt(point, signed.s);
    expect(receipt).toEqual(signed.receipt);
    expect(schnorr.verify(receipt, receiptMessageHash(fields), bobKey)).toBe(true);
    expect(verifyReceipt(receipt, fields, bobKey)).toBe(true);
    expect(verifyReceipt(receipt, { ...fields, amountMsat: 1n }, bobKey)).toBe(false);
    expect(store.isUsed(pair.id)).toBe(true);
    const serialized = verifyReceiptSerialized(receipt, encodeReceiptMessage(fields), bobKey);
    expect(serialized).toEqual({ valid: true, fields });
  });

  it('refuses a malformed serialized message before verifying, with INVALID_RECEIPT_MESSAGE', () => {
    const bytes = encodeReceiptMessage(fieldsFor(1n));
    throwsCode(
      () => verifyReceiptSerialized(new Uint8Array(64), bytes.subarray(0, 100), bobKey),
      'INVALID_RECEIPT_MESSAGE',
    );
  });

  it('works for keys and nonces of either y parity (the even-y negations)', () => {
    const seen = { keyOdd: false, keyEven: false, nonceOdd: false, nonceEven: false };
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: N - 1n }), fc.bigInt({ min: 0n, max: 1n << 40n }), (k, id) => {
        const sk = scalarToBytes(k);
        const key = getPublicKey(sk);
        const [pair] = issueNoncePairs(bobSeed, sk, id, 1);
        const fields = fieldsFor(id);
        const point = receiptPaymentPoint(key, pair!, fields);
        const { s } = signReceipt({
          secretKey: sk,
          nonceSeed: bobSeed,
          fields,
          store: new MemoryUsedNonceStore(),
        });
        expect(schnorr.verify(completeReceipt(point, s), point.message, key)).toBe(true);
        const keyOdd = mulG(k).toAffine().y % 2n === 1n;
        seen[keyOdd ? 'keyOdd' : 'keyEven'] = true;
        seen[point.nonceNegated ? 'nonceOdd' : 'nonceEven'] = true;
      }),
      { numRuns: 24 },
    );
    expect(seen).toEqual({ keyOdd: true, keyEven: true, nonceOdd: true, nonceEven: true });
  });

  it('refuses a second receipt on the same nonce id with NONCE_REUSED', () => {
    const store = new MemoryUsedNonceStore();
    signReceipt({ secretKey: bob, nonceSeed: bobSeed, fields: fieldsFor(9n), store });
    throwsCode(
      () =>
        signReceipt({ secretKey: bob, nonceSeed: bobSeed, fields: fieldsFor(9n, { amountMsat: 1n }), store }),
      'NONCE_REUSED',
    );
  });

  it('refuses a nonce pair the recipient never issued with NONCE_UNKNOWN (the payer cannot pick it)', () => {
    const [forged] = issueNoncePairs(filled(0x41), bob, 3n, 1); // made with Alice's seed, not Bob's
    const store = new MemoryUsedNonceStore();
    throwsCode(
      () => signReceipt({ secretKey: bob, nonceSeed: bobSeed, fields: fieldsFor(3n), store, pair: forged! }),
      'NONCE_UNKNOWN',
    );
    expect(store.isUsed(3n)).toBe(false);
  });

  it('refuses a PTLC locked to another point with LOCK_MISMATCH, leaving the nonce unused', () => {
    const store = new MemoryUsedNonceStore();
    throwsCode(
      () =>
        signReceipt({ secretKey: bob, nonceSeed: bobSeed, fields: fieldsFor(4n), store, lock: idOf(alice) }),
      'LOCK_MISMATCH',
    );
    expect(store.isUsed(4n)).toBe(false);
  });

  it('refuses a scalar that does not open S with LOCK_MISMATCH', () => {
    const [pair] = issueNoncePairs(bobSeed, bob, 5n, 1);
    const point = receiptPaymentPoint(bobKey, pair!, fieldsFor(5n));
    throwsCode(() => completeReceipt(point, filled(0x01)), 'LOCK_MISMATCH');
  });

  it('refuses fields whose nonce id is not the served pair with INVALID_RECEIPT_MESSAGE', () => {
    const [pair] = issueNoncePairs(bobSeed, bob, 5n, 1);
    throwsCode(() => receiptPaymentPoint(bobKey, pair!, fieldsFor(6n)), 'INVALID_RECEIPT_MESSAGE');
  });

  it('refuses a payee key that is not on the curve with INVALID_PUBKEY', () => {
    const [pair] = issueNoncePairs(bobSeed, bob, 5n, 1);
    throwsCode(() => receiptPaymentPoint(filled(0xff), pair!, fieldsFor(5n)), 'INVALID_PUBKEY');
  });
});
