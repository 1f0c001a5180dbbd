import { typedErrors } from '@asyncpay/testkit/expect';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ASYNC_MESSAGE_KINDS,
  ASYNC_MESSAGE_TYPES,
  type AsyncMessageKind,
  asyncMessageKindOf,
} from '../src/async/framing.js';
import { decodeHeldHtlcAvailable, encodeHeldHtlcAvailable } from '../src/async/held-htlc-available.js';
import { type AsyncPaymentMessage, decodeAsyncMessage, encodeAsyncMessage } from '../src/async/message.js';
import { decodeOfferPaths, encodeOfferPaths } from '../src/async/offer-paths.js';
import { decodeOfferPathsRequest, encodeOfferPathsRequest } from '../src/async/offer-paths-request.js';
import { decodeReleaseHeldHtlc, encodeReleaseHeldHtlc } from '../src/async/release-held-htlc.js';
import { decodeServeStaticInvoice, encodeServeStaticInvoice } from '../src/async/serve-static-invoice.js';
import {
  decodeStaticInvoicePersisted,
  encodeStaticInvoicePersisted,
} from '../src/async/static-invoice-persisted.js';
import { encodeBigSize } from '../src/bigsize.js';
import { type BlindedPath, encodeBlindedPath } from '../src/blinded-path.js';
import { concatBytes, fromHex, toHex } from '../src/bytes.js';
import { CodecError } from '../src/errors.js';
import type { WireProfile } from '../src/profile.js';
import { encodeTlvRecords, readTlvRecords, type TlvRecord } from '../src/tlv.js';

/** The whole `onionmsg_tlv` record (type ‖ length ‖ value) as hex. */
const recordHex = (rec: TlvRecord) => toHex(encodeTlvRecords([rec]));
/** Parse one whole record from hex. */
const record = (hex: string): TlvRecord => {
  const recs = readTlvRecords(fromHex(hex));
  expect(recs).toHaveLength(1);
  return recs[0]!;
};
const person = (byte: number) => secp256k1.getPublicKey(new Uint8Array(32).fill(byte));
const ALICE = person(0x41);
const BOB = person(0x42);
const CAROL = person(0x43);

const path: BlindedPath = {
  introductionNode: { nodeId: ALICE },
  pathKey: BOB,
  hops: [{ blindedNodeId: CAROL, encryptedData: fromHex('eeee') }],
};
const scidPath: BlindedPath = {
  introductionNode: { direction: 1, scid: { block: 700_000, txIndex: 12, output: 1 } },
  pathKey: CAROL,
  hops: [
    { blindedNodeId: ALICE, encryptedData: new Uint8Array(0) },
    { blindedNodeId: BOB, encryptedData: fromHex('0102030405') },
  ],
};

const { expectCode } = typedErrors(CodecError);

