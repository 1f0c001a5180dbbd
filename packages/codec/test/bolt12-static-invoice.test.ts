import { typedErrors } from '@asyncpay/testkit/expect';
import { readOurJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { describe, expect, it } from 'vitest';
import type { StaticInvoiceCase } from '../gen/static-invoice.js';
import {
  AUX,
  aliceStaticInvoice,
  asyncOffer,
  opaquePath,
  PEOPLE,
  secretKey,
  staticInvoiceFields,
} from '../gen/static-invoice-fixtures.js';
import { decodeBolt12String } from '../src/bolt12/bech32.js';
import {
  buildStaticInvoice,
  decodeStaticInvoice,
  encodeStaticInvoice,
  signStaticInvoice,
  verifyStaticInvoice,
} from '../src/bolt12/static-invoice.js';
import { toHex } from '../src/bytes.js';
import { CodecError } from '../src/errors.js';

const FILE = 'static-invoice-test.json';
const cases = readOurJson<StaticInvoiceCase[]>(FILE);

const { errorCode } = typedErrors(CodecError);

const readCase = (c: StaticInvoiceCase) => () =>
  verifyStaticInvoice(decodeStaticInvoice(c.bolt12, { profile: c.profile, now: c.now }));

describe(vectorSuite('ours', FILE, cases.length), () => {
  for (const c of cases) {
    it(`${c.valid ? 'reads' : 'fails reading'} static invoice (${c.description})`, () => {
      const bytes = decodeBolt12String(c.bolt12, 'lni').bytes;
      if (c.valid) {
        const invoice = readCase(c)();
        expect(invoice.profile).toBe(c.profile);
        expect(invoice.bytes).toEqual(bytes);
        expect(
          invoice.records.map((r) => ({ type: String(r.type), length: r.value.length, hex: toHex(r.value) })),
        ).toEqual(c.fields.map((f) => ({ type: String(f.type), length: f.length, hex: f.hex })));
      } else {
        expect(errorCode(readCase(c))).toBe(c.error!.code);
      }
    });
  }
  it('holds valid and invalid cases for both profiles', () => {
    for (const profile of ['ldk', 'spec'] as const) {
      expect(cases.filter((c) => c.profile === profile && c.valid).length).toBeGreaterThanOrEqual(3);
      expect(cases.filter((c) => c.profile === profile && !c.valid).length).toBeGreaterThanOrEqual(15);
    }
  });
});

describe('static invoice profiles', () => {
  it('puts the held_htlc_available paths in type 236 (ldk) or 178 (spec)', () => {
    const types = (p: 'ldk' | 'spec') => aliceStaticInvoice(p).records.map((r) => r.type);
    expect(types('ldk')).toContain(236n);
    expect(types('ldk')).not.toContain(178n);
    expect(types('spec')).toContain(178n);
    expect(types('spec')).not.toContain(236n);
  });
  it('fails parsing a static invoice of one profile in the other', () => {
    const ldk = aliceStaticInvoice('ldk');
    expect(errorCode(() => decodeStaticInvoice(ldk.bytes, { profile: 'spec' }))).toBe(
      'TLV_UNKNOWN_EVEN_TYPE',
    );
  });
  it('defaults to the ldk profile', () => {
    const ldk = aliceStaticInvoice('ldk');
    expect(decodeStaticInvoice(encodeStaticInvoice(ldk)).profile).toBe('ldk');
  });
  it('fails building a spec static invoice with one held_htlc_available path (writer needs two)', () => {
    const fields = { ...staticInvoiceFields(), heldHtlcAvailablePaths: [opaquePath(PEOPLE.carol.id, 1, 2)] };
    expect(errorCode(() => buildStaticInvoice(asyncOffer(), fields, { profile: 'spec' }))).toBe(
      'INVALID_FIELD',
    );
    expect(() => buildStaticInvoice(asyncOffer(), fields, { profile: 'ldk' })).not.toThrow();
  });
  it('fails building a static invoice with a payment hash, as the parser would', () => {
    const fields = { ...staticInvoiceFields(), invoicePaymentHash: new Uint8Array(32) };
    expect(errorCode(() => buildStaticInvoice(asyncOffer(), fields))).toBe('FORBIDDEN_FIELD');
  });
  it('fails building a static invoice for an offer without paths', () => {
    const offer = asyncOffer({ offerPaths: undefined });
    expect(errorCode(() => buildStaticInvoice(offer, staticInvoiceFields()))).toBe('MISSING_FIELD');
  });
  it('fails signing a static invoice with a key other than invoice_node_id', () => {
    const unsigned = buildStaticInvoice(asyncOffer(), staticInvoiceFields());
    expect(() => signStaticInvoice(unsigned, PEOPLE.bob.secret)).toThrow(RangeError);
  });
  it('fails parsing an unsigned static invoice', () => {
    const unsigned = buildStaticInvoice(asyncOffer(), staticInvoiceFields());
    expect(errorCode(() => decodeStaticInvoice(unsigned.bytes))).toBe('MISSING_SIGNATURE');
  });
  it('accepts, for an offer without issuer id, node_id equal to the final blinded node id of an offer path', () => {
    const offer = asyncOffer({ offerIssuerId: undefined });
    const last = offer.fields.offerPaths![0]!.hops.at(-1)!.blindedNodeId;
    const fields = { ...staticInvoiceFields(), invoiceNodeId: last };
    const signed = signStaticInvoice(buildStaticInvoice(offer, fields), secretKey(0x51), AUX);
    expect(() => verifyStaticInvoice(decodeStaticInvoice(signed.bytes))).not.toThrow();
    expect(errorCode(() => buildStaticInvoice(offer, staticInvoiceFields()))).toBe('NODE_ID_MISMATCH');
  });
});
