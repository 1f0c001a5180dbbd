import { readUpstreamJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { describe, expect, it } from 'vitest';
import { encodeBigSize, readBigSize } from '../src/bigsize.js';
import { fromHex, Reader, toHex } from '../src/bytes.js';
import { DecodeError } from '../src/errors.js';

interface Case {
  name: string;
  value: number | string;
  bytes: string;
  exp_error?: string;
}

const decoding = readUpstreamJson<Case[]>('bolts/extracted/bolt01-bigsize-decoding.json');
const encoding = readUpstreamJson<Case[]>('bolts/extracted/bolt01-bigsize-encoding.json');

describe(vectorSuite('upstream', 'bolts/extracted/bolt01-bigsize-decoding.json', decoding.length), () => {
  it.each(decoding)('$name', (c) => {
    const read = () => {
      const r = new Reader(fromHex(c.bytes));
      return readBigSize(r);
    };
    if (c.exp_error) {
      expect(read).toThrow(DecodeError);
      const code = c.exp_error.includes('canonical') ? 'BIGSIZE_NOT_MINIMAL' : 'UNEXPECTED_EOF';
      expect(() => read()).toThrowError(expect.objectContaining({ code }));
    } else expect(read()).toBe(BigInt(c.value));
  });
});

describe(vectorSuite('upstream', 'bolts/extracted/bolt01-bigsize-encoding.json', encoding.length), () => {
  it.each(encoding)('$name', (c) => {
    expect(toHex(encodeBigSize(BigInt(c.value)))).toBe(c.bytes);
  });
});
