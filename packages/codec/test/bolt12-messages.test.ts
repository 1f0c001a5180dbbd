import { typedErrors } from '@asyncpay/testkit/expect';
import { describe, expect, it } from 'vitest';
import {
  ASYNC_OFFER_FIELDS,
  AUX,
  aliceInvoice,
  asyncOffer,
  bobInvoiceRequest,
  opaquePath,
  PEOPLE,
  resign,
  staticInvoiceFields,
} from '../gen/static-invoice-fixtures.js';
import { encodeBlindedPath } from '../src/blinded-path.js';
import { decodeBolt12String, encodeBolt12String } from '../src/bolt12/bech32.js';
import { decodeInvoice, encodeInvoice, type VerifiedInvoice, verifyInvoice } from '../src/bolt12/invoice.js';
import { buildInvoiceError, decodeInvoiceError } from '../src/bolt12/invoice-error.js';
import {
  buildInvoiceRequest,
  decodeInvoiceRequest,
  encodeInvoiceRequest,
  signInvoiceRequest,
  verifyInvoiceRequest,
} from '../src/bolt12/invoice-request.js';
import { buildOffer, decodeOffer, encodeOffer } from '../src/bolt12/offer.js';
import {
  buildStaticInvoice,
  signStaticInvoice,
  type VerifiedStaticInvoice,
} from '../src/bolt12/static-invoice.js';
import { concatBytes, fromHex } from '../src/bytes.js';
import { CodecError } from '../src/errors.js';
import { encodeValue, tu64 } from '../src/fundamental.js';
import { encodeTlvRecords, type TlvRecord } from '../src/tlv.js';

const { errorCode } = typedErrors(CodecError);

/** Replace (or add, or with `undefined` remove) one record, keeping type order. */
function edit(records: readonly TlvRecord[], type: bigint, value: Uint8Array | undefined): TlvRecord[] {
  const rest = records.filter((r) => r.type !== type);
  return (value === undefined ? rest : [...rest, { type, value }]).sort((a, b) => (a.type < b.type ? -1 : 1));
}

describe('offer', () => {
  const offer = asyncOffer();
  const withPath = (path: Uint8Array) => encodeTlvRecords(edit(offer.records, 16n, path));
  const good = encodeBlindedPath(opaquePath(PEOPLE.carol.id, 1, 0));

  it('round-trips through its lno string', () => {
    expect(decodeOffer(encodeOffer(offer)).bytes).toEqual(offer.bytes);
  });
  it('fails parsing offer with zero num_hops in a blinded path', () => {
    const noHops = encodeBlindedPath({ ...opaquePath(PEOPLE.carol.id, 1, 0), hops: [] });
    expect(errorCode(() => decodeOffer(withPath(noHops)))).toBe('EMPTY_PATH');
  });
  it('fails parsing offer with a truncated onionmsg_hop', () => {
    expect(errorCode(() => decodeOffer(withPath(good.subarray(0, good.length - 3))))).toBe('UNEXPECTED_EOF');
  });
  it('fails parsing offer with a bad first_node_id', () => {
    const bad = concatBytes(Uint8Array.of(0x04), good.subarray(1));
    expect(errorCode(() => decodeOffer(withPath(bad)))).toBe('INVALID_POINT');
  });
  it('fails parsing offer with a bad path_key', () => {
    const bad = good.slice();
    bad.fill(0x03, 33, 66);
    expect(errorCode(() => decodeOffer(withPath(bad)))).toBe('INVALID_POINT');
  });
  it('fails parsing offer with a bad blinded_node_id', () => {
    const bad = good.slice();
    bad.fill(0x03, 67, 100);
    expect(errorCode(() => decodeOffer(withPath(bad)))).toBe('INVALID_POINT');
  });
  it('fails parsing offer with an experimental type above 1999999999', () => {
    const bytes = encodeTlvRecords(edit(offer.records, 2_000_000_001n, Uint8Array.of(1)));
    expect(errorCode(() => decodeOffer(bytes))).toBe('TLV_TYPE_OUT_OF_RANGE');
  });
  it('fails parsing offer with unknown even experimental type 1000000002', () => {
    const bytes = encodeTlvRecords(edit(offer.records, 1_000_000_002n, Uint8Array.of(1)));
    expect(errorCode(() => decodeOffer(bytes))).toBe('TLV_UNKNOWN_EVEN_TYPE');
  });
  it('fails parsing an expired offer only when given the time', () => {
    const expiring = buildOffer({ ...ASYNC_OFFER_FIELDS, offerAbsoluteExpiry: 1000n });
    expect(errorCode(() => decodeOffer(expiring.bytes, { now: 1000 }))).toBeUndefined();
    expect(errorCode(() => decodeOffer(expiring.bytes, { now: 1001 }))).toBe('EXPIRED');
    expect(errorCode(() => decodeOffer(expiring.bytes))).toBeUndefined();
  });
  it('fails parsing offer for an unaccepted chain', () => {
    expect(errorCode(() => decodeOffer(offer.bytes, { chains: [new Uint8Array(32)] }))).toBe(
      'UNSUPPORTED_CHAIN',
    );
  });
  it('fails building an offer with zero amount, as the parser would', () => {
    expect(errorCode(() => buildOffer({ ...ASYNC_OFFER_FIELDS, offerAmount: 0n }))).toBe('INVALID_AMOUNT');
  });
  it('fails parsing offer string with a wrong prefix', () => {
    expect(errorCode(() => decodeOffer(encodeBolt12String('lnr', offer.bytes)))).toBe('BECH32_WRONG_PREFIX');
  });
  it('fails parsing a string with a non-bech32 character', () => {
    expect(errorCode(() => decodeBolt12String('lno1qb'))).toBe('BECH32_INVALID');
  });
});

