/**
 * A field-by-field view of an async-payment onion message, for the `decode` command, the published
 * vectors and debugging: each inner TLV record with its type, name, length, hex and a JSON-friendly value.
 *
 * The record is first decoded with the strict decoder, so a view exists only for a valid message (typed
 * codec errors otherwise). Values are plain JSON: bytes as lowercase hex, integers beyond 2^53 as decimal
 * strings (u64 fields always as strings), blinded paths as objects.
 *
 * @example
 * ```ts
 * describeAsyncMessage({ type: 75540n, value: fromHex('0400020003') }).fields;
 * // [{ type: '0', name: 'invoice_slot', length: 2, hex: '0003', value: 3 }]
 * ```
 */
import type { BlindedPath } from '../blinded-path.js';
import { toHex } from '../bytes.js';
import { formatShortChannelId } from '../fundamental.js';
import { DEFAULT_PROFILE, type WireProfile } from '../profile.js';
import { readTlvRecords, type TlvRecord, type TlvTable } from '../tlv.js';
import {
  type AsyncMessageKind,
  asyncMessageKindOf,
  checkProfile,
  emptyTable,
  unframeContent,
} from './framing.js';
import { type AsyncPaymentMessage, decodeAsyncMessageOfKind } from './message.js';
import { offerPathsTlvs } from './offer-paths.js';
import { offerPathsRequestTlvs } from './offer-paths-request.js';
import { serveStaticInvoiceTlvs } from './serve-static-invoice.js';

/** The inner TLV table of each kind. */
// prettier-ignore
// biome-ignore format: aligned table
export const ASYNC_MESSAGE_TABLES: Readonly<Record<AsyncMessageKind, TlvTable>> = {
  held_htlc_available:      emptyTable,
  release_held_htlc:        emptyTable,
  offer_paths_request:      offerPathsRequestTlvs,
  offer_paths:              offerPathsTlvs,
  serve_static_invoice:     serveStaticInvoiceTlvs,
  static_invoice_persisted: emptyTable,
};

/** One inner record, described. */
export interface AsyncFieldView {
  /** The TLV type as a decimal string. */
  type: string;
  /** The field name, or `unknown` for a kept unknown odd record. */
  name: string;
  /** Value length in bytes. */
  length: number;
  /** The value bytes, lowercase hex. */
  hex: string;
  /** The interpreted value, JSON-friendly. */
  value: unknown;
}

/** A described async-payment message. */
export interface AsyncMessageView {
  kind: AsyncMessageKind;
  profile: WireProfile;
  /** The `onionmsg_tlv` type as a decimal string. */
  type: string;
  /** The inner TLV stream, lowercase hex (without the LDK length prefix). */
  inner: string;
  fields: AsyncFieldView[];
  /** The decoded message. */
  message: AsyncPaymentMessage;
}

/** A blinded path as plain JSON. */
export function blindedPathJson(p: BlindedPath): Record<string, unknown> {
  const intro =
    'nodeId' in p.introductionNode
      ? toHex(p.introductionNode.nodeId)
      : { scid: formatShortChannelId(p.introductionNode.scid), direction: p.introductionNode.direction };
  return {
    first_node_id: intro,
    first_path_key: toHex(p.pathKey),
    hops: p.hops.map((h) => ({
      blinded_node_id: toHex(h.blindedNodeId),
      encrypted_recipient_data: toHex(h.encryptedData),
    })),
  };
}

function fieldValue(msg: AsyncPaymentMessage, name: string): unknown {
  switch (msg.kind) {
    case 'offer_paths_request':
      return msg.invoiceSlot;
    case 'offer_paths':
      return name === 'offer_paths' ? msg.paths.map(blindedPathJson) : msg.pathsAbsoluteExpiry?.toString();
    case 'serve_static_invoice':
      return name === 'static_invoice' ? toHex(msg.invoice) : blindedPathJson(msg.forwardInvoiceRequestPath);
    default:
      return undefined;
  }
}

/** Decode (strictly) and describe an `onionmsg_tlv` record; `undefined` if its type is not ours. */
export function describeAsyncMessage(
  record: TlvRecord,
  profile: WireProfile = DEFAULT_PROFILE,
): AsyncMessageView | undefined {
  const kind = asyncMessageKindOf(record.type, checkProfile(profile));
  if (kind === undefined) return undefined;
  const message = decodeAsyncMessageOfKind(kind, record, profile);
  const inner = unframeContent(kind, record, profile);
  const names = new Map(Object.values(ASYNC_MESSAGE_TABLES[kind]).map((f) => [f.type, f.name]));
  const fields = readTlvRecords(inner).map((rec) => {
    const name = names.get(rec.type);
    return {
      type: rec.type.toString(),
      name: name ?? 'unknown',
      length: rec.value.length,
      hex: toHex(rec.value),
      value: name === undefined ? toHex(rec.value) : fieldValue(message, name),
    };
  });
  return { kind, profile, type: record.type.toString(), inner: toHex(inner), fields, message };
}