describe('htlc-async digest §1 worked encodings', () => {
  it('encodes an empty held_htlc_available as 48 01 00 in the LDK profile and 48 00 in the spec profile', () => {
    expect(recordHex(encodeHeldHtlcAvailable({}, 'ldk'))).toBe('480100');
    expect(recordHex(encodeHeldHtlcAvailable({}, 'spec'))).toBe('4800');
    expect(decodeHeldHtlcAvailable(record('480100'), 'ldk')).toEqual({});
    expect(decodeHeldHtlcAvailable(record('4800'), 'spec')).toEqual({});
  });

  it('encodes release_held_htlc as 4a 01 00 (LDK) and 4a 00 (spec)', () => {
    expect(recordHex(encodeReleaseHeldHtlc({}, 'ldk'))).toBe('4a0100');
    expect(recordHex(encodeReleaseHeldHtlc({}, 'spec'))).toBe('4a00');
    expect(decodeReleaseHeldHtlc(record('4a0100'), 'ldk')).toEqual({});
  });

  it('encodes static_invoice_persisted as fe0001271a 01 00 (LDK) and fe0001000a 00 (spec)', () => {
    expect(recordHex(encodeStaticInvoicePersisted({}, 'ldk'))).toBe('fe0001271a0100');
    expect(recordHex(encodeStaticInvoicePersisted({}, 'spec'))).toBe('fe0001000a00');
    expect(decodeStaticInvoicePersisted(record('fe0001271a0100'))).toEqual({});
  });

  it('encodes offer_paths_request{invoice_slot=3} as fe00012714 05 04 0002 0003 (LDK)', () => {
    expect(recordHex(encodeOfferPathsRequest({ invoiceSlot: 3 }, 'ldk'))).toBe('fe0001271405040002' + '0003');
    expect(recordHex(encodeOfferPathsRequest({ invoiceSlot: 3 }, 'spec'))).toBe(
      'fe00010004' + '04' + '00020003',
    );
    expect(decodeOfferPathsRequest(record('fe00012714050400020003'))).toEqual({ invoiceSlot: 3 });
  });

  it('lays out offer_paths as BigSize(l) ‖ 00 len paths ‖ 02 08 u64-BE expiry (LDK)', () => {
    const paths = concatBytes(encodeBlindedPath(path), encodeBlindedPath(scidPath));
    const inner = concatBytes(fromHex('00'), encodeBigSize(paths.length), paths);
    const expiry = fromHex('0208000000006b49d200');
    const value = concatBytes(encodeBigSize(inner.length + expiry.length), inner, expiry);
    const rec = encodeOfferPaths({ paths: [path, scidPath], pathsAbsoluteExpiry: 1_800_000_000n }, 'ldk');
    expect(rec.type).toBe(75542n);
    expect(toHex(rec.value)).toBe(toHex(value));
    expect(decodeOfferPaths(rec)).toEqual({ paths: [path, scidPath], pathsAbsoluteExpiry: 1_800_000_000n });
    const spec = encodeOfferPaths({ paths: [path] }, 'spec');
    expect(spec.type).toBe(65542n);
    expect(toHex(spec.value)).toBe(
      `00${toHex(encodeBigSize(encodeBlindedPath(path).length))}${toHex(encodeBlindedPath(path))}`,
    );
  });

  it('lays out serve_static_invoice as 00 len invoice ‖ 02 len blinded_path', () => {
    const invoice = fromHex(`b02102${'11'.repeat(32)}`);
    const p = encodeBlindedPath(path);
    const inner = `00${toHex(encodeBigSize(invoice.length))}${toHex(invoice)}02${toHex(encodeBigSize(p.length))}${toHex(p)}`;
    const spec = encodeServeStaticInvoice({ invoice, forwardInvoiceRequestPath: path }, 'spec');
    expect(spec.type).toBe(65544n);
    expect(toHex(spec.value)).toBe(inner);
    const ldk = encodeServeStaticInvoice({ invoice, forwardInvoiceRequestPath: path }, 'ldk');
    expect(ldk.type).toBe(75544n);
    expect(toHex(ldk.value)).toBe(toHex(encodeBigSize(inner.length / 2)) + inner);
    expect(decodeServeStaticInvoice(ldk)).toEqual({ invoice, forwardInvoiceRequestPath: path });
  });
});