describe('invoice_request', () => {
  const invreq = bobInvoiceRequest();
  const bob = PEOPLE.bob.secret;
  const broken = (type: bigint, value: Uint8Array | undefined) =>
    resign(edit(invreq.records, type, value), 'invoice_request', bob);

  it('round-trips and verifies', () => {
    const parsed = decodeInvoiceRequest(encodeInvoiceRequest(invreq));
    expect(parsed.bytes).toEqual(invreq.bytes);
    expect(verifyInvoiceRequest(parsed).fields.invreqAmount).toBe(5000n);
  });
  it('fails parsing invoice_request without invreq_payer_id', () => {
    const bytes = encodeTlvRecords(edit(invreq.records, 88n, undefined));
    expect(errorCode(() => decodeInvoiceRequest(bytes))).toBe('MISSING_FIELD');
  });
  it('fails parsing invoice_request without invreq_metadata', () => {
    expect(errorCode(() => decodeInvoiceRequest(broken(0n, undefined)))).toBe('MISSING_FIELD');
  });
  it('fails parsing invoice_request with an amount below the offer amount', () => {
    const low = encodeValue(tu64, 4999n);
    expect(errorCode(() => decodeInvoiceRequest(broken(82n, low)))).toBe('INVALID_AMOUNT');
  });
  it('fails parsing invoice_request with a quantity the offer does not allow', () => {
    expect(errorCode(() => decodeInvoiceRequest(broken(86n, Uint8Array.of(2))))).toBe('QUANTITY_INVALID');
  });
  it('fails parsing invoice_request with an invalid BIP 353 name', () => {
    const hrn = Uint8Array.of(1, 0x21, 3, 0x61, 0x2e, 0x62);
    expect(errorCode(() => decodeInvoiceRequest(broken(91n, hrn)))).toBe('INVALID_FIELD');
  });
  it('fails parsing invoice_request with an unknown even invreq feature', () => {
    expect(errorCode(() => decodeInvoiceRequest(broken(84n, Uint8Array.of(0x01))))).toBe(
      'UNKNOWN_REQUIRED_FEATURE',
    );
  });
  it('fails parsing invoice_request with an invoice field', () => {
    expect(errorCode(() => decodeInvoiceRequest(broken(170n, Uint8Array.of(1))))).toBe(
      'TLV_TYPE_OUT_OF_RANGE',
    );
  });
  it('fails parsing invoice_request without a signature', () => {
    const bytes = encodeTlvRecords(edit(invreq.records, 240n, undefined));
    expect(errorCode(() => decodeInvoiceRequest(bytes))).toBe('MISSING_SIGNATURE');
  });
  it('fails verifying invoice_request signed by someone else', () => {
    const bytes = resign(invreq.records, 'invoice_request', PEOPLE.carol.secret);
    expect(errorCode(() => verifyInvoiceRequest(decodeInvoiceRequest(bytes)))).toBe('BAD_SIGNATURE');
  });
  it('fails building invoice_request without amount for an offer without amount', () => {
    const build = () =>
      buildInvoiceRequest(asyncOffer(), { invreqMetadata: Uint8Array.of(1), invreqPayerId: PEOPLE.bob.id });
    expect(errorCode(build)).toBe('MISSING_FIELD');
  });
  it('copies unknown odd offer records into the invoice_request and keeps them signed', () => {
    const offer = asyncOffer({}, [{ type: 33n, value: Uint8Array.of(7) }]);
    const unsigned = buildInvoiceRequest(offer, {
      invreqMetadata: Uint8Array.of(1),
      invreqPayerId: PEOPLE.bob.id,
      invreqAmount: 1n,
    });
    const signed = signInvoiceRequest(unsigned, PEOPLE.bob.secret, AUX);
    const parsed = decodeInvoiceRequest(signed.bytes);
    expect(parsed.unknown.map((r) => r.type)).toEqual([33n]);
    expect(() => verifyInvoiceRequest(parsed)).not.toThrow();
  });
  it('parses an invoice_request without an offer (invreq_amount required)', () => {
    const unsigned = buildInvoiceRequest(undefined, {
      invreqMetadata: Uint8Array.of(1),
      invreqPayerId: PEOPLE.bob.id,
      invreqAmount: 10n,
      offerDescription: 'refund',
    });
    const signed = signInvoiceRequest(unsigned, PEOPLE.bob.secret, AUX);
    expect(verifyInvoiceRequest(decodeInvoiceRequest(signed.bytes)).fields.offerDescription).toBe('refund');
  });
});

