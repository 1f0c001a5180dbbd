import { readUpstreamCsv, vectorSuite } from '@asyncpay/testkit/vectors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adapt,
  adaptorPoint,
  extractAdaptor,
  extractSecret,
  PRESIGNATURE_LENGTH,
  presign,
  preVerify,
} from '../src/adaptor.js';
import { bytesToHex, hexToBytes } from '../src/bytes.js';
import type { CryptoErrorCode } from '../src/errors.js';
import { N, scalarToBytes } from '../src/scalar.js';
import { getPublicKey, verify } from '../src/schnorr.js';

/** Row 2 of every adaptor CSV is a comment row with empty fields. */
const dataRows = (file: string) => readUpstreamCsv(file).filter((r) => r.index !== '');
const hex = (s: string | undefined) => hexToBytes(s!);
const throwsCode = (fn: () => unknown, code: CryptoErrorCode) =>
  expect(fn).toThrow(expect.objectContaining({ name: 'CryptoError', code }));

const PRESIG = 'schnorr-adaptor/vectors/presig_vectors.csv';
const presigRows = dataRows(PRESIG);
describe(vectorSuite('upstream', PRESIG, presigRows.length), () => {
  it.each(presigRows)('presig vector $index: $comment', (row) => {
    const message = hex(row.message);
    const publicKey = hex(row['public key']);
    const adaptor = hex(row.adaptor);
    const preSignature = hex(row['pre-signature']);
    const expected = row.result === 'TRUE';
    if (row['secret key'] !== '') {
      const secretKey = hex(row['secret key']);
      expect(getPublicKey(secretKey)).toEqual(publicKey);
      expect(bytesToHex(presign(secretKey, message, adaptor, hex(row.aux_rand)))).toBe(
        row['pre-signature']!.toLowerCase(),
      );
    }
    expect(preVerify(message, publicKey, preSignature, adaptor)).toBe(expected);
    if (expected) expect(extractAdaptor(message, publicKey, preSignature)).toEqual(adaptor);
  });
});

const ADAPT = 'schnorr-adaptor/vectors/adapt_vectors.csv';
const adaptRows = dataRows(ADAPT);
describe(vectorSuite('upstream', ADAPT, adaptRows.length), () => {
  it.each(adaptRows)('adapt vector $index: $comment', (row) => {
    const signature = adapt(hex(row['pre-signature']), hex(row.secadaptor));
    expect(bytesToHex(signature)).toBe(row['BIP340 signature']!.toLowerCase());
    expect(verify(signature, hex(row.message), hex(row.pubkey))).toBe(row.result === 'TRUE');
  });
});

const SEC = 'schnorr-adaptor/vectors/secadaptor_vectors.csv';
const secRows = dataRows(SEC);
describe(vectorSuite('upstream', SEC, secRows.length), () => {
  it.each(secRows)('secadaptor vector $index: $comment', (row) => {
    const t = extractSecret(hex(row['BIP340 signature']), hex(row['pre-signature']));
    expect(bytesToHex(t) === row.secadaptor!.toLowerCase()).toBe(row.result === 'TRUE');
  });
});

// --- properties ----------------------------------------------------------------------------------

const scalarBytes = fc.bigInt({ min: 1n, max: N - 1n }).map((k) => scalarToBytes(k));
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const message = fc.uint8Array({ minLength: 0, maxLength: 80 });

