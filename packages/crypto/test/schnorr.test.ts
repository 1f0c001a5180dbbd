import { readUpstreamCsv, vectorSuite } from '@asyncpay/testkit/vectors';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../src/bytes.js';
import { CryptoError } from '../src/errors.js';
import { getPublicKey, sign, verify } from '../src/schnorr.js';

const FILE = 'bips/bip-0340/test-vectors.csv';
const rows = readUpstreamCsv(FILE);

describe(vectorSuite('upstream', FILE, rows.length), () => {
  it.each(rows)('BIP-340 vector $index: $comment', (row) => {
    const message = hexToBytes(row.message!);
    const publicKey = hexToBytes(row['public key']!);
    const signature = hexToBytes(row.signature!);
    const expected = row['verification result'] === 'TRUE';
    if (row['secret key'] !== '') {
      const secretKey = hexToBytes(row['secret key']!);
      expect(getPublicKey(secretKey)).toEqual(publicKey);
      expect(sign(message, secretKey, hexToBytes(row.aux_rand!))).toEqual(signature);
    }
    expect(verify(signature, message, publicKey)).toBe(expected);
  });
});

describe('BIP-340 wrapper input checks', () => {
  const sk = new Uint8Array(32).fill(0x41);

  it('refuses a zero secret key with INVALID_SECRET_KEY', () => {
    expect(() => sign(new Uint8Array(32), new Uint8Array(32))).toThrow(
      expect.objectContaining({ code: 'INVALID_SECRET_KEY', field: 'secretKey' }),
    );
  });

  it('refuses a secret key equal to n with INVALID_SECRET_KEY', () => {
    const n = hexToBytes('FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141');
    expect(() => getPublicKey(n)).toThrow(CryptoError);
    expect(() => getPublicKey(n)).toThrow(expect.objectContaining({ code: 'INVALID_SECRET_KEY' }));
  });

  it('throws RangeError naming the field for a short signature', () => {
    expect(() => verify(new Uint8Array(63), new Uint8Array(32), getPublicKey(sk))).toThrow(RangeError);
    expect(() => verify(new Uint8Array(63), new Uint8Array(32), getPublicKey(sk))).toThrow(/^signature /);
  });

  it('throws TypeError for a message that is not a Uint8Array', () => {
    expect(() => sign('hello' as unknown as Uint8Array, sk)).toThrow(TypeError);
    expect(() => sign('hello' as unknown as Uint8Array, sk)).toThrow(/^message /);
  });

  it('throws RangeError for aux randomness that is not 32 bytes', () => {
    expect(() => sign(new Uint8Array(32), sk, new Uint8Array(31))).toThrow(RangeError);
    expect(() => sign(new Uint8Array(32), sk, new Uint8Array(31))).toThrow(/^auxRand /);
  });
});
