import { decodeFailurePacket } from '@asyncpay/codec/onion/failure';
import { buildPaymentOnion } from '@asyncpay/codec/onion/payment';
import { encodePaymentPayload } from '@asyncpay/codec/onion/payment-payload';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import type { Htlc } from '../src/channel/ledger.js';
import type { PeerChannel } from '../src/channel/peer.js';
import { VirtualClock } from '../src/node/clock.js';
import { DEFAULT_RELAY_POLICY, relayFee } from '../src/node/forwarding.js';
import { LnNode, type NodeOptions } from '../src/node/node.js';
import { Router } from '../src/node/router.js';
import { RoutingNode } from '../src/node/routing-node.js';
import { Recorder } from '../src/node/transcript.js';
import { SqliteStore } from '../src/store/sqlite.js';

class Origin extends LnNode {
  failures: { reason: Uint8Array; htlc: Htlc }[] = [];
  override onHtlcFailed(_c: PeerChannel, htlc: Htlc, reason: Uint8Array): void {
    this.failures.push({ htlc, reason });
  }
}
class Relay extends RoutingNode {}
class Sink extends LnNode {}

describe('a routing node that cannot relay', () => {
  it('fails the incoming HTLC back at once when the next channel refuses the offer, and no money moves', () => {
    const clock = new VirtualClock({ height: 1000 });
    const recorder = new Recorder(() => clock.now());
    const router = new Router(clock, { recorder });
    const opts = (role: string, k: number): NodeOptions => ({
      role,
      privkey: new Uint8Array(32).fill(k),
      clock,
      router,
      store: SqliteStore.open(':memory:'),
      recorder,
    });
    const a = new Origin(opts('origin', 0x41));
    const r = new Relay(opts('relay', 0x52));
    const c = new Sink(opts('sink', 0x43));
    LnNode.openChannel(a, r, 1_000_000n, 0n);
    LnNode.openChannel(r, c, 1_000n, 0n); // the relay has only 1,000 msat towards the sink
    const amount = 5_000n;
    const preimage = new Uint8Array(32).fill(1);
    const paymentHash = sha256(preimage);
    const onion = buildPaymentOnion({
      sessionKey: new Uint8Array(32).fill(9),
      paymentHash,
      hops: [
        {
          pubkey: r.nodeId,
          payload: encodePaymentPayload({
            amt_to_forward: amount,
            outgoing_cltv_value: 1100n,
            short_channel_id: r.scidWith(c.id),
          }),
        },
        {
          pubkey: c.nodeId,
          payload: encodePaymentPayload({ amt_to_forward: amount, outgoing_cltv_value: 1100n }),
        },
      ],
    });
    a.channelWith(r.id).offerHtlc({
      amountMsat: amount + relayFee(DEFAULT_RELAY_POLICY, amount),
      paymentHash,
      cltvExpiry: 1140,
      onion: onion.packet,
    });
    clock.advance(5);

    expect(a.failures).toHaveLength(1);
    const failure = decodeFailurePacket(onion.sharedSecrets, a.failures[0]!.reason);
    expect(failure).toMatchObject({ hopIndex: 0, message: { name: 'temporary_channel_failure' } });
    expect(a.balanceMsat()).toBe(1_000_000n);
    expect(r.channelWith(a.id).ledger.pending()).toEqual([]);
    const notes = recorder.events.flatMap((e) =>
      e.kind === 'state' && e.node === 'relay' ? [e.what, e.detail?.code] : [],
    );
    expect(notes).toEqual(['relay refused, failed back', 'INSUFFICIENT_BALANCE']);
  });
});
