/**
 * LSPS0 transport: JSON-RPC 2.0 messages carried in the BOLT 8 custom message type 37913
 * (`lsps_message`), whose payload is the UTF-8 JSON text and nothing else.
 */
import { Reader, Writer } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { utf8 } from '../fundamental.js';
import { expectType } from './update-fulfill-htlc.js';

/** The BOLT 8 custom message type of `lsps_message` (LSPS0). */
export const LSPS_MESSAGE_TYPE = 37913;

/** Encode a JSON-RPC object as an `lsps_message`. */
export function encodeLspsMessage(json: unknown): Uint8Array {
  return new Writer()
    .u16(LSPS_MESSAGE_TYPE)
    .bytes(new TextEncoder().encode(JSON.stringify(json)))
    .finish();
}

/** Decode an `lsps_message` to its JSON value; `JSON_INVALID` if the text is not JSON. */
export function decodeLspsMessage(bytes: Uint8Array): unknown {
  const r = new Reader(bytes, 'lsps_message');
  expectType(r, LSPS_MESSAGE_TYPE, 'lsps_message');
  const text = utf8.read(r, 'lsps_message.payload');
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new DecodeError('JSON_INVALID', 'lsps_message payload is not JSON', {
      field: 'lsps_message.payload',
      cause,
    });
  }
}
