/**
 * `asyncpay decode` plug-ins for the six async-payment onion messages. The input is one whole
 * `onionmsg_tlv` record (BigSize type ‖ BigSize length ‖ value), as hex; `--profile ldk|spec` picks the
 * numbers and framing (LDK's BigSize length before the inner stream, or the spec's plain stream).
 * The output lists the inner TLV records with their names and interpreted values.
 *
 * Example: `asyncpay decode offer_paths_request fe00012714050400020003` →
 * `invoice_slot` (type 0, 2 bytes, `0003`) = 3.
 */
import { describeAsyncMessage } from '@asyncpay/codec/async/describe';
import {
  ASYNC_MESSAGE_KINDS,
  ASYNC_MESSAGE_TYPES,
  type AsyncMessageKind,
} from '@asyncpay/codec/async/framing';
import { DecodeError } from '@asyncpay/codec/errors';
import { DEFAULT_PROFILE, type WireProfile } from '@asyncpay/codec/profile';
import { readTlvRecords } from '@asyncpay/codec/tlv';

/** One decoded field, as the decode command prints it. */
export interface AsyncDecodedField {
  type: bigint;
  name: string;
  length: number;
  hex: string;
  value: unknown;
}

/** A decoder plug-in for one async-payment message kind. */
export interface AsyncDecoder {
  kind: AsyncMessageKind;
  decode(bytes: Uint8Array, opts?: { profile?: WireProfile }): { fields: AsyncDecodedField[] };
}

function decoder(kind: AsyncMessageKind): AsyncDecoder {
  return {
    kind,
    decode(bytes, opts = {}) {
      const profile = opts.profile ?? DEFAULT_PROFILE;
      const records = readTlvRecords(bytes, 'onionmsg_tlv');
      const record = records[0];
      if (records.length !== 1 || record === undefined) {
        throw new DecodeError('TRAILING_BYTES', `expected one onionmsg_tlv record, got ${records.length}`, {
          field: 'onionmsg_tlv',
        });
      }
      const expected = ASYNC_MESSAGE_TYPES[kind][profile];
      if (record.type !== expected) {
        throw new DecodeError(
          'MESSAGE_UNKNOWN_TYPE',
          `${kind} is type ${expected} in the ${profile} profile, got ${record.type}`,
          { field: 'type', tlvType: record.type },
        );
      }
      const view = describeAsyncMessage(record, profile)!;
      return {
        fields: view.fields.map((f) => ({
          type: BigInt(f.type),
          name: f.name,
          length: f.length,
          hex: f.hex,
          value: f.value,
        })),
      };
    },
  };
}

/** The six decoders, in a fixed order. */
export const asyncDecoders: AsyncDecoder[] = ASYNC_MESSAGE_KINDS.map(decoder);