describe('Schnorr adaptor signature properties', () => {
  it('adapting a pre-signature with t gives a signature plain BIP-340 verify accepts', () => {
    fc.assert(
      fc.property(scalarBytes, scalarBytes, message, bytes32, (sk, t, m, aux) => {
        const T = adaptorPoint(t);
        const pre = presign(sk, m, T, aux);
        expect(pre.length).toBe(PRESIGNATURE_LENGTH);
        expect(preVerify(m, getPublicKey(sk), pre, T)).toBe(true);
        expect(verify(adapt(pre, t), m, getPublicKey(sk))).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('extracting from the adapted signature and the pre-signature gives back t', () => {
    fc.assert(
      fc.property(scalarBytes, scalarBytes, message, bytes32, (sk, t, m, aux) => {
        const T = adaptorPoint(t);
        const pre = presign(sk, m, T, aux);
        expect(extractSecret(adapt(pre, t), pre, T)).toEqual(t);
      }),
      { numRuns: 25 },
    );
  });

  it('a pre-signature does not verify for another adaptor point or message', () => {
    fc.assert(
      fc.property(scalarBytes, scalarBytes, scalarBytes, bytes32, (sk, t, u, aux) => {
        fc.pre(bytesToHex(t) !== bytesToHex(u));
        const m = new Uint8Array(32).fill(7);
        const pre = presign(sk, m, adaptorPoint(t), aux);
        expect(preVerify(m, getPublicKey(sk), pre, adaptorPoint(u))).toBe(false);
        expect(preVerify(new Uint8Array(32), getPublicKey(sk), pre, adaptorPoint(t))).toBe(false);
      }),
      { numRuns: 10 },
    );
  });
});

// --- malformed inputs ----------------------------------------------------------------------------

describe('Schnorr adaptor functions on random bytes', () => {
  const codeOf = (fn: () => unknown): string => {
    try {
      fn();
      return 'ok';
    } catch (e) {
      if (e instanceof Error && 'code' in e) return String(e.code);
      throw e;
    }
  };
  const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
  const prefixed = fc.tuple(fc.constantFrom(0x02, 0x03, 0x00, 0x04), bytes(64)).map(([p, rest]) => {
    const out = new Uint8Array(65);
    out[0] = p;
    out.set(rest, 1);
    return out;
  });

  it('pre-verify returns a boolean and never throws for well-shaped garbage', () => {
    fc.assert(
      fc.property(bytes(32), bytes(32), prefixed, bytes(33), (m, pk, pre, T) => {
        expect(typeof preVerify(m, pk, pre, T)).toBe('boolean');
      }),
      { numRuns: 40 },
    );
  });

  it('extractAdaptor, adapt and extractSecret fail only with their documented codes', () => {
    fc.assert(
      fc.property(bytes(32), bytes(32), prefixed, bytes(32), bytes(64), (m, pk, pre, t, sig) => {
        expect(['ok', 'INVALID_PRESIGNATURE', 'INVALID_PUBKEY', 'INVALID_ADAPTOR']).toContain(
          codeOf(() => extractAdaptor(m, pk, pre)),
        );
        expect(['ok', 'INVALID_PRESIGNATURE', 'INVALID_SCALAR']).toContain(codeOf(() => adapt(pre, t)));
        expect(['ok', 'INVALID_PRESIGNATURE', 'INVALID_SIGNATURE', 'PRESIGNATURE_MISMATCH']).toContain(
          codeOf(() => extractSecret(sig, pre)),
        );
      }),
      { numRuns: 40 },
    );
  });
});

describe('Schnorr adaptor input checks', () => {
  const sk = new Uint8Array(32).fill(0x41);
  const t = new Uint8Array(32).fill(0x54);
  const m = new Uint8Array(32).fill(0x6d);
  const T = adaptorPoint(t);
  const pre = presign(sk, m, T, new Uint8Array(32));
  const sig = adapt(pre, t);
  const nBytes = scalarToBytes(N - 1n).map((b, i) => (i === 31 ? b + 1 : b));

  it('refuses an adaptor point with a bad prefix with INVALID_ADAPTOR', () => {
    const bad = T.slice();
    bad[0] = 0x04;
    throwsCode(() => presign(sk, m, bad), 'INVALID_ADAPTOR');
  });

  it('refuses a zero secret key with INVALID_SECRET_KEY', () => {
    throwsCode(() => presign(new Uint8Array(32), m, T), 'INVALID_SECRET_KEY');
  });

  it("refuses a pre-signature with s' = n with INVALID_PRESIGNATURE", () => {
    const bad = pre.slice();
    bad.set(nBytes, 33);
    throwsCode(() => adapt(bad, t), 'INVALID_PRESIGNATURE');
    throwsCode(() => extractAdaptor(m, getPublicKey(sk), bad), 'INVALID_PRESIGNATURE');
  });

  it('refuses a pre-signature whose parity byte is 0x04 with INVALID_PRESIGNATURE', () => {
    const bad = pre.slice();
    bad[0] = 0x04;
    throwsCode(() => extractSecret(sig, bad), 'INVALID_PRESIGNATURE');
  });

  it('refuses a public key that is not on the curve with INVALID_PUBKEY', () => {
    const notOnCurve = hexToBytes('EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34');
    throwsCode(() => extractAdaptor(m, notOnCurve, pre), 'INVALID_PUBKEY');
  });

  it('refuses an adaptor secret equal to n with INVALID_SCALAR', () => {
    throwsCode(() => adapt(pre, nBytes), 'INVALID_SCALAR');
  });

  it('refuses a signature with s = n with INVALID_SIGNATURE', () => {
    const bad = sig.slice();
    bad.set(nBytes, 32);
    throwsCode(() => extractSecret(bad, pre), 'INVALID_SIGNATURE');
  });

  it("refuses a signature whose nonce is not the pre-signature's with PRESIGNATURE_MISMATCH", () => {
    const bad = sig.slice();
    bad[0] = (bad[0]! + 1) & 0xff;
    throwsCode(() => extractSecret(bad, pre), 'PRESIGNATURE_MISMATCH');
  });

  it('refuses a secret that does not open the expected adaptor point with SECRET_MISMATCH', () => {
    throwsCode(() => extractSecret(sig, pre, adaptorPoint(sk)), 'SECRET_MISMATCH');
  });

  it('throws RangeError naming the field for a 64-byte pre-signature', () => {
    expect(() => adapt(pre.subarray(0, 64), t)).toThrow(RangeError);
    expect(() => adapt(pre.subarray(0, 64), t)).toThrow(/^preSignature /);
  });

  it('throws TypeError for an adaptor secret given as a string', () => {
    expect(() => adapt(pre, 'aa' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => adapt(pre, 'aa' as unknown as Uint8Array)).toThrow(/^secret /);
  });
});
