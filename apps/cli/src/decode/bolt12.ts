/**
 * `asyncpay decode` for the BOLT 12 messages: parse, check the reader requirements, then verify the
 * signature (a bad one is reported as `signature: { valid: false }`, not thrown).
 */
import { decodeInvoice, INVOICE_TABLE, verifyInvoice } from '@asyncpay/codec/bolt12/invoice';
import { decodeInvoiceError, INVOICE_ERROR_TABLE } from '@asyncpay/codec/bolt12/invoice-error';
import {
  decodeInvoiceRequest,
  INVOICE_REQUEST_TABLE,
  verifyInvoiceRequest,
} from '@asyncpay/codec/bolt12/invoice-request';
import type { Bolt12Message } from '@asyncpay/codec/bolt12/message';
import { decodeOffer, OFFER_TABLE } from '@asyncpay/codec/bolt12/offer';
import {
  decodeStaticInvoice,
  STATIC_INVOICE_TABLES,
  verifyStaticInvoice,
} from '@asyncpay/codec/bolt12/static-invoice';
import { SignatureError } from '@asyncpay/codec/errors';
import type { TlvTable } from '@asyncpay/codec/tlv';
import { fieldRows } from './fields.js';
import type { DecodeResult, KindDecoder } from './registry.js';

/** Rows of a message, named and valued through its table. */
function rowsOf(table: TlvTable, message: Bolt12Message<string, object>): DecodeResult['fields'] {
  const byType = new Map(Object.entries(table).map(([key, f]) => [f.type, { key, name: f.name }]));
  const values = message.fields as Record<string, unknown>;
  return fieldRows(message.records, (type) => {
    const f = byType.get(type);
    return f && { name: f.name, value: values[f.key] };
  });
}

/** Run `verify`; a `BAD_SIGNATURE` becomes `valid: false`. */
function signatureOf(verify: () => unknown): { valid: boolean } {
  try {
    verify();
    return { valid: true };
  } catch (e) {
    if (e instanceof SignatureError && e.code === 'BAD_SIGNATURE') return { valid: false };
    throw e;
  }
}

/** The BOLT 12 kinds, most specific first (the order hex input is tried in). */
export const bolt12Decoders: KindDecoder[] = [
  {
    kind: 'invoice',
    hrps: ['lni'],
    decode(bytes, opts) {
      const m = decodeInvoice(bytes, { now: opts.now });
      return { fields: rowsOf(INVOICE_TABLE, m), signature: signatureOf(() => verifyInvoice(m)) };
    },
  },
  {
    kind: 'static_invoice',
    hrps: ['lni'],
    decode(bytes, opts) {
      const m = decodeStaticInvoice(bytes, { now: opts.now, profile: opts.profile });
      const table = STATIC_INVOICE_TABLES[opts.profile];
      return { fields: rowsOf(table, m), signature: signatureOf(() => verifyStaticInvoice(m)) };
    },
  },
  {
    kind: 'invoice_request',
    hrps: ['lnr'],
    decode(bytes, opts) {
      const m = decodeInvoiceRequest(bytes, { now: opts.now });
      return {
        fields: rowsOf(INVOICE_REQUEST_TABLE, m),
        signature: signatureOf(() => verifyInvoiceRequest(m)),
      };
    },
  },
  {
    kind: 'offer',
    hrps: ['lno'],
    decode: (bytes, opts) => ({ fields: rowsOf(OFFER_TABLE, decodeOffer(bytes, { now: opts.now })) }),
  },
  {
    kind: 'invoice_error',
    decode: (bytes) => ({ fields: rowsOf(INVOICE_ERROR_TABLE, decodeInvoiceError(bytes)) }),
  },
];
