/**
 * `held_htlc_available` (onion message type 72) in both wire profiles. The message is empty; LDK writes
 * a BigSize length before the inner TLV stream, so its record carries one byte `00`, while the spec
 * profile's record is bare.
 */
import { encodeHeldHtlcAvailable } from '@asyncpay/codec/async/held-htlc-available';
import { toHex } from '@asyncpay/codec/bytes';
import { WIRE_PROFILES } from '@asyncpay/codec/profile';
import { encodeTlvRecords } from '@asyncpay/codec/tlv';

for (const profile of WIRE_PROFILES) {
  const record = encodeHeldHtlcAvailable({}, profile);
  console.log(`${profile}: ${toHex(encodeTlvRecords([record]))}`);
}
// ldk: 480100
// spec: 4800