describe('invoice', () => {
  const invoice = aliceInvoice();
  const alice = PEOPLE.alice.secret;
  const broken = (type: bigint, value: Uint8Array | undefined) =>
    resign(edit(invoice.records, type, value), 'invoice', alice);

  it('round-trips and verifies', () => {
    const parsed = decodeInvoice(encodeInvoice(invoice), { now: 1_700_000_000 });
    expect(parsed.bytes).toEqual(invoice.bytes);
    expect(verifyInvoice(parsed).fields.invoiceAmount).toBe(5000n);
  });
  it('fails parsing invoice without payment_hash', () => {
    expect(errorCode(() => decodeInvoice(broken(168n, undefined)))).toBe('MISSING_FIELD');
  });
  it('fails parsing invoice without amount', () => {
    expect(errorCode(() => decodeInvoice(broken(170n, undefined)))).toBe('MISSING_FIELD');
  });
  it('fails parsing invoice with an amount other than invreq_amount', () => {
    expect(errorCode(() => decodeInvoice(broken(170n, encodeValue(tu64, 5001n))))).toBe('INVALID_AMOUNT');
  });
  it('fails parsing invoice with node_id other than offer_issuer_id', () => {
    const bytes = resign(edit(invoice.records, 176n, PEOPLE.bob.id), 'invoice', PEOPLE.bob.secret);
    expect(errorCode(() => decodeInvoice(bytes))).toBe('NODE_ID_MISMATCH');
  });
  it('fails parsing expired invoice (created_at + 7200)', () => {
    expect(errorCode(() => decodeInvoice(invoice.bytes, { now: 1_700_007_200 }))).toBeUndefined();
    expect(errorCode(() => decodeInvoice(invoice.bytes, { now: 1_700_007_201 }))).toBe('EXPIRED');
  });
  it('fails parsing invoice without invoice_paths', () => {
    expect(errorCode(() => decodeInvoice(broken(160n, undefined)))).toBe('MISSING_FIELD');
  });
  it('fails parsing invoice with fewer payinfos than paths', () => {
    const one = invoice.records.find((r) => r.type === 162n)!.value;
    expect(errorCode(() => decodeInvoice(broken(162n, one.subarray(0, one.length / 2))))).toBe(
      'INVALID_FIELD',
    );
  });
  it('fails parsing invoice with the static-invoice paths field 236', () => {
    expect(
      errorCode(() => decodeInvoice(broken(236n, encodeBlindedPath(opaquePath(PEOPLE.carol.id, 1, 0))))),
    ).toBe('TLV_UNKNOWN_EVEN_TYPE');
  });
  it('fails verifying invoice whose invreq field changed after signing', () => {
    const bytes = encodeTlvRecords(edit(invoice.records, 89n, new TextEncoder().encode('hi')));
    expect(errorCode(() => verifyInvoice(decodeInvoice(bytes)))).toBe('BAD_SIGNATURE');
  });
  it('keeps an unknown odd experimental invoice field and its signature', () => {
    const bytes = resign(edit(invoice.records, 3_000_000_001n, Uint8Array.of(9)), 'invoice', alice);
    const parsed = verifyInvoice(decodeInvoice(bytes));
    expect(parsed.unknown.map((r) => r.type)).toEqual([3_000_000_001n]);
    expect(parsed.bytes).toEqual(bytes);
  });
});

