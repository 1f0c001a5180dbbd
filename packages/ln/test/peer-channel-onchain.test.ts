import { decodeCommitmentSigned, encodeCommitmentSigned } from '@asyncpay/codec/wire/commitment-signed';
import { encodeUpdateAddHtlc, type UpdateAddHtlc } from '@asyncpay/codec/wire/update-add-htlc';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { verifyCommitmentSignature } from '../src/bolt3/commitment.js';
import { forceClose } from '../src/channel/force-close.js';
import type { Htlc } from '../src/channel/ledger.js';
import {
  channelBasepoints,
  channelSecrets,
  fromCompact,
  mirrorState,
  type OnchainChannel,
  stateOf,
} from '../src/channel/onchain.js';
import type { PeerChannel } from '../src/channel/peer.js';
import { isLnError } from '../src/errors.js';
import { VirtualClock } from '../src/node/clock.js';
import { LnNode, type NodeOptions } from '../src/node/node.js';
import { Router } from '../src/node/router.js';
import { Recorder } from '../src/node/transcript.js';
import { SqliteStore } from '../src/store/sqlite.js';

const preimage = new Uint8Array(32).fill(0x42);
const hash = sha256(preimage);
const CAPACITY_SAT = 1_000_000n;
const FUNDING = { txid: 'ab'.repeat(32), vout: 0, amountSat: CAPACITY_SAT };

class Payee extends LnNode {
  override onHtlcLockedIn(c: PeerChannel, htlc: Htlc, _add: UpdateAddHtlc): void {
    // Fulfils at once: the update waits for the open round to close, then goes out.
    c.fulfillHtlc(htlc.id, preimage);
  }
}
class Holder extends LnNode {
  override onHtlcLockedIn(): void {}
}
class Payer extends LnNode {
  fulfilled: bigint[] = [];
  override onHtlcFulfilled(_c: PeerChannel, htlc: Htlc): void {
    this.fulfilled.push(htlc.id);
  }
}

/** Two nodes with an on-chain channel; commitment 0 signed both ways (funding_created/funding_signed). */
function setup(peer: 'payee' | 'holder' = 'payee', payerStore = SqliteStore.open(':memory:')) {
  const clock = new VirtualClock({ height: 1000 });
  const recorder = new Recorder(() => clock.now());
  const router = new Router(clock, { recorder });
  const base = (role: string, k: number, store = SqliteStore.open(':memory:')): NodeOptions => ({
    role,
    privkey: new Uint8Array(32).fill(k),
    clock,
    router,
    store,
    recorder,
  });
  const a = new Payer(base('payer', 0x41, payerStore));
  const b = peer === 'payee' ? new Payee(base('payee', 0x42)) : new Holder(base('holder', 0x42));
  LnNode.openChannel(a, b, CAPACITY_SAT * 1000n, 0n);
  const ac = a.channelWith(b.id);
  const bc = b.channelWith(a.id);
  const aKeys = channelBasepoints(channelSecrets(a.privkey, ac.channelId));
  const bKeys = channelBasepoints(channelSecrets(b.privkey, bc.channelId));
  const ao = ac.enableOnchain({ funding: FUNDING, localIsFunder: true, remote: bKeys });
  const bo = bc.enableOnchain({ funding: FUNDING, localIsFunder: false, remote: aKeys });
  const s0 = stateOf(ac.ledger);
  const forB = ao.signPeerCommitment(0, s0);
  bo.acceptSignatures(0, mirrorState(s0), forB.signature, forB.htlcSignatures);
  const forA = bo.signPeerCommitment(0, mirrorState(s0));
  ao.acceptSignatures(0, s0, forA.signature, forA.htlcSignatures);
  ac.persist();
  bc.persist();
  return { clock, router, recorder, a, b, ac, bc, ao, bo, base };
}

const offer = (c: PeerChannel, amountMsat = 50_000_000n) =>
  c.offerHtlc({ amountMsat, paymentHash: hash, cltvExpiry: 1100, onion: new Uint8Array(1366) });

