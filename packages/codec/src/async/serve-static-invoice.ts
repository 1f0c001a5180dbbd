/**
 * `serve_static_invoice` (LDK 75544, bLIP-66 draft 65544): the async recipient hands its static invoice
 * to the server, with a path over which the server forwards `invoice_request`s when it is online.
 *
 * bLIP-66 `serve_static_invoice_tlvs`: type 0 `static_invoice` [`tlv_static_invoice`:`static_inv`],
 * type 2 `forward_invoice_request_path` [`blinded_path`]. LDK: `(0, invoice, required)` — the invoice's
 * TLV bytes with no extra length (`WithoutLength`) — and `(2, forward_invoice_request_path, required)`.
 *
 * The invoice stays raw bytes here: the BOLT 12 static-invoice parser interprets it. We only require it
 * non-empty; LDK's reader also parses it (a bad invoice is InvalidValue there) — do that with the BOLT 12
 * parser before storing it.
 *
 * @example
 * ```ts
 * const rec = encodeServeStaticInvoice({ invoice: invoiceBytes, forwardInvoiceRequestPath: path });
 * ```
 */
import { type BlindedPath, blindedPath } from '../blinded-path.js';
import { SemanticError } from '../errors.js';
import { bytes } from '../fundamental.js';
import { DEFAULT_PROFILE, type WireProfile } from '../profile.js';
import { type TlvRecord, type TlvTable, tlv } from '../tlv.js';
import {
  type AsyncMessageBase,
  checkPathHops,
  decodeInner,
  encodeInner,
  frameContent,
  requireField,
  unframeContent,
} from './framing.js';

/** Inner TLV stream of `serve_static_invoice`. */
// prettier-ignore
// biome-ignore format: aligned table
export const serveStaticInvoiceTlvs = {
  static_invoice:               tlv(0n, 'static_invoice',               bytes),
  forward_invoice_request_path: tlv(2n, 'forward_invoice_request_path', blindedPath),
} as const satisfies TlvTable;

/** A decoded `serve_static_invoice`. */
export interface ServeStaticInvoice extends AsyncMessageBase {
  /** The static invoice's TLV stream, uninterpreted (parse it with the BOLT 12 static-invoice codec). */
  invoice: Uint8Array;
  /** Where the server forwards `invoice_request`s for this invoice's offer. */
  forwardInvoiceRequestPath: BlindedPath;
}

const KIND = 'serve_static_invoice';

function check(msg: ServeStaticInvoice): void {
  if (msg.invoice.length === 0) {
    throw new SemanticError('INVALID_FIELD', 'serve_static_invoice: static_invoice is empty', {
      field: 'static_invoice',
    });
  }
  checkPathHops(KIND, 'forward_invoice_request_path', msg.forwardInvoiceRequestPath);
}

/** Encode `serve_static_invoice` as its `onionmsg_tlv` record (runs the reader's semantic checks first). */
export function encodeServeStaticInvoice(
  msg: ServeStaticInvoice,
  profile: WireProfile = DEFAULT_PROFILE,
): TlvRecord {
  if (!(msg.invoice instanceof Uint8Array)) throw new TypeError('invoice must be a Uint8Array');
  check(msg);
  const inner = encodeInner(
    serveStaticInvoiceTlvs,
    { static_invoice: msg.invoice, forward_invoice_request_path: msg.forwardInvoiceRequestPath },
    msg.unknown,
  );
  return frameContent(KIND, inner, profile);
}

/** Decode the `onionmsg_tlv` record of a `serve_static_invoice`. */
export function decodeServeStaticInvoice(
  record: TlvRecord,
  profile: WireProfile = DEFAULT_PROFILE,
): ServeStaticInvoice {
  const { values, unknown } = decodeInner(
    KIND,
    unframeContent(KIND, record, profile),
    serveStaticInvoiceTlvs,
  );
  const out: ServeStaticInvoice = {
    invoice: requireField(KIND, 'static_invoice', values.static_invoice),
    forwardInvoiceRequestPath: requireField(
      KIND,
      'forward_invoice_request_path',
      values.forward_invoice_request_path,
    ),
  };
  if (unknown.length > 0) out.unknown = unknown;
  check(out);
  return out;
}
