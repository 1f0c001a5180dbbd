/** Turning decoded TLV records into the rows `asyncpay decode` prints. */
import { toHex } from '@asyncpay/codec/bytes';
import type { TlvRecord } from '@asyncpay/codec/tlv';
import type { DecodedField } from './registry.js';

/**
 * A JSON-friendly copy of a decoded value: bigints become decimal strings, byte arrays lowercase hex,
 * arrays and plain objects are copied recursively.
 */
export function jsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  }
  return v;
}

/**
 * Rows for `records`, naming and decoding each with `describe` (type → name and decoded value).
 */
export function fieldRows(
  records: readonly TlvRecord[],
  describe: (type: bigint) => { name: string; value: unknown } | undefined,
): DecodedField[] {
  return records.map((r) => {
    const known = describe(r.type);
    return {
      type: r.type <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r.type) : r.type.toString(),
      name: known?.name ?? 'unknown',
      length: r.value.length,
      hex: toHex(r.value),
      value: known === undefined ? null : jsonValue(known.value),
    };
  });
}
