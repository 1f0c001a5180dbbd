/**
 * What every BOLT 12 message shares: reading a stream over its type ranges with one table, the
 * message shapes (unsigned, signed-but-unverified, verified), feature-bit and blinded-path checks, and
 * signing and verifying the Merkle root.
 *
 * The three steps stay apart, each with its own error class:
 * 1. **parse** ({@link parseStream}): bytes → records → field values. `DecodeError`.
 * 2. **interpret**: each message module checks its reader requirements. `SemanticError`.
 * 3. **authenticate**: `verifyX` checks the signature. `SignatureError`.
 */
import { schnorr } from '@noble/curves/secp256k1.js';
import type { BlindedPath } from '../blinded-path.js';
import { abytes, equalBytes, fromHex } from '../bytes.js';
import { SemanticError, type SemanticErrorCode, SignatureError } from '../errors.js';
import { fixed } from '../fundamental.js';
import {
  assertTypesInRanges,
  decodeTlvRecords,
  encodeTlvStream,
  readTlvRecords,
  type TlvRecord,
  type TlvTable,
  type TlvValues,
  tlv,
} from '../tlv.js';
import { type Bolt12Hrp, decodeBolt12String } from './bech32.js';
import { merkleRoot, signatureTag, signMerkleRoot, verifyMerkleSignature } from './merkle.js';
import type { TypeRange } from './ranges.js';

/** The signature TLV element every signed BOLT 12 message carries (type 240). */
// biome-ignore format: aligned table
export const SIGNATURE_TABLE = {
  signature: tlv(240n, 'signature', fixed(64)),
} as const;

/** A parsed (or built) BOLT 12 TLV message: its exact bytes, its records and its field values. */
export interface Bolt12Message<K extends string, F> {
  readonly kind: K;
  /** The exact bytes parsed (or encoded): re-encoding is never needed to check a signature. */
  readonly bytes: Uint8Array;
  /** Every record in stream order, views into `bytes`. */
  readonly records: readonly TlvRecord[];
  /** Records no table knows (odd types only): kept, so they round-trip and stay signed. */
  readonly unknown: readonly TlvRecord[];
  readonly fields: Readonly<F>;
}

/** A message that carries a signature which has not been checked yet. */
export interface SignedMessage<K extends string, F> extends Bolt12Message<K, F> {
  readonly signature: Uint8Array;
}

declare const VERIFIED: unique symbol;

/**
 * A signed message whose signature was checked (by `verifyX`) or made (by `signX`). Only this codec
 * produces the brand, so a function taking `Verified<ParsedInvoice>` cannot be handed an unchecked one.
 */
export type Verified<T> = T & { readonly [VERIFIED]: true };

/** @internal Brand a message as verified; only for the `verifyX`/`signX` functions of this folder. */
export function markVerified<T>(message: T): Verified<T> {
  return message as Verified<T>;
}

/** Options shared by the BOLT 12 readers. */
export interface ReadOptions {
  /**
   * The current time in seconds since 1970. Given, expiries are checked (`EXPIRED`); omitted, they are
   * not (there is no hidden clock).
   */
  now?: number | bigint;
  /**
   * The chains (32-byte chain hashes) the caller accepts. Given, "MUST NOT respond to the offer" / "MUST
   * reject" when none is usable applies (`UNSUPPORTED_CHAIN`); omitted, only an empty `offer_chains` fails.
   */
  chains?: readonly Uint8Array[];
}

/** The bitcoin mainnet chain hash (the genesis block hash, reversed as BOLT 0 says). */
export const BITCOIN_CHAIN = fromHex('6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000');

/** Accept a BOLT 12 string with one of `hrps`, or raw TLV bytes. */
export function inputBytes(input: string | Uint8Array, hrps: Bolt12Hrp | readonly Bolt12Hrp[]): Uint8Array {
  if (typeof input === 'string') return decodeBolt12String(input, hrps).bytes;
  return abytes(input, undefined, 'input');
}

/** The result of {@link parseStream}. */
export interface ParsedStream<T extends TlvTable> {
  bytes: Uint8Array;
  records: TlvRecord[];
  unknown: TlvRecord[];
  values: TlvValues<T>;
}