/** `sender>type` of every message; the router names nodes by the first 8 hex digits of their id. */
const messages = (r: Recorder, names: Record<string, string>) =>
  r.events.flatMap((e) => (e.kind === 'message' ? [`${names[e.from] ?? e.from}>${e.type}`] : []));
const refusals = (r: Recorder) =>
  r.events.flatMap((e) => (e.kind === 'state' && e.what === 'refused' ? [e.detail?.code] : []));

describe('a channel in on-chain mode (BOLT 3 commitments behind commitment_signed)', () => {
  it('runs BOLT 2’s full exchange per round, each commitment_signed signing the peer’s real commitment', () => {
    const { clock, recorder, a, b, ao, bo } = setup();
    offer(a.channelWith(b.id));
    clock.advance(10);
    const names = { [a.id.slice(0, 8)]: 'payer', [b.id.slice(0, 8)]: 'payee' };
    expect(messages(recorder, names)).toEqual([
      // the add: payer signs the payee's commitment 1, payee revokes 0 and signs the payer's commitment 1
      'payer>128',
      'payer>132',
      'payee>133',
      'payee>132',
      'payer>133',
      // the fulfil, made at lock-in, waited for the payer's revoke_and_ack: one more full round
      'payee>130',
      'payee>132',
      'payer>133',
      'payer>132',
      'payee>133',
    ]);
    expect(refusals(recorder)).toEqual([]);
    expect(a.fulfilled).toEqual([0n]);
    // Both hold commitment 2, signed by the other: no HTLC left, the 50,000 sat on the payee's side.
    for (const o of [ao, bo]) expect(o.latest).toMatchObject({ n: 2, htlcSignatures: [] });
    expect(ao.latest!.state).toMatchObject({ localMsat: 950_000_000n, remoteMsat: 50_000_000n, htlcs: [] });
    // The first commitment_signed on the wire is the payer's BOLT 3 signature of the payee's commitment 1.
    const first = recorder.events.find((e) => e.kind === 'message' && e.type === 132);
    const m = decodeCommitmentSigned(hexToBytes(first!.kind === 'message' ? first!.hex : ''));
    expect(m.htlcSignatures).toHaveLength(1);
    const payeeCommitment1 = bo.commitment('local', 1, {
      localMsat: 0n,
      remoteMsat: 950_000_000n,
      htlcs: [
        { direction: 'received', id: 0n, amountMsat: 50_000_000n, paymentHash: hash, cltvExpiry: 1100 },
      ],
    }).commitment;
    expect(() => verifyCommitmentSignature(payeeCommitment1, fromCompact(m.signature))).not.toThrow();
  });

  it('keeps what a force-close needs: the held HTLC’s commitment and HTLC-timeout, signed by both', () => {
    const { clock, a, b, ao } = setup('holder');
    offer(a.channelWith(b.id));
    clock.advance(10);
    const close = forceClose(ao);
    expect(close.n).toBe(1);
    expect(close.commitment.outputs.map((o) => o.kind).sort()).toEqual(['htlc_offered', 'to_local']);
    expect(close.htlcTimeouts).toHaveLength(1);
    expect(close.htlcTimeouts[0]!.tx.locktime).toBe(1100);
    // witness: 0 <sig1> <sig2> <funding script>; 0 <remote htlc sig> <local htlc sig> <> <script>
    expect(close.tx.ins[0]!.witness).toHaveLength(4);
    expect(close.htlcTimeouts[0]!.tx.ins[0]!.witness).toHaveLength(5);
  });

  it('checks each revealed secret against the point promised for that commitment, over consecutive rounds', () => {
    const { clock, recorder, a, b, ao, bo } = setup('holder');
    for (let i = 0; i < 3; i++) {
      offer(a.channelWith(b.id), 10_000_000n);
      clock.advance(600);
    }
    expect(refusals(recorder)).toEqual([]);
    expect(ao.latest).toMatchObject({ n: 3 });
    expect(ao.latest!.htlcSignatures).toHaveLength(3);
    expect(bo.latest).toMatchObject({ n: 3 });
    // Three offered HTLC outputs, each with its HTLC-timeout signed by both.
    expect(forceClose(ao).htlcTimeouts).toHaveLength(3);
  });

  it('refuses a commitment_signed that signs another transaction, with INVALID_SIGNATURE', () => {
    const { recorder, a, b, ao, bc } = setup('holder');
    const add: UpdateAddHtlc = {
      channelId: bc.channelId,
      id: 0n,
      amountMsat: 50_000_000n,
      paymentHash: hash,
      cltvExpiry: 1100,
      onionRoutingPacket: new Uint8Array(1366),
    };
    b.receive(a.id, encodeUpdateAddHtlc(add));
    // The payer signs a commitment whose HTLC is 1 sat smaller than the one it sent.
    const lie = {
      localMsat: 950_001_000n,
      remoteMsat: 0n,
      htlcs: [
        {
          direction: 'offered' as const,
          id: 0n,
          amountMsat: 49_999_000n,
          paymentHash: hash,
          cltvExpiry: 1100,
        },
      ],
    };
    const s = ao.signPeerCommitment(1, lie);
    b.receive(a.id, encodeCommitmentSigned({ channelId: bc.channelId, ...s }));
    // …and a right signature with the HTLC signature missing.
    const right = ao.signPeerCommitment(1, {
      ...lie,
      localMsat: 950_000_000n,
      htlcs: [{ ...lie.htlcs[0]!, amountMsat: 50_000_000n }],
    });
    b.receive(
      a.id,
      encodeCommitmentSigned({ channelId: bc.channelId, signature: right.signature, htlcSignatures: [] }),
    );
    expect(refusals(recorder)).toEqual(['INVALID_SIGNATURE', 'INVALID_SIGNATURE']);
    expect(recorder.events.some((e) => e.kind === 'message' && e.type === 133)).toBe(false);
  });

  it('cannot force-close before the peer signed a commitment: NO_SIGNED_COMMITMENT', () => {
    const clock = new VirtualClock({ height: 1000 });
    const router = new Router(clock);
    const opts = (role: string, k: number): NodeOptions => ({
      role,
      privkey: new Uint8Array(32).fill(k),
      clock,
      router,
      store: SqliteStore.open(':memory:'),
    });
    const a = new Payer(opts('payer', 0x41));
    const b = new Holder(opts('holder', 0x42));
    LnNode.openChannel(a, b, CAPACITY_SAT * 1000n, 0n);
    const bKeys = channelBasepoints(channelSecrets(b.privkey, b.channelWith(a.id).channelId));
    const o: OnchainChannel = a
      .channelWith(b.id)
      .enableOnchain({ funding: FUNDING, localIsFunder: true, remote: bKeys });
    expect(() => forceClose(o)).toThrow(expect.objectContaining({ code: 'NO_SIGNED_COMMITMENT' }));
    // The funding output must be the channel's capacity.
    expect(() =>
      a
        .channelWith(b.id)
        .enableOnchain({ funding: { ...FUNDING, amountSat: 1n }, localIsFunder: true, remote: bKeys }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_AMOUNT' }));
  });

  it('resumes an on-chain channel from its SQLite file: the peer’s signatures survive a restart', () => {
    const store = SqliteStore.open(':memory:');
    const { clock, router, a, b, base } = setup('holder', store);
    offer(a.channelWith(b.id));
    clock.advance(10);
    router.crash(a.id);
    const a2 = new Payer({ ...base('payer', 0x41, store), restart: true });
    const o = a2.channelWith(b.id).onchainSide!;
    expect(o.latest?.n).toBe(1);
    expect(forceClose(o).tx.toHex()).toBe(forceClose(a.channelWith(b.id).onchainSide!).tx.toHex());
    try {
      a2.channelWith(b.id).enableOnchain({ funding: FUNDING, localIsFunder: true, remote: o.params.remote });
      expect.unreachable();
    } catch (e) {
      expect(isLnError(e, 'INVALID_HTLC')).toBe(true);
    }
  });
});