describe('strict reading', () => {
  it('fails a bare 48 00 in the LDK profile with UNEXPECTED_EOF', () => {
    expectCode(() => decodeHeldHtlcAvailable(record('4800'), 'ldk'), 'UNEXPECTED_EOF');
  });

  it('fails 48 01 00 in the spec profile, where 00 is a truncated inner record', () => {
    expectCode(() => decodeHeldHtlcAvailable(record('480100'), 'spec'), 'UNEXPECTED_EOF');
  });

  it('fails an LDK length prefix larger than the record with UNEXPECTED_EOF', () => {
    expectCode(() => decodeHeldHtlcAvailable(record('480102'), 'ldk'), 'UNEXPECTED_EOF');
  });

  it('fails bytes after the LDK length-prefixed stream with TRAILING_BYTES', () => {
    expectCode(() => decodeHeldHtlcAvailable(record('48020000'), 'ldk'), 'TRAILING_BYTES');
  });

  it('fails a non-minimal LDK length prefix with BIGSIZE_NOT_MINIMAL', () => {
    expectCode(() => decodeHeldHtlcAvailable(record('4803fd0000'), 'ldk'), 'BIGSIZE_NOT_MINIMAL');
  });

  it('fails an unknown even inner type with TLV_UNKNOWN_EVEN_TYPE', () => {
    expectCode(() => decodeHeldHtlcAvailable(record('4803020200'), 'ldk'), 'TLV_UNKNOWN_EVEN_TYPE');
    expectCode(() => decodeReleaseHeldHtlc(record('4a020000'), 'spec'), 'TLV_UNKNOWN_EVEN_TYPE');
    expectCode(
      () => decodeOfferPathsRequest(record('fe0001271408070002000304012a')),
      'TLV_UNKNOWN_EVEN_TYPE',
    );
  });

  it('keeps unknown odd inner types and writes them back', () => {
    const rec = record('fe0001271409080002000305022a2b');
    const msg = decodeOfferPathsRequest(rec);
    expect(msg.invoiceSlot).toBe(3);
    expect(msg.unknown?.map((u) => [u.type, toHex(u.value)])).toEqual([[5n, '2a2b']]);
    expect(recordHex(encodeOfferPathsRequest(msg))).toBe('fe0001271409080002000305022a2b');
  });

  it('fails offer_paths_request without invoice_slot with MISSING_FIELD', () => {
    expectCode(() => decodeOfferPathsRequest(record('fe000127140100')), 'MISSING_FIELD');
  });

  it('fails an invoice_slot of the wrong length with TRAILING_BYTES or UNEXPECTED_EOF', () => {
    expectCode(() => decodeOfferPathsRequest(record('fe00012714060500030003ff')), 'TRAILING_BYTES');
    expectCode(() => decodeOfferPathsRequest(record('fe000127140403000103')), 'UNEXPECTED_EOF');
  });

  it('fails a truncated blinded path in offer_paths with UNEXPECTED_EOF', () => {
    const p = encodeBlindedPath(path).subarray(0, 60);
    const inner = concatBytes(fromHex('00'), encodeBigSize(p.length), p);
    expectCode(() => decodeOfferPaths({ type: 65542n, value: inner }, 'spec'), 'UNEXPECTED_EOF');
  });

  it('fails a blinded path with zero hops with EMPTY_PATH', () => {
    const p = encodeBlindedPath({ ...path, hops: [] });
    const inner = concatBytes(fromHex('00'), encodeBigSize(p.length), p);
    expectCode(() => decodeOfferPaths({ type: 65542n, value: inner }, 'spec'), 'EMPTY_PATH');
    expectCode(() => encodeOfferPaths({ paths: [{ ...path, hops: [] }] }), 'EMPTY_PATH', 'offer_paths[0]');
  });

  it('fails offer_paths with an empty path list with MISSING_FIELD', () => {
    expectCode(() => decodeOfferPaths({ type: 65542n, value: fromHex('0000') }, 'spec'), 'MISSING_FIELD');
  });

  it('fails serve_static_invoice without forward_invoice_request_path with MISSING_FIELD', () => {
    expectCode(
      () => decodeServeStaticInvoice({ type: 65544n, value: fromHex('0001aa') }, 'spec'),
      'MISSING_FIELD',
    );
  });

  it('fails a record of another type with MESSAGE_UNKNOWN_TYPE', () => {
    expectCode(() => decodeReleaseHeldHtlc(record('480100')), 'MESSAGE_UNKNOWN_TYPE');
    expectCode(
      () => decodeOfferPathsRequest(record('fe00012714050400020003'), 'spec'),
      'MESSAGE_UNKNOWN_TYPE',
    );
  });

  it('recognises each kind by its profile number and nothing else', () => {
    for (const kind of ASYNC_MESSAGE_KINDS) {
      for (const profile of ['ldk', 'spec'] as const) {
        expect(asyncMessageKindOf(ASYNC_MESSAGE_TYPES[kind][profile], profile)).toBe(kind);
      }
    }
    expect(asyncMessageKindOf(65540n, 'ldk')).toBeUndefined();
    expect(asyncMessageKindOf(75540n, 'spec')).toBeUndefined();
    expect(decodeAsyncMessage({ type: 64n, value: new Uint8Array(0) })).toBeUndefined();
  });
});

// ---- properties ----

