/**
 * BOLT 1 `init` (type 16): global features, features and the `init_tlvs` extension.
 * A reader "MUST fail" on unknown even TLV types and keeps unknown odd ones.
 */
import { Reader, Writer } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { array, chainHash, u16Bytes } from '../fundamental.js';
import { type DecodedTlvs, decodeTlvStream, encodeTlvStream, type TlvRecord, tlv } from '../tlv.js';

/** The BOLT 1 message type of `init`. */
export const INIT_TYPE = 16;

/** The `init_tlvs` records this codec knows (BOLT 1): `networks` (type 1) and `remote_addr` (type 3). */
// prettier-ignore
export const initTlvs = {
  networks: tlv(1n, 'networks', array(chainHash)),
  remote_addr: tlv(3n, 'remote_addr', {
    read: (r) => r.rest().slice(),
    write: (w, v: Uint8Array) => void w.bytes(v),
  }),
} as const;

/**
 * A decoded `init` message.
 *
 * @example
 * const init = decodeInit(fromHex('001000000000'));
 * init.tlvs.values.networks; // undefined: no extension
 */
export interface Init {
  globalFeatures: Uint8Array;
  features: Uint8Array;
  tlvs: DecodedTlvs<typeof initTlvs>;
}

/** Decode an `init` message including its 2-byte type. */
export function decodeInit(bytes: Uint8Array): Init {
  const r = new Reader(bytes, 'init');
  const type = r.u16('type');
  if (type !== INIT_TYPE) {
    throw new DecodeError('MESSAGE_UNKNOWN_TYPE', `expected init (16), got ${type}`, { field: 'type' });
  }
  const globalFeatures = u16Bytes.read(r, 'globalfeatures');
  const features = u16Bytes.read(r, 'features');
  const tlvs = decodeTlvStream(r.rest(), initTlvs, { field: 'init_tlvs' });
  return { globalFeatures, features, tlvs };
}

/** Encode an `init` message. */
export function encodeInit(init: {
  globalFeatures: Uint8Array;
  features: Uint8Array;
  tlvs?: DecodedTlvs<typeof initTlvs>['values'];
  unknown?: TlvRecord[];
}): Uint8Array {
  const w = new Writer().u16(INIT_TYPE);
  u16Bytes.write(w, init.globalFeatures);
  u16Bytes.write(w, init.features);
  w.bytes(encodeTlvStream(initTlvs, init.tlvs ?? {}, init.unknown ?? []));
  return w.finish();
}
