/**
 * Typed errors of the codec, one class per layer:
 *
 * - {@link DecodeError}: the bytes do not parse (BOLT 1 framing, TLV rules, bech32, truncation).
 * - {@link SemanticError}: the bytes parse but the message breaks a reader requirement (missing or
 *   forbidden field, expired, inconsistent amounts).
 * - {@link SignatureError}: the message is well-formed but not authentic (bad signature, HMAC).
 *
 * Every error has a stable `code` from a closed union; tests assert the code, never the wording.
 * `field` names the offending field (or TLV name) and `tlvType` its type when there is one.
 */

/** The codes of {@link DecodeError}: why the bytes or string do not parse. */
export type DecodeErrorCode =
  | 'UNEXPECTED_EOF'
  | 'TRAILING_BYTES'
  | 'BIGSIZE_NOT_MINIMAL'
  | 'TRUNCATED_INT_NOT_MINIMAL'
  | 'INT_TOO_LONG'
  | 'TLV_TYPE_NOT_INCREASING'
  | 'TLV_LENGTH_OVERFLOW'
  | 'TLV_UNKNOWN_EVEN_TYPE'
  | 'TLV_TYPE_OUT_OF_RANGE'
  | 'TLV_BAD_VALUE'
  | 'INVALID_POINT'
  | 'INVALID_UTF8'
  | 'INVALID_HEX'
  | 'BECH32_INVALID'
  | 'BECH32_WRONG_PREFIX'
  | 'BECH32_BAD_PADDING'
  | 'STRING_FORMAT'
  | 'ONION_BAD_VERSION'
  | 'ONION_BAD_LENGTH'
  | 'ONION_BAD_PAYLOAD_LENGTH'
  | 'MESSAGE_UNKNOWN_TYPE'
  | 'JSON_INVALID';

/** The codes of {@link SemanticError}: which reader requirement the parsed message breaks. */
export type SemanticErrorCode =
  | 'MISSING_FIELD'
  | 'FORBIDDEN_FIELD'
  | 'INVALID_FIELD'
  | 'INVALID_AMOUNT'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'UNSUPPORTED_CHAIN'
  | 'UNSUPPORTED_CURRENCY'
  | 'UNKNOWN_REQUIRED_FEATURE'
  | 'QUANTITY_INVALID'
  | 'MISMATCHED_OFFER'
  | 'EMPTY_PATH'
  | 'REPLAYED'
  | 'STALE'
  | 'NODE_ID_MISMATCH'
  | 'UNEXPECTED_CHAIN';

/** The codes of {@link SignatureError}: why a well-formed message is not authentic. */
export type SignatureErrorCode =
  | 'MISSING_SIGNATURE'
  | 'BAD_SIGNATURE'
  | 'BAD_HMAC'
  | 'WRONG_SIGNER'
  | 'BAD_ENCRYPTION'
  | 'BAD_PREIMAGE';

interface Detail {
  /** The offending field or TLV record name. */
  field?: string;
  /** The offending TLV type, when the error concerns one record. */
  tlvType?: bigint;
  /** Byte offset in the input, when known. */
  offset?: number;
  cause?: unknown;
}

/** Base of every codec error. */
export abstract class CodecError<C extends string = string> extends Error {
  abstract readonly layer: 'decode' | 'semantic' | 'signature';
  readonly field: string | undefined;
  readonly tlvType: bigint | undefined;
  readonly offset: number | undefined;
  constructor(
    readonly code: C,
    message: string,
    detail: Detail = {},
  ) {
    super(message, detail.cause === undefined ? undefined : { cause: detail.cause });
    this.field = detail.field;
    this.tlvType = detail.tlvType;
    this.offset = detail.offset;
  }
}

/** The bytes (or string) do not parse. */
export class DecodeError extends CodecError<DecodeErrorCode> {
  override readonly name = 'DecodeError';
  readonly layer = 'decode';
}

/** The message parses but breaks a reader requirement of its spec. */
export class SemanticError extends CodecError<SemanticErrorCode> {
  override readonly name = 'SemanticError';
  readonly layer = 'semantic';
}

/** The message is well-formed but not authentic. */
export class SignatureError extends CodecError<SignatureErrorCode> {
  override readonly name = 'SignatureError';
  readonly layer = 'signature';
}