const POINTS = Array.from({ length: 16 }, (_, i) => person(0x41 + i));
const point = fc.constantFrom(...POINTS);
const hop = fc.record({ blindedNodeId: point, encryptedData: fc.uint8Array({ maxLength: 40 }) });
const arbPath: fc.Arbitrary<BlindedPath> = fc.record({
  introductionNode: fc.oneof(
    point.map((nodeId) => ({ nodeId })),
    fc
      .record({
        direction: fc.constantFrom(0 as const, 1 as const),
        scid: fc.record({
          block: fc.integer({ min: 0, max: 0xffffff }),
          txIndex: fc.integer({ min: 0, max: 0xffffff }),
          output: fc.integer({ min: 0, max: 0xffff }),
        }),
      })
      .map((v) => v),
  ),
  pathKey: point,
  hops: fc.array(hop, { minLength: 1, maxLength: 3 }),
});
const unknownOdd = fc
  .uniqueArray(
    fc.bigInt({ min: 0n, max: 200_000n }).map((t) => t * 2n + 5n),
    { maxLength: 2 },
  )
  .chain((types) =>
    fc.tuple(
      ...types
        .sort((a, b) => (a < b ? -1 : 1))
        .map((type) => fc.uint8Array({ maxLength: 8 }).map((value) => ({ type, value }))),
    ),
  );
const withUnknown = <T extends object>(arb: fc.Arbitrary<T>) =>
  fc.tuple(arb, unknownOdd).map(([m, u]) => (u.length > 0 ? { ...m, unknown: u } : m));

const arbMessage: fc.Arbitrary<AsyncPaymentMessage> = fc.oneof(
  withUnknown(fc.constant({ kind: 'held_htlc_available' as const })),
  withUnknown(fc.constant({ kind: 'release_held_htlc' as const })),
  withUnknown(fc.constant({ kind: 'static_invoice_persisted' as const })),
  withUnknown(
    fc.record({
      kind: fc.constant('offer_paths_request' as const),
      invoiceSlot: fc.integer({ min: 0, max: 0xffff }),
    }),
  ),
  withUnknown(
    fc.record(
      {
        kind: fc.constant('offer_paths' as const),
        paths: fc.array(arbPath, { minLength: 1, maxLength: 3 }),
        pathsAbsoluteExpiry: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
      },
      { requiredKeys: ['kind', 'paths'] },
    ),
  ),
  withUnknown(
    fc.record({
      kind: fc.constant('serve_static_invoice' as const),
      invoice: fc.uint8Array({ minLength: 1, maxLength: 64 }),
      forwardInvoiceRequestPath: arbPath,
    }),
  ),
);

describe('properties', () => {
  it.each(['ldk', 'spec'] as WireProfile[])('round-trips every message type in the %s profile', (profile) => {
    fc.assert(
      fc.property(arbMessage, (msg) => {
        const rec = encodeAsyncMessage(msg, profile);
        const again = decodeAsyncMessage(readTlvRecords(encodeTlvRecords([rec]))[0]!, profile);
        expect(again).toEqual(msg);
      }),
      { numRuns: 300 },
    );
  });

  it.each(['ldk', 'spec'] as WireProfile[])(
    'turns random and mutated bytes into typed errors only (%s)',
    (profile) => {
      const kinds = ASYNC_MESSAGE_KINDS as readonly AsyncMessageKind[];
      const mutated = fc
        .tuple(arbMessage, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat())
        .map(([m, at, byte, cut]) => {
          const v = encodeAsyncMessage(m, profile);
          const value = v.value.slice();
          if (value.length > 0) value[at % value.length] = byte;
          return { type: v.type, value: value.subarray(0, value.length - (cut % 3)) };
        });
      const random = fc
        .tuple(fc.constantFrom(...kinds), fc.uint8Array({ maxLength: 80 }))
        .map(([k, value]) => ({ type: ASYNC_MESSAGE_TYPES[k][profile], value }));
      fc.assert(
        fc.property(fc.oneof(mutated, random), (rec) => {
          try {
            decodeAsyncMessage(rec, profile);
          } catch (e) {
            expect(e).toBeInstanceOf(CodecError);
          }
        }),
        { numRuns: 1000 },
      );
    },
  );
});
