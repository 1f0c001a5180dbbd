/**
 * The message kinds `asyncpay decode` knows, one {@link KindDecoder} each. The BOLT 12 kinds come from
 * `bolt12.ts`; other modules add theirs with one import and one spread line below.
 *
 * When the input is hex and no `--as` is given, the kinds are tried **in this array's order** and the
 * first that decodes wins; so more specific kinds (signed, with required fields) come first.
 */
import type { WireProfile } from '@asyncpay/codec/profile';
import { asyncDecoders } from './async.js';
import { bolt12Decoders } from './bolt12.js';

/** What a decoder is told besides the bytes. */
export interface DecodeOptions {
  profile: WireProfile;
  /** Current time in seconds since 1970 (`--now`); expiries are only checked when given. */
  now?: number;
}

/** One TLV record as printed. */
export interface DecodedField {
  /** A number, or a string beyond 2^53. */
  type: number | string;
  /** The spec's field name, or `unknown`. */
  name: string;
  length: number;
  hex: string;
  /** The decoded value in JSON-friendly form (bigints as strings, bytes as hex), `null` if unknown. */
  value: unknown;
}

/** What a decoder returns. */
export interface DecodeResult {
  fields: DecodedField[];
  /** For signed messages: whether the signature verifies. */
  signature?: { valid: boolean };
}

/** One decodable message kind. */
export interface KindDecoder {
  /** The `--as` name, e.g. `offer` or `static_invoice`. */
  kind: string;
  /** BOLT 12 string prefixes that hold this kind (`lno`, `lnr`, `lni`), if any. */
  hrps?: readonly string[];
  /** Decode and check `bytes`; throws the codec's typed errors. A bad signature is reported, not thrown. */
  decode(bytes: Uint8Array, opts: DecodeOptions): DecodeResult;
}

/** Every kind, in the order hex input is tried. */
export const decoders: KindDecoder[] = [...bolt12Decoders, ...asyncDecoders];
