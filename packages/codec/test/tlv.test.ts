import { readUpstreamJson, vectorSuite } from '@asyncpay/testkit/vectors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBigSize } from '../src/bigsize.js';
import { concatBytes, fromHex, Reader, toHex, Writer } from '../src/bytes.js';
import { DecodeError, type DecodeErrorCode } from '../src/errors.js';
import {
  formatShortChannelId,
  point,
  type ShortChannelId,
  shortChannelId,
  signed,
  struct,
  tu32,
  tu64,
  u16,
  u64,
} from '../src/fundamental.js';
import { decodeTlvStream, encodeTlvRecords, readTlvRecords, type TlvTable, tlv } from '../src/tlv.js';
import { decodeInit } from '../src/wire/init.js';

const FILE = 'bolts/extracted/bolt01-tlv-test-vectors.json';

interface Vector {
  valid: boolean;
  stream: string;
  reason?: string;
  values_parsed?: Record<string, Record<string, number | string>>;
}
interface Group {
  section: string;
  intro: string;
  namespaces: ('n1' | 'n2')[];
  vectors: Vector[];
}
interface File {
  groups: Group[];
  init_message_extension: {
    valid: { message: string; description: string }[];
    invalid: { message: string; description: string }[];
  };
}

// The two namespaces of BOLT 1 Appendix B.
// prettier-ignore
const n1 = {
  tlv1: tlv(1n, 'tlv1', struct<{ amount_msat: bigint }>({ amount_msat: tu64 })),
  tlv2: tlv(2n, 'tlv2', struct<{ scid: ShortChannelId }>({ scid: shortChannelId })),
  tlv3: tlv(
    3n,
    'tlv3',
    struct<{ node_id: Uint8Array; amount_msat_1: bigint; amount_msat_2: bigint }>({
      node_id: point,
      amount_msat_1: u64,
      amount_msat_2: u64,
    }),
  ),
  tlv4: tlv(254n, 'tlv4', struct<{ cltv_delta: number }>({ cltv_delta: u16 })),
} as const satisfies TlvTable;
// prettier-ignore
const n2 = {
  tlv1: tlv(0n, 'tlv1', struct<{ amount_msat: bigint }>({ amount_msat: tu64 })),
  tlv2: tlv(11n, 'tlv2', struct<{ cltv_expiry: bigint }>({ cltv_expiry: tu32 })),
} as const satisfies TlvTable;
const tables = { n1, n2 };

/** The error each vector's stated reason corresponds to. */
function expectedCode(reason: string): DecodeErrorCode {
  // prettier-ignore
  const map: [RegExp, DecodeErrorCode][] = [
    [/type truncated|missing length|length truncated|less than encoding length/, 'UNEXPECTED_EOF'],
    [/not minimally encoded (type|length)/, 'BIGSIZE_NOT_MINIMAL'],
    [/missing value|value truncated/, 'TLV_LENGTH_OVERFLOW'],
    [/unknown even/, 'TLV_UNKNOWN_EVEN_TYPE'],
    [/greater than encoding length for `n1`s `tlv1`/, 'INT_TOO_LONG'],
    [/greater than encoding length/, 'TRAILING_BYTES'],
    [/is not minimal/, 'TRUNCATED_INT_NOT_MINIMAL'],
    [/not a valid point/, 'INVALID_POINT'],
    [/invalid ordering|duplicate/, 'TLV_TYPE_NOT_INCREASING'],
  ];
  const hit = map.find(([re]) => re.test(reason));
  if (!hit) throw new Error(`no error code mapped for reason: ${reason}`);
  return hit[1];
}

/** The error each invalid `init` extension is refused with, from its description. */
function initCode(description: string): DecodeErrorCode {
  // prettier-ignore
  const map: [RegExp, DecodeErrorCode][] = [
    [/truncated/, 'UNEXPECTED_EOF'],
    [/unknown _even_/, 'TLV_UNKNOWN_EVEN_TYPE'],
    [/duplicate/, 'TLV_TYPE_NOT_INCREASING'],
  ];
  const hit = map.find(([re]) => re.test(description));
  if (!hit) throw new Error(`no error code mapped for init case: ${description}`);
  return hit[1];
}

/**
 * The error `valid ‖ bad` fails with: BOLT 1 checks the order as soon as a type is read, so when the
 * first type of `bad` reads and is not above the last type of `valid` the order check fires first;
 * otherwise `bad` fails for its own reason.
 */
function appendedCode(valid: string, bad: Vector): DecodeErrorCode {
  const lastValid = readTlvRecords(fromHex(valid)).at(-1)!.type;
  let firstBad: bigint | undefined;
  try {
    firstBad = readBigSize(new Reader(fromHex(bad.stream)));
  } catch {
    firstBad = undefined;
  }
  if (firstBad !== undefined && firstBad <= lastValid) return 'TLV_TYPE_NOT_INCREASING';
  return expectedCode(bad.reason ?? '');
}

