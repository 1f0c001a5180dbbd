/**
 * `pnpm --filter @asyncpay/ln bench`: what one HTLC costs on a simulated channel.
 *
 * A settled HTLC is two commitment rounds (add, then fulfill), each one BIP-340 signature by the side
 * that updates and one verification by the other — the floor used is 2 × (schnorr sign + schnorr
 * verify). Each round's revoke_and_ack also derives two per-commitment points (one to promise, one to
 * check the revealed secret), four base-point multiplications per HTLC that BOLT 2 revocation needs on
 * top of that floor; a profile shows elliptic-curve arithmetic is about two thirds of the time. The
 * rest is encoding, decoding, ledger checks, shachain hashing and SQLite writes (in memory here).
 */

import type { UpdateAddHtlc } from '@asyncpay/codec/wire/update-add-htlc';
import { runBenchmarks } from '@asyncpay/testkit/bench';
import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Htlc } from '../src/channel/ledger.js';
import type { PeerChannel } from '../src/channel/peer.js';
import { VirtualClock } from '../src/node/clock.js';
import { LnNode, type NodeOptions } from '../src/node/node.js';
import { Router } from '../src/node/router.js';
import { SqliteStore } from '../src/store/sqlite.js';

const preimage = new Uint8Array(32).fill(0x42);
const paymentHash = sha256(preimage);

class Payee extends LnNode {
  override onHtlcLockedIn(c: PeerChannel, htlc: Htlc, _add: UpdateAddHtlc): void {
    c.fulfillHtlc(htlc.id, preimage);
  }
}
class Payer extends LnNode {}

const clock = new VirtualClock({ height: 1000 });
const router = new Router(clock, { latency: 0 });
const opts = (role: string, k: number): NodeOptions => ({
  role,
  privkey: new Uint8Array(32).fill(k),
  clock,
  router,
  store: SqliteStore.open(':memory:'),
});
const a = new Payer(opts('payer', 0x41));
const b = new Payee(opts('payee', 0x42));
LnNode.openChannel(a, b, 10n ** 15n, 0n);
const onion = new Uint8Array(1366);

const key = new Uint8Array(32).fill(7);
const msg = sha256(new Uint8Array(1));
const sig = schnorr.sign(msg, key);
const pub = schnorr.getPublicKey(key);

await runBenchmarks('@asyncpay/ln: one HTLC added and settled over a simulated channel', {
  floors: { 'schnorr sign + verify': () => schnorr.verify(schnorr.sign(msg, key), msg, pub) && sig },
  cases: [
    {
      name: 'HTLC add + fulfill (2 commitment rounds, 12 messages)',
      fn: () => {
        a.channelWith(b.id).offerHtlc({ amountMsat: 1000n, paymentHash, cltvExpiry: 1100, onion });
        clock.advance(1);
      },
      floor: 'schnorr sign + verify',
      floorUnits: 2,
    },
  ],
});
