import { decodeBolt12String } from '@asyncpay/codec/bolt12/bech32';
import { toHex } from '@asyncpay/codec/bytes';
import { readOurJson, readUpstreamJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { describe, expect, it } from 'vitest';
import { run } from './io.js';

interface Row {
  type: number | string;
  name: string;
  length: number;
  hex: string;
  value: unknown;
}
interface Printed {
  kind: string;
  profile: string;
  fields: Row[];
  signature?: { valid: boolean };
}

interface OfferCase {
  description: string;
  valid: boolean;
  bolt12: string;
  fields?: { type: number | string; length: number; hex: string }[];
}
const offers = readUpstreamJson<OfferCase[]>('bolts/bolt12/offers-test.json');

const ONE_ERROR_LINE = /^asyncpay decode: (DECODE|SEMANTIC|SIGNATURE) [A-Z0-9_]+[ :(][^\n]*\n$/;
const plain = (rows: { type: number | string; length: number; hex: string }[]) =>
  rows.map((r) => ({ type: String(r.type), length: r.length, hex: r.hex }));

describe(vectorSuite('upstream', 'bolts/bolt12/offers-test.json', offers.length), () => {
  for (const c of offers) {
    if (c.valid) {
      it(`asyncpay decode prints the fields of offer: ${c.description}`, async () => {
        const { code, out, err } = await run(['decode', c.bolt12]);
        expect(err).toBe('');
        expect(code).toBe(0);
        const printed = JSON.parse(out) as Printed;
        expect(printed.kind).toBe('offer');
        expect(plain(printed.fields)).toEqual(plain(c.fields!));
      });
    } else {
      it(`asyncpay decode exits 2 with one error line for offer: ${c.description}`, async () => {
        const { code, out, err } = await run(['decode', c.bolt12]);
        expect(code).toBe(2);
        expect(out).toBe('');
        expect(err).toMatch(ONE_ERROR_LINE);
      });
    }
  }
});

describe('asyncpay decode', () => {
  it('names and values the fields of an offer', async () => {
    const { out } = await run(['decode', offers[1]!.bolt12]);
    const printed = JSON.parse(out) as Printed;
    expect(printed.fields[0]).toMatchObject({ type: 10, name: 'offer_description', value: 'Test vectors' });
  });

  it('names the code of an unknown even type', async () => {
    const c = offers.find((o) => o.description === 'Malformed: unknown even TLV type 78')!;
    const { err } = await run(['decode', c.bolt12]);
    expect(err).toMatch(/^asyncpay decode: DECODE TLV_UNKNOWN_EVEN_TYPE \(field offer, type 72\)/);
  });

  interface StaticCase {
    description: string;
    valid: boolean;
    profile: 'ldk' | 'spec';
    now?: number;
    bolt12: string;
    fields: { type: number | string; length: number; hex: string }[];
    error?: { code: string };
  }
  const statics = readOurJson<StaticCase[]>('static-invoice-test.json');

  it('decodes a static invoice from hex, trying the kinds in order', async () => {
    const c = statics.find((s) => s.valid && s.profile === 'ldk')!;
    const hex = toHex(decodeBolt12String(c.bolt12).bytes);
    const { code, out } = await run(['decode', hex]);
    expect(code).toBe(0);
    const printed = JSON.parse(out) as Printed;
    expect(printed.kind).toBe('static_invoice');
    expect(printed.signature).toEqual({ valid: true });
    expect(printed.fields.find((f) => f.type === 236)?.name).toBe('held_htlc_available_paths');
  });

  it('reads the spec profile with --profile spec and fails it without', async () => {
    const c = statics.find((s) => s.valid && s.profile === 'spec')!;
    const spec = await run(['decode', c.bolt12, '--profile', 'spec', '--as', 'static_invoice']);
    expect(spec.code).toBe(0);
    expect((JSON.parse(spec.out) as Printed).fields.find((f) => f.type === 178)?.name).toBe(
      'static_invoice_message_paths',
    );
    const ldk = await run(['decode', c.bolt12, '--as', 'static_invoice']);
    expect(ldk.code).toBe(2);
    expect(ldk.err).toMatch(/DECODE TLV_UNKNOWN_EVEN_TYPE/);
  });

  it('runs every static-invoice vector: valid exit 0, bad signature exit 1, others exit 2 naming the code', async () => {
    for (const c of statics) {
      const args = ['decode', c.bolt12, '--as', 'static_invoice', '--profile', c.profile];
      if (c.now !== undefined) args.push('--now', String(c.now));
      const { code, err } = await run(args);
      if (c.valid) expect(code, c.description).toBe(0);
      else if (c.error!.code === 'BAD_SIGNATURE') expect(code, c.description).toBe(1);
      else {
        expect(code, c.description).toBe(2);
        expect(err, c.description).toMatch(ONE_ERROR_LINE);
        expect(err, c.description).toContain(` ${c.error!.code}`);
      }
    }
  });

  it('decodes the upstream invoice_request and verifies its signature', async () => {
    const [, , , sig] = readUpstreamJson<{ bolt12: string }[]>('bolts/bolt12/signature-test.json');
    const { code, out } = await run(['decode', sig!.bolt12]);
    expect(code).toBe(0);
    const printed = JSON.parse(out) as Printed;
    expect(printed.kind).toBe('invoice_request');
    expect(printed.signature).toEqual({ valid: true });
  });

  it('fails with exit 2 on bad arguments', async () => {
    expect((await run(['decode'])).code).toBe(2);
    expect((await run(['decode', '00', '--profile', 'eclair'])).err).toMatch(/INVALID_ARGUMENT/);
    expect((await run(['decode', '00', '--as', 'nothing'])).err).toMatch(/INVALID_ARGUMENT/);
    expect((await run(['decode', 'lnx1qq'])).err).toMatch(ONE_ERROR_LINE);
  });
});
