import { encodeCommitmentSigned } from '@asyncpay/codec/wire/commitment-signed';
import { encodeRevokeAndAck } from '@asyncpay/codec/wire/revoke-and-ack';
import { encodeUpdateAddHtlc, type UpdateAddHtlc } from '@asyncpay/codec/wire/update-add-htlc';
import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import type { Htlc } from '../src/channel/ledger.js';
import { type PeerChannel, roundDigest } from '../src/channel/peer.js';
import { VirtualClock } from '../src/node/clock.js';
import { LnNode, type NodeOptions } from '../src/node/node.js';
import { Router } from '../src/node/router.js';
import { Recorder } from '../src/node/transcript.js';
import { SqliteStore } from '../src/store/sqlite.js';

const preimage = new Uint8Array(32).fill(0x42);
const hash = sha256(preimage);

class Payee extends LnNode {
  override onHtlcLockedIn(c: PeerChannel, htlc: Htlc, _add: UpdateAddHtlc): void {
    c.fulfillHtlc(htlc.id, preimage);
  }
}
class Payer extends LnNode {
  fulfilled: string[] = [];
  override onHtlcFulfilled(_c: PeerChannel, htlc: Htlc, p: Uint8Array): void {
    this.fulfilled.push(`${htlc.id}:${Buffer.from(p).toString('hex').slice(0, 4)}`);
  }
}

function setup() {
  const clock = new VirtualClock({ height: 1000 });
  const recorder = new Recorder(() => clock.now());
  const router = new Router(clock, { recorder });
  const base = (role: string, k: number): NodeOptions => ({
    role,
    privkey: new Uint8Array(32).fill(k),
    clock,
    router,
    store: SqliteStore.open(':memory:'),
    recorder,
  });
  const a = new Payer(base('payer', 0x41));
  const b = new Payee(base('payee', 0x42));
  LnNode.openChannel(a, b, 1_000_000n, 0n);
  return { clock, router, recorder, a, b, base };
}

describe('a channel between two nodes', () => {
  it('runs add → commitment_signed → revoke_and_ack → fulfill as bytes, and balances move', () => {
    const { clock, a, b, recorder } = setup();
    a.channelWith(b.id).offerHtlc({
      amountMsat: 5000n,
      paymentHash: hash,
      cltvExpiry: 1100,
      onion: new Uint8Array(1366),
    });
    clock.advance(10);
    expect(a.fulfilled).toEqual(['0:4242']);
    expect(a.balanceMsat()).toBe(995_000n);
    expect(b.balanceMsat()).toBe(5000n);
    const types = recorder.events.flatMap((e) => (e.kind === 'message' ? [e.type] : []));
    expect(types).toEqual([128, 132, 133, 130, 132, 133]);
  });

  it('refuses a commitment_signed that signs another state, with INVALID_SIGNATURE', () => {
    const { a, b, recorder } = setup();
    const bc = b.channelWith(a.id);
    const channelId = bc.channelId;
    const add = {
      channelId,
      id: 0n,
      amountMsat: 5000n,
      paymentHash: hash,
      cltvExpiry: 1100,
      onionRoutingPacket: new Uint8Array(1366),
    };
    b.receive(a.id, encodeUpdateAddHtlc(add));
    // The payer signs an update of 1 msat: not the update it sent.
    const other = encodeUpdateAddHtlc({ ...add, amountMsat: 1n });
    const signature = schnorr.sign(roundDigest(channelId, 1, [other]), a.privkey);
    b.receive(a.id, encodeCommitmentSigned({ channelId, signature, htlcSignatures: [] }));
    const refused = recorder.events.flatMap((e) =>
      e.kind === 'state' && e.what === 'refused' ? [e.detail?.code] : [],
    );
    expect(refused).toEqual(['INVALID_SIGNATURE']);
    // Nothing was locked in: no revoke_and_ack went out.
    expect(recorder.events.some((e) => e.kind === 'message' && e.type === 133)).toBe(false);
  });

  it('resumes a channel from its SQLite file after the node restarts', () => {
    const clock = new VirtualClock({ height: 1000 });
    const router = new Router(clock);
    const store = SqliteStore.open(':memory:');
    const opts = (role: string, k: number, s = SqliteStore.open(':memory:')): NodeOptions => ({
      role,
      privkey: new Uint8Array(32).fill(k),
      clock,
      router,
      store: s,
    });
    const a = new Payer(opts('payer', 0x41, store));
    const b = new Payee(opts('payee', 0x42));
    LnNode.openChannel(a, b, 1_000_000n, 0n);
    a.channelWith(b.id).offerHtlc({
      amountMsat: 7000n,
      paymentHash: hash,
      cltvExpiry: 1100,
      onion: new Uint8Array(1366),
    });
    router.crash(a.id);
    clock.advance(10);
    const a2 = new Payer({ ...opts('payer', 0x41, store), restart: true });
    clock.advance(10);
    expect(a2.fulfilled).toEqual(['0:4242']);
    expect(a2.balanceMsat()).toBe(993_000n);
  });
});

describe('revocation secrets across rounds', () => {
  class Holder extends LnNode {
    override onHtlcLockedIn(): void {}
  }

  it('accepts two rounds in a row started by the same side, checking each revealed secret', () => {
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
    const a = new Payer(opts('payer', 0x41));
    const b = new Holder(opts('holder', 0x42));
    LnNode.openChannel(a, b, 1_000_000n, 0n);
    for (let i = 0; i < 4; i++) {
      a.channelWith(b.id).offerHtlc({
        amountMsat: 1000n,
        paymentHash: hash,
        cltvExpiry: 1100,
        onion: new Uint8Array(1366),
      });
      clock.advance(1);
    }
    expect(recorder.events.filter((e) => e.kind === 'state' && e.what === 'refused')).toEqual([]);
    expect(b.channelWith(a.id).ledger.pending()).toHaveLength(4);
  });

  it('refuses a revoke_and_ack whose secret is not the one promised, with SHACHAIN_MISMATCH', () => {
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
    const a = new Payer(opts('payer', 0x41));
    const b = new Holder(opts('holder', 0x42));
    LnNode.openChannel(a, b, 1_000_000n, 0n);
    const ac = a.channelWith(b.id);
    for (let i = 0; i < 2; i++) {
      ac.offerHtlc({ amountMsat: 1000n, paymentHash: hash, cltvExpiry: 1100, onion: new Uint8Array(1366) });
      clock.advance(1);
    }
    // Round 3: the holder's genuine revoke_and_ack would reveal its secret 2; send a wrong one instead.
    router.setOnline(b.id, false);
    ac.offerHtlc({ amountMsat: 1000n, paymentHash: hash, cltvExpiry: 1100, onion: new Uint8Array(1366) });
    a.receive(
      b.id,
      encodeRevokeAndAck({
        channelId: ac.channelId,
        perCommitmentSecret: new Uint8Array(32).fill(9),
        nextPerCommitmentPoint: a.nodeId,
      }),
    );
    const refused = recorder.events.flatMap((e) =>
      e.kind === 'state' && e.what === 'refused' ? [e.detail?.code] : [],
    );
    expect(refused).toEqual(['SHACHAIN_MISMATCH']);
  });
});