function normalize(v: unknown): unknown {
  if (typeof v === 'bigint' || typeof v === 'number') return v.toString();
  if (v instanceof Uint8Array) return toHex(v);
  if (v && typeof v === 'object' && 'block' in v) return formatShortChannelId(v as ShortChannelId);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

const file = readUpstreamJson<File>(FILE);
const cases = file.groups.flatMap((g) =>
  g.vectors.flatMap((v) => g.namespaces.map((ns) => ({ ...v, ns, section: g.section }))),
);
const initCases = [...file.init_message_extension.valid, ...file.init_message_extension.invalid];

describe(vectorSuite('upstream', FILE, cases.length + initCases.length), () => {
  it.each(cases)('$section, $ns: $stream', (c) => {
    const decode = () => decodeTlvStream(fromHex(c.stream), tables[c.ns]);
    if (!c.valid) {
      expect(decode).toThrowError(expect.objectContaining({ code: expectedCode(c.reason ?? '') }));
      return;
    }
    const got = decode();
    const expected = c.values_parsed ?? {};
    // scids are written BLOCKxTXxOUT in the vectors (`0x0x550`)
    const values = normalize(got.values) as Record<string, unknown>;
    expect(values).toEqual(normalize(expected));
    // the stream re-encodes to the same bytes
    expect(toHex(encodeTlvRecords(got.records))).toBe(c.stream);
  });

  it.each(file.init_message_extension.valid)('init: $description', (c) => {
    const init = decodeInit(fromHex(c.message));
    expect(init.tlvs.records.length).toBe(init.tlvs.unknown.length);
  });
  it.each(file.init_message_extension.invalid)('init rejects: $description', (c) => {
    expect(() => decodeInit(fromHex(c.message))).toThrow(DecodeError);
    expect(() => decodeInit(fromHex(c.message))).toThrowError(
      expect.objectContaining({ code: initCode(c.description) }),
    );
  });
});

describe('BOLT 1 general rules over every pair of vectors', () => {
  const valid = cases.filter((c) => c.valid && c.ns === 'n1' && c.stream !== '');
  const invalid = cases.filter((c) => !c.valid && c.ns === 'n1');
  it('appending an invalid stream to a valid stream fails to decode', () => {
    for (const v of valid) {
      for (const bad of invalid) {
        const append = () => decodeTlvStream(fromHex(v.stream + bad.stream), n1);
        expect(append).toThrow(DecodeError);
        expect(append).toThrowError(expect.objectContaining({ code: appendedCode(v.stream, bad) }));
      }
    }
  });
  it('appending a higher-numbered valid stream to a lower-numbered one decodes', () => {
    let pairs = 0;
    for (const a of valid) {
      for (const b of valid) {
        const [ra, rb] = [readTlvRecords(fromHex(a.stream)), readTlvRecords(fromHex(b.stream))];
        if (ra.at(-1)!.type >= rb[0]!.type) continue;
        pairs++;
        expect(() => decodeTlvStream(fromHex(a.stream + b.stream), n1)).not.toThrow();
      }
    }
    expect(pairs).toBeGreaterThan(10);
  });
});

const signedCases = readUpstreamJson<{ value: number | string; bytes: string }[]>(
  'bolts/extracted/bolt01-signed-integers.json',
);
describe(vectorSuite('upstream', 'bolts/extracted/bolt01-signed-integers.json', signedCases.length), () => {
  it.each(signedCases)('$value ⇄ $bytes', (c) => {
    const size = (c.bytes.length / 2) as 1 | 2 | 4 | 8;
    const codec = signed(size);
    const w = new Writer();
    codec.write(w, BigInt(c.value));
    expect(toHex(w.finish())).toBe(c.bytes);
    expect(codec.read(new Reader(fromHex(c.bytes)), 'v')).toBe(BigInt(c.value));
  });
});

describe('TLV engine properties', () => {
  const record = fc.record({
    type: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    value: fc.uint8Array({ maxLength: 300 }),
  });
  it('any strictly increasing record list round-trips', () => {
    fc.assert(
      fc.property(fc.uniqueArray(record, { selector: (r) => r.type, maxLength: 8 }), (recs) => {
        const sorted = [...recs].sort((a, b) => (a.type < b.type ? -1 : 1));
        const bytes = encodeTlvRecords(sorted);
        const back = readTlvRecords(bytes);
        expect(back.map((r) => [r.type, toHex(r.value)])).toEqual(
          sorted.map((r) => [r.type, toHex(r.value)]),
        );
      }),
    );
  });
  it('random bytes either decode or throw a DecodeError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        try {
          decodeTlvStream(b, n1);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 2000 },
    );
  });
  it('a huge declared length fails without allocating', () => {
    const b = concatBytes(fromHex('01'), fromHex('fe7fffffff'));
    expect(() => readTlvRecords(b)).toThrowError(expect.objectContaining({ code: 'TLV_LENGTH_OVERFLOW' }));
  });
});