/**
 * Step 1, parse: split `bytes` into records (BOLT 1 stream rules), fail any record outside `ranges`
 * (`TLV_TYPE_OUT_OF_RANGE`), then decode every known field with `table` (unknown even →
 * `TLV_UNKNOWN_EVEN_TYPE`, unknown odd → kept).
 */
export function parseStream<T extends TlvTable>(
  bytes: Uint8Array,
  table: T,
  ranges: readonly TypeRange[],
  field: string,
): ParsedStream<T> {
  const records = readTlvRecords(bytes, field);
  assertTypesInRanges(records, ranges, field);
  const { values, unknown } = decodeTlvRecords(records, table, { field });
  return { bytes, records, unknown, values };
}

/**
 * Encode field values plus kept unknown records, then parse the result back, so a built message has
 * exactly the shape (and record views) of a parsed one.
 */
export function buildStream<T extends TlvTable>(
  table: T,
  values: TlvValues<T>,
  unknown: readonly TlvRecord[],
  ranges: readonly TypeRange[],
  field: string,
): ParsedStream<T> {
  const bytes = encodeTlvStream(table, values, unknown);
  return parseStream(bytes, table, ranges, field);
}

/** Throw a `SemanticError` with `code` about `field`. */
export function semantic(code: SemanticErrorCode, field: string, why: string): never {
  throw new SemanticError(code, `${field}: ${why}`, { field });
}

/** "MUST reject … if `field` is not present." */
export function required<V>(value: V | undefined, field: string): V {
  if (value === undefined) semantic('MISSING_FIELD', field, 'required field is missing');
  return value;
}

/** "MUST NOT set `field`." */
export function forbidden(value: unknown, field: string, why = 'must not be set'): void {
  if (value !== undefined) semantic('FORBIDDEN_FIELD', field, why);
}

/**
 * Feature bits: "if … contains unknown _even_ bits that are non-zero: MUST reject"; unknown odd bits are
 * ignored. `known` lists the bits this codec understands. Bit 0 is the last byte's lowest bit.
 */
export function checkFeatures(
  features: Uint8Array | undefined,
  known: readonly number[],
  field: string,
): void {
  if (features === undefined) return;
  const bit = firstUnknownEvenBit(features, known);
  if (bit !== undefined) semantic('UNKNOWN_REQUIRED_FEATURE', field, `unknown required feature bit ${bit}`);
}

/** The lowest set even bit of `features` not in `known`, if any. */
export function firstUnknownEvenBit(features: Uint8Array, known: readonly number[]): number | undefined {
  for (let i = 0; i < features.length; i++) {
    const byte = features[features.length - 1 - i]!;
    for (let b = 0; b < 8; b += 2) {
      const n = i * 8 + b;
      if (byte & (1 << b) && !known.includes(n)) return n;
    }
  }
  return undefined;
}

/** "MUST reject … if `num_hops` is 0 in any `blinded_path`" (`EMPTY_PATH`). */
export function checkPaths(paths: readonly BlindedPath[] | undefined, field: string): void {
  if (paths === undefined) return;
  paths.forEach((p, i) => {
    if (p.hops.length === 0) semantic('EMPTY_PATH', `${field}[${i}]`, 'num_hops is 0');
  });
}

/** "MUST reject if the current time … is greater than" `expiresAt` (only when `now` is given). */
export function checkExpiry(now: number | bigint | undefined, expiresAt: bigint, field: string): void {
  if (now === undefined) return;
  if (BigInt(now) > expiresAt) semantic('EXPIRED', field, `expired at ${expiresAt}, now ${now}`);
}

/** Whether `chain` is in `chains` (byte equality). */
export function hasChain(chains: readonly Uint8Array[], chain: Uint8Array): boolean {
  return chains.some((c) => equalBytes(c, chain));
}

/** The signature field of a parsed stream, or `SignatureError('MISSING_SIGNATURE')`. */
export function requireSignature(signature: Uint8Array | undefined, message: string): Uint8Array {
  if (signature === undefined) {
    throw new SignatureError('MISSING_SIGNATURE', `${message}: no signature`, { field: 'signature' });
  }
  return signature;
}

