/**
 * `asyncpay decode` plug-ins for the six async-payment onion messages. The input is one whole
 * `onionmsg_tlv` record (BigSize type ‖ BigSize length ‖ value), as hex; `--profile ldk|spec` picks the
 * numbers and framing (LDK's BigSize length before the inner stream, or the spec's plain stream).
 * The output lists the inner TLV records with their names and interpreted values.
 *
 * Example: `asyncpay decode --as offer_paths_request fe00012714050400020003` →
 * `invoice_slot` (type 0, 2 bytes, `0003`) = 3.
 */
import { describeAsyncMessage } from '@asyncpay/codec/async/describe';
import {
  ASYNC_MESSAGE_KINDS,
  ASYNC_MESSAGE_TYPES,
  type AsyncMessageKind,
} from '@asyncpay/codec/async/framing';
import { DecodeError } from '@asyncpay/codec/errors';
import { readTlvRecords } from '@asyncpay/codec/tlv';
import type { KindDecoder } from './registry.js';

function decoder(kind: AsyncMessageKind): KindDecoder {
  return {
    kind,
    decode(bytes, opts) {
      const records = readTlvRecords(bytes, 'onionmsg_tlv');
      const record = records[0];
      if (records.length !== 1 || record === undefined) {
        throw new DecodeError('TRAILING_BYTES', `expected one onionmsg_tlv record, got ${records.length}`, {
          field: 'onionmsg_tlv',
        });
      }
      const expected = ASYNC_MESSAGE_TYPES[kind][opts.profile];
      if (record.type !== expected) {
        throw new DecodeError(
          'MESSAGE_UNKNOWN_TYPE',
          `${kind} is type ${expected} in the ${opts.profile} profile, got ${record.type}`,
          { field: 'type', tlvType: record.type },
        );
      }
      const view = describeAsyncMessage(record, opts.profile)!;
      return {
        fields: view.fields.map((f) => ({
          type: Number(f.type),
          name: f.name,
          length: f.length,
          hex: f.hex,
          value: f.name === 'unknown' ? null : (f.value ?? null),
        })),
      };
    },
  };
}

/** The decoders of the six async-payment onion messages, in a fixed order. */
export const asyncDecoders: KindDecoder[] = ASYNC_MESSAGE_KINDS.map(decoder);
