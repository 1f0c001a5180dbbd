import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { concatBytes, hexToBytes, utf8ToBytes } from '../src/bytes.js';
import { CryptoError } from '../src/errors.js';
import { TAGS, taggedHash } from '../src/hash.js';
import {
  compressed,
  compressedExt,
  evenYKey,
  G,
  hasEvenY,
  liftX,
  Point,
  parseCompressed,
  parseCompressedExt,
  xOnly,
} from '../src/point.js';
import {
  N,
  nonzeroScalarFromBytes,
  scalarFromBytes,
  scalarFromHash,
  scalarToBytes,
  toScalar,
} from '../src/scalar.js';

const P_FIELD = hexToBytes('FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F');
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof CryptoError ? { code: e.code, field: e.field } : String(e);
  }
  return 'ok';
};

describe('point helpers', () => {
  it('lift an x coordinate to the even-y point, as BIP-340 lift_x does', () => {
    const P = liftX(xOnly(G), 'x');
    expect(hasEvenY(P)).toBe(true);
    expect(P.equals(G)).toBe(true);
    expect(hasEvenY(G.negate())).toBe(false);
  });

  it('refuse x = p with the caller’s code and field', () => {
    expect(code(() => liftX(P_FIELD, 'publicKey', 'INVALID_PUBKEY'))).toEqual({
      code: 'INVALID_PUBKEY',
      field: 'publicKey',
    });
  });

  it('parse 33 zero bytes as infinity only in the _ext variant', () => {
    const zero = new Uint8Array(33);
    expect(parseCompressedExt(zero, 'R').is0()).toBe(true);
    expect(compressedExt(Point.ZERO)).toEqual(zero);
    expect(code(() => parseCompressed(zero, 'R'))).toEqual({ code: 'INVALID_POINT', field: 'R' });
  });

  it('refuse an uncompressed prefix in a 33-byte encoding', () => {
    const bad = compressed(G);
    bad[0] = 0x04;
    expect(code(() => parseCompressed(bad, 'T', 'INVALID_ADAPTOR'))).toEqual({
      code: 'INVALID_ADAPTOR',
      field: 'T',
    });
  });

  it('give the point at infinity no x-only or compressed encoding', () => {
    expect(code(() => xOnly(Point.ZERO))).toMatchObject({ code: 'INVALID_POINT' });
    expect(code(() => compressed(Point.ZERO))).toMatchObject({ code: 'INVALID_POINT' });
  });

  it('normalize a secret key to even y by negation (BIP-340 d = n − d0)', () => {
    const odd = evenYKey(0x4242n); // whatever its parity, the result has even y and d·G = P
    expect(hasEvenY(odd.P)).toBe(true);
    expect(G.multiply(odd.d).equals(odd.P)).toBe(true);
  });
});

describe('scalar helpers', () => {
  it('refuse 32 bytes equal to n, and zero where zero is not allowed', () => {
    const n = scalarToBytes(N - 1n);
    n[31]! += 1;
    expect(code(() => scalarFromBytes(n, 's'))).toEqual({ code: 'INVALID_SCALAR', field: 's' });
    expect(code(() => nonzeroScalarFromBytes(new Uint8Array(32), 'k', 'INVALID_SECNONCE'))).toEqual({
      code: 'INVALID_SECNONCE',
      field: 'k',
    });
  });

  it('reduce hash outputs mod n', () => {
    expect(scalarFromHash(new Uint8Array(32).fill(0xff))).toBe(2n ** 256n - 1n - N);
  });

  it('accept a scalar as bytes or bigint', () => {
    expect(toScalar(5n, 'a')).toBe(5n);
    expect(toScalar(scalarToBytes(5n), 'a')).toBe(5n);
    expect(() => toScalar(-1n, 'a')).toThrow(RangeError);
    expect(code(() => toScalar(N, 'a'))).toMatchObject({ code: 'INVALID_SCALAR' });
  });

  it('compute tagged hashes as SHA256(SHA256(tag) ‖ SHA256(tag) ‖ x)', () => {
    const tag = sha256(utf8ToBytes(TAGS.receipt));
    const x = new Uint8Array([1, 2, 3]);
    expect(taggedHash(TAGS.receipt, x)).toEqual(sha256(concatBytes(tag, tag, x)));
  });
});