/**
 * Step 3, authenticate: check `signature` over the Merkle root of `records` under the tag
 * "lightning" || `messageName` || "signature" by `key` (`SignatureError('BAD_SIGNATURE')`).
 */
export function checkSignature(
  records: readonly TlvRecord[],
  messageName: string,
  signature: Uint8Array,
  key: Uint8Array,
): void {
  if (!verifyMerkleSignature(signatureTag(messageName), merkleRoot(records), signature, key)) {
    throw new SignatureError('BAD_SIGNATURE', `${messageName}: signature does not verify`, {
      field: 'signature',
      tlvType: 240n,
    });
  }
}

/**
 * Check, before signing, that `secretKey` belongs to the 33-byte `publicKey` the message names (BIP-340
 * keys are x-only, so the x coordinates are compared).
 *
 * @throws RangeError naming `field` on a mismatch.
 */
export function assertSigningKey(secretKey: Uint8Array, publicKey: Uint8Array, field: string): void {
  abytes(secretKey, 32, 'secretKey');
  if (!equalBytes(schnorr.getPublicKey(secretKey), publicKey.subarray(1))) {
    throw new RangeError(`secretKey does not belong to ${field}`);
  }
}

/**
 * Sign the Merkle root of `records` (which must hold no signature yet) and return the signature
 * record to append.
 */
export function signRecords(
  records: readonly TlvRecord[],
  messageName: string,
  secretKey: Uint8Array,
  auxRand?: Uint8Array,
): TlvRecord {
  const sig = signMerkleRoot(signatureTag(messageName), merkleRoot(records), secretKey, auxRand);
  return { type: 240n, value: sig };
}

/**
 * Steps 1 and 2 of a signed message's reader: parse `bytes` with `table`, run the message's reader
 * checks (`check`), then require the signature (`MISSING_SIGNATURE`), which is **not** checked here.
 *
 * @example
 * ```ts
 * const parsed = decodeSigned('invoice', inputBytes(input, 'lni'), INVOICE_TABLE, MESSAGE_RANGES.invoice, (f) =>
 *   checkInvoiceFields(f, opts),
 * );
 * ```
 */
export function decodeSigned<K extends string, T extends TlvTable>(
  kind: K,
  bytes: Uint8Array,
  table: T,
  ranges: readonly TypeRange[],
  check: (values: TlvValues<T>) => void,
): SignedMessage<K, TlvValues<T>> {
  const s = parseStream(bytes, table, ranges, kind);
  check(s.values);
  const signature = requireSignature((s.values as { signature?: Uint8Array }).signature, kind);
  return { kind, bytes: s.bytes, records: s.records, unknown: s.unknown, fields: s.values, signature };
}

/**
 * Step 3: check the signature of `message` by `key` (tag "lightning" ‖ kind ‖ "signature") and brand
 * it verified.
 *
 * @throws SignatureError `BAD_SIGNATURE`.
 */
export function verifySigned<M extends SignedMessage<string, unknown>>(
  message: M,
  key: Uint8Array,
): Verified<M> {
  checkSignature(message.records, message.kind, message.signature, key);
  return markVerified(message);
}

/**
 * Sign `unsigned` with `secretKey`, which must belong to `key.publicKey` (the message's `key.field`),
 * and re-encode it with the signature record; the result is verified by construction.
 *
 * @throws RangeError naming `key.field` when `secretKey` does not belong to it.
 */
export function signStream<K extends string, T extends TlvTable>(
  unsigned: Bolt12Message<K, TlvValues<T>>,
  table: T,
  ranges: readonly TypeRange[],
  key: { publicKey: Uint8Array; field: string },
  secretKey: Uint8Array,
  auxRand?: Uint8Array,
): Verified<SignedMessage<K, TlvValues<T>>> {
  assertSigningKey(secretKey, key.publicKey, key.field);
  const sig = signRecords(unsigned.records, unsigned.kind, secretKey, auxRand);
  const all = { ...unsigned.fields, signature: sig.value } as TlvValues<T>;
  const s = buildStream(table, all, unsigned.unknown, ranges, unsigned.kind);
  const { bytes, records, unknown, values: fields } = s;
  return markVerified({ kind: unsigned.kind, bytes, records, unknown, fields, signature: sig.value });
}