describe('invoice_error', () => {
  it('round-trips', () => {
    const err = buildInvoiceError({
      erroneousField: 82n,
      suggestedValue: Uint8Array.of(1),
      error: 'too low',
    });
    expect(decodeInvoiceError(err.bytes).fields).toEqual(err.fields);
  });
  it('fails parsing invoice_error without error', () => {
    expect(errorCode(() => decodeInvoiceError(fromHex('010152')))).toBe('MISSING_FIELD');
  });
  it('fails parsing invoice_error with suggested_value but no erroneous_field', () => {
    expect(errorCode(() => decodeInvoiceError(fromHex('030101050178')))).toBe('FORBIDDEN_FIELD');
  });
  it('fails parsing invoice_error with an unknown even type', () => {
    expect(errorCode(() => decodeInvoiceError(fromHex('05017806017f')))).toBe('TLV_UNKNOWN_EVEN_TYPE');
  });
});

describe('bolt12 strings', () => {
  it('round-trip every prefix', () => {
    for (const hrp of ['lno', 'lnr', 'lni'] as const) {
      const bytes = Uint8Array.of(1, 2, 3, 4, 5);
      expect(decodeBolt12String(encodeBolt12String(hrp, bytes))).toEqual({ hrp, bytes });
    }
  });
});

describe('verification states', () => {
  it('keeps parsed and verified invoices apart at the type level (pnpm typecheck checks this)', () => {
    const pay = (invoice: VerifiedInvoice): bigint | undefined => invoice.fields.invoiceAmount;
    const parsed = decodeInvoice(aliceInvoice().bytes);
    // @ts-expect-error a parsed invoice has not been verified
    pay(parsed);
    expect(pay(verifyInvoice(parsed))).toBe(5000n);
  });
  it('keeps unsigned and verified static invoices apart at the type level', () => {
    const serve = (invoice: VerifiedStaticInvoice): number => invoice.bytes.length;
    const unsigned = buildStaticInvoice(asyncOffer(), staticInvoiceFields());
    // @ts-expect-error an unsigned static invoice is not verified
    serve(unsigned);
    expect(serve(signStaticInvoice(unsigned, PEOPLE.alice.secret, AUX))).toBeGreaterThan(0);
  });
});
