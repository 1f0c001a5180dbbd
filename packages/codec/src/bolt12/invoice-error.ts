/**
 * BOLT 12 `invoice_error`: the informative error returned over an onion `reply_path` for an
 * `invoice_request` or an `invoice`. Not signed, and it has no string form.
 *
 * The spec's reader section is still "FIXME", so the checks here are the writer's rules, applied to
 * both the builder and the decoder: "MUST set `error` to an explanatory string", and `suggested_value`
 * only with `erroneous_field` ("otherwise: MUST NOT set `suggested_value`").
 *
 * @example
 * ```ts
 * const err = buildInvoiceError({ erroneousField: 82n, error: 'amount too low' });
 * decodeInvoiceError(err.bytes).fields.error; // 'amount too low'
 * ```
 */
import { abytes } from '../bytes.js';
import { bytes, tu64, utf8 } from '../fundamental.js';
import { type TlvRecord, type TlvValues, tlv } from '../tlv.js';
import { type Bolt12Message, buildStream, forbidden, parseStream, required } from './message.js';
import type { TypeRange } from './ranges.js';

/** The invoice_error fields (BOLT 12 "TLV Fields for `invoice_error`"). */
// biome-ignore format: aligned table
export const INVOICE_ERROR_TABLE = {
  erroneousField: tlv(1n, 'erroneous_field', tu64),
  suggestedValue: tlv(3n, 'suggested_value', bytes),
  error:          tlv(5n, 'error',           utf8),
} as const;

/** The invoice_error fields, all optional as on the wire. */
export type InvoiceErrorFields = TlvValues<typeof INVOICE_ERROR_TABLE>;

/** A parsed or built invoice_error. */
export type InvoiceError = Bolt12Message<'invoice_error', InvoiceErrorFields>;

/** invoice_error defines no type ranges: any type is allowed, under the BOLT 1 rules. */
const ANY: readonly TypeRange[] = [[0n, (1n << 64n) - 1n]];
const NAME = 'invoice_error';

/** The writer's rules, applied on both sides (see the module comment). */
export function checkInvoiceErrorFields(f: InvoiceErrorFields): void {
  required(f.error, 'error');
  if (f.erroneousField === undefined) forbidden(f.suggestedValue, 'suggested_value', 'needs erroneous_field');
}

/**
 * Decode an invoice_error from its TLV bytes.
 *
 * @throws DecodeError, SemanticError (`MISSING_FIELD` error, `FORBIDDEN_FIELD` suggested_value).
 */
export function decodeInvoiceError(input: Uint8Array): InvoiceError {
  const s = parseStream(abytes(input, undefined, 'input'), INVOICE_ERROR_TABLE, ANY, NAME);
  checkInvoiceErrorFields(s.values);
  return { kind: NAME, bytes: s.bytes, records: s.records, unknown: s.unknown, fields: s.values };
}

/** Build an invoice_error (plus optional unknown odd records), with the same checks as the decoder. */
export function buildInvoiceError(
  fields: InvoiceErrorFields,
  opts: { unknown?: readonly TlvRecord[] } = {},
): InvoiceError {
  const s = buildStream(INVOICE_ERROR_TABLE, fields, opts.unknown ?? [], ANY, NAME);
  checkInvoiceErrorFields(s.values);
  return { kind: NAME, bytes: s.bytes, records: s.records, unknown: s.unknown, fields: s.values };
}
