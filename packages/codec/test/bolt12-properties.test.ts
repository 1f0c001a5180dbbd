import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUX,
  aliceInvoice,
  aliceStaticInvoice,
  bobInvoiceRequest,
  opaquePath,
  PAYINFO,
  PEOPLE,
} from '../gen/static-invoice-fixtures.js';
import { decodeBolt12String, encodeBolt12String } from '../src/bolt12/bech32.js';
import {
  buildInvoice,
  decodeInvoice,
  encodeInvoice,
  signInvoice,
  verifyInvoice,
} from '../src/bolt12/invoice.js';
import { buildInvoiceError, decodeInvoiceError } from '../src/bolt12/invoice-error.js';
import {
  buildInvoiceRequest,
  decodeInvoiceRequest,
  encodeInvoiceRequest,
  signInvoiceRequest,
  verifyInvoiceRequest,
} from '../src/bolt12/invoice-request.js';
import { buildOffer, decodeOffer, encodeOffer, type OfferFields } from '../src/bolt12/offer.js';
import {
  buildStaticInvoice,
  decodeStaticInvoice,
  encodeStaticInvoice,
  signStaticInvoice,
  verifyStaticInvoice,
} from '../src/bolt12/static-invoice.js';
import { CodecError } from '../src/errors.js';
import type { TlvRecord } from '../src/tlv.js';

const people = [PEOPLE.alice, PEOPLE.carol, PEOPLE.dave];

/** Offer fields that satisfy the reader requirements, issued by Alice. */
const offerFields: fc.Arbitrary<OfferFields> = fc
  .record(
    {
      description: fc.string({ maxLength: 40 }),
      amount: fc.option(fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), { nil: undefined }),
      currency: fc.option(fc.constantFrom('USD', 'EUR', 'JPY'), { nil: undefined }),
      metadata: fc.option(fc.uint8Array({ maxLength: 32 }), { nil: undefined }),
      expiry: fc.option(fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), { nil: undefined }),
      quantityMax: fc.option(fc.bigInt({ min: 0n, max: 1000n }), { nil: undefined }),
      paths: fc.array(fc.tuple(fc.constantFrom(...people), fc.integer({ min: 1, max: 3 })), { maxLength: 2 }),
      issuer: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    },
    { requiredKeys: ['paths', 'description'] },
  )
  .map((r) => ({
    offerDescription: r.description,
    offerAmount: r.amount,
    offerCurrency: r.amount === undefined ? undefined : r.currency,
    offerMetadata: r.metadata,
    offerAbsoluteExpiry: r.expiry,
    offerQuantityMax: r.quantityMax,
    offerIssuer: r.issuer,
    offerIssuerId: PEOPLE.alice.id,
    offerPaths: r.paths.length === 0 ? undefined : r.paths.map(([p, hops], i) => opaquePath(p.id, hops, i)),
  }));

/** Unknown odd records in a range. */
const unknownOdd = (lo: bigint, hi: bigint): fc.Arbitrary<TlvRecord[]> =>
  fc
    .uniqueArray(fc.bigInt({ min: lo / 2n, max: (hi - 1n) / 2n }), { maxLength: 2 })
    .chain((halves) =>
      fc.tuple(
        ...halves.map((h) => fc.uint8Array({ maxLength: 8 }).map((value) => ({ type: h * 2n + 1n, value }))),
      ),
    )
    .map((records) => [...records].sort((a, b) => (a.type < b.type ? -1 : 1)));

const offerUnknown = fc
  .tuple(unknownOdd(23n, 79n), unknownOdd(1_000_000_000n, 1_999_999_999n))
  .map(([a, b]) => [...a, ...b]);

describe('BOLT 12 round trips (fast-check)', () => {
  it('offer: build → lno string → decode gives the same bytes', () => {
    fc.assert(
      fc.property(offerFields, offerUnknown, (fields, unknown) => {
        const offer = buildOffer(fields, { unknown });
        const back = decodeOffer(encodeOffer(offer));
        expect(back.bytes).toEqual(offer.bytes);
        expect(back.unknown).toEqual(offer.unknown);
      }),
      { numRuns: 200 },
    );
  });

  it('invoice_request: build → sign → lnr string → decode → verify gives the same bytes', () => {
    fc.assert(
      fc.property(
        offerFields,
        fc.uint8Array({ minLength: 1, maxLength: 32 }),
        fc.bigInt({ min: 1n, max: 1n << 40n }),
        (fields, metadata, extra) => {
          const offer = buildOffer({ ...fields, offerQuantityMax: undefined, offerCurrency: undefined });
          const amount = offer.fields.offerAmount ?? extra;
          const unsigned = buildInvoiceRequest(offer, {
            invreqMetadata: metadata,
            invreqPayerId: PEOPLE.bob.id,
            invreqAmount: amount,
          });
          const signed = signInvoiceRequest(unsigned, PEOPLE.bob.secret, AUX);
          const back = verifyInvoiceRequest(decodeInvoiceRequest(encodeInvoiceRequest(signed)));
          expect(back.bytes).toEqual(signed.bytes);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('invoice: build → sign → lni string → decode → verify gives the same bytes', () => {
    const invreq = bobInvoiceRequest();
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 40n }), fc.integer({ min: 1, max: 3 }), (createdAt, n) => {
        const unsigned = buildInvoice(invreq, {
          invoicePaths: Array.from({ length: n }, (_, i) => opaquePath(PEOPLE.dave.id, i + 1, i)),
          invoiceBlindedpay: Array.from({ length: n }, () => PAYINFO),
          invoiceCreatedAt: createdAt,
          invoicePaymentHash: new Uint8Array(32).fill(n),
          invoiceAmount: 5000n,
          invoiceNodeId: PEOPLE.alice.id,
        });
        const signed = signInvoice(unsigned, PEOPLE.alice.secret, AUX);
        const back = verifyInvoice(decodeInvoice(encodeInvoice(signed)));
        expect(back.bytes).toEqual(signed.bytes);
      }),
      { numRuns: 20 },
    );
  });

  it('static invoice: build → sign → lni string → decode → verify gives the same bytes, both profiles', () => {
    fc.assert(
      fc.property(
        offerFields.filter((f) => f.offerPaths !== undefined),
        fc.constantFrom('ldk' as const, 'spec' as const),
        fc.integer({ min: 2, max: 3 }),
        fc.option(fc.bigInt({ min: 0n, max: 0xffffffffn }), { nil: undefined }),
        (fields, profile, held, relativeExpiry) => {
          const offer = buildOffer({ ...fields, offerAbsoluteExpiry: undefined });
          const unsigned = buildStaticInvoice(
            offer,
            {
              invoicePaths: [opaquePath(PEOPLE.dave.id, 1, 5)],
              invoiceBlindedpay: [PAYINFO],
              invoiceCreatedAt: 1n,
              invoiceRelativeExpiry: relativeExpiry,
              invoiceNodeId: PEOPLE.alice.id,
              heldHtlcAvailablePaths: Array.from({ length: held }, (_, i) =>
                opaquePath(PEOPLE.carol.id, 1, i),
              ),
            },
            { profile },
          );
          const signed = signStaticInvoice(unsigned, PEOPLE.alice.secret, AUX);
          const back = verifyStaticInvoice(decodeStaticInvoice(encodeStaticInvoice(signed), { profile }));
          expect(back.bytes).toEqual(signed.bytes);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('invoice_error: build → decode gives the same bytes', () => {
    fc.assert(
      fc.property(
        fc.option(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { nil: undefined }),
        fc.uint8Array({ maxLength: 16 }),
        fc.string({ maxLength: 40 }),
        (field, value, error) => {
          const built = buildInvoiceError({
            erroneousField: field,
            suggestedValue: field === undefined ? undefined : value,
            error,
          });
          expect(decodeInvoiceError(built.bytes).bytes).toEqual(built.bytes);
        },
      ),
    );
  });

  it('bech32 string: encode → decode is the identity', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('lno' as const, 'lnr' as const, 'lni' as const),
        fc.uint8Array(),
        (hrp, bytes) => {
          expect(decodeBolt12String(encodeBolt12String(hrp, bytes))).toEqual({ hrp, bytes });
        },
      ),
    );
  });
});

/** Every reader, decode and verify together. */
const readers: [string, (b: Uint8Array) => unknown][] = [
  ['offer', (b) => decodeOffer(b)],
  ['invoice_request', (b) => verifyInvoiceRequest(decodeInvoiceRequest(b))],
  ['invoice', (b) => verifyInvoice(decodeInvoice(b))],
  ['static invoice (ldk)', (b) => verifyStaticInvoice(decodeStaticInvoice(b, { profile: 'ldk' }))],
  ['static invoice (spec)', (b) => verifyStaticInvoice(decodeStaticInvoice(b, { profile: 'spec' }))],
  ['invoice_error', (b) => decodeInvoiceError(b)],
];

/** Only typed codec errors may escape. */
function onlyCodecErrors(read: (b: Uint8Array) => unknown, bytes: Uint8Array): void {
  try {
    read(bytes);
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
  }
}

const mutation = (valid: Uint8Array) =>
  fc.oneof(
    fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
      const out = valid.slice();
      out[i]! ^= x;
      return out;
    }),
    fc.nat(valid.length).map((n) => valid.subarray(0, n)),
    fc.tuple(fc.nat(valid.length), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([i, ins]) => {
      const out = new Uint8Array(valid.length + ins.length);
      out.set(valid.subarray(0, i));
      out.set(ins, i);
      out.set(valid.subarray(i), i + ins.length);
      return out;
    }),
  );

describe('BOLT 12 readers on hostile input (fast-check)', () => {
  for (const [name, read] of readers) {
    it(`${name}: random bytes only ever give typed errors`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 600 }), (b) => onlyCodecErrors(read, b)),
        { numRuns: 300 },
      );
    });
  }

  const valid: [string, Uint8Array][] = [
    ['invoice_request', bobInvoiceRequest().bytes],
    ['invoice', aliceInvoice().bytes],
    ['static invoice (ldk)', aliceStaticInvoice('ldk').bytes],
    ['static invoice (spec)', aliceStaticInvoice('spec').bytes],
  ];
  for (const [name, bytes] of valid) {
    it(`${name}: mutated valid messages only ever give typed errors, under every reader`, () => {
      fc.assert(
        fc.property(mutation(bytes), (b) => {
          for (const [, read] of readers) onlyCodecErrors(read, b);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('bolt12 strings: random text only ever gives typed errors', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        onlyCodecErrors(() => decodeBolt12String(s), new Uint8Array());
        onlyCodecErrors(() => decodeBolt12String(`lno1${s}`), new Uint8Array());
      }),
      { numRuns: 500 },
    );
  });
});
