/**
 * Releases per second through a real {@link PayerLsp}: payers send HTLCs flagged `hold_htlc` over
 * their channels (router, virtual clock, every message encoded and checked); the LSP holds them and
 * hands out release paths in its `revoke_and_ack`s; then each release is a real `release_held_htlc`
 * onion message over such a path, handed to the LSP as bytes.
 *
 * One timed release is `PayerLsp.receive(bytes)`: peel the four layers of the release path (three
 * dummy hops and the final one: 3 × 4 + 2 = 14 point multiplications), open the sealed context, read
 * and delete the hold in a transaction, release it in the channel ledger and persist the channel, and
 * relay — `update_add_htlc` and a signed `commitment_signed` (one schnorr sign) to the next hop, the
 * forward link stored. Between releases, untimed, the clock runs the next hop's answer (its
 * `revoke_and_ack`, then the HTLC failed back through the LSP to the payer), so the next release finds
 * no round in flight and signs its own `commitment_signed` (releases arriving faster would share one:
 * a channel defers updates made while a round is open and sends them together).
 *
 * One payer (a phone with its one pending async payment) and one channel per held HTLC; the restart
 * bench covers full channels (483 held HTLCs) written through the store.
 *
 * Why not tinybench for the release itself: a release is single-use and leaves the outgoing channel
 * mid-round until the next hop answers, so it cannot be re-run in a tight loop without changing what
 * it does. The floors and the
 * release's repeatable parts go through {@link runBenchmarks}. For the release's own ratio, one ECDH
 * and one schnorr sign are timed after every fourth release (wall clock and process CPU time), so the
 * floor is taken under the same load as the release it divides — on a loaded machine, tasks run one
 * after the other drift apart.
 */
import { encodeAsyncMessage } from '@asyncpay/codec/async/message';
import { buildOnionMessage, receiveOnionMessage } from '@asyncpay/codec/onion/onion-message';
import { buildPaymentOnion } from '@asyncpay/codec/onion/payment';
import { encodePaymentPayload } from '@asyncpay/codec/onion/payment-payload';
import type { ReleasePath } from '@asyncpay/codec/wire/revoke-and-ack';
import type { PeerChannel } from '@asyncpay/ln/channel/peer';
import { VirtualClock } from '@asyncpay/ln/node/clock';
import { LnNode, type NodeOptions } from '@asyncpay/ln/node/node';
import { Router } from '@asyncpay/ln/node/router';
import { SqliteStore } from '@asyncpay/ln/store/sqlite';
import { type BenchResult, runBenchmarks } from '@asyncpay/testkit/bench';
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CTX, decodeHtlcRef } from '../src/contexts.js';
import { PayerLsp } from '../src/payer-lsp.js';
import {
  CountingStore,
  HELD_AMOUNT_MSAT,
  KEYS,
  START_HEIGHT,
  START_TIME,
  type Timing,
  timed,
} from './fixtures.js';

/** Point multiplications one release's peel cannot avoid: 3 forwarded layers × 4, the final layer × 2. */
export const RELEASE_POINT_MULTIPLICATIONS = 3 * 4 + 2;

/** The floors are timed after every this many releases. */
const FLOOR_EVERY = 4;

/** The next hop: a plain node, which fails what it is offered. */
class NextHop extends LnNode {}

/** A payer that sends held HTLCs to its LSP and keeps the release paths it gets back. */
class HoldingPayer extends LnNode {
  readonly releasePaths: ReleasePath[] = [];

  /** Offer one HTLC flagged `hold_htlc`, with a real two-hop onion (the LSP, then `next`). */
  sendHeld(lsp: PayerLsp, next: NextHop, n: number): void {
    const paymentHash = sha256(this.freshSecret(`preimage/${n}`));
    const cltv = START_HEIGHT + 968;
    const amount = HELD_AMOUNT_MSAT - 6_000n;
    const onion = buildPaymentOnion({
      sessionKey: this.freshSecret('onion-session'),
      paymentHash,
      hops: [
        {
          pubkey: lsp.nodeId,
          payload: encodePaymentPayload({
            amt_to_forward: amount,
            outgoing_cltv_value: BigInt(cltv),
            short_channel_id: lsp.scidWith(next.id),
          }),
        },
        {
          pubkey: next.nodeId,
          payload: encodePaymentPayload({ amt_to_forward: amount, outgoing_cltv_value: BigInt(cltv) }),
        },
      ],
    });
    this.channelWith(lsp.id).offerHtlc({
      amountMsat: HELD_AMOUNT_MSAT,
      paymentHash,
      cltvExpiry: cltv + 40,
      onion: onion.packet,
      hold: true,
    });
  }

  override onRevoked(_c: PeerChannel, paths: ReleasePath[]): void {
    this.releasePaths.push(...paths);
  }
}

/** What the sample measured. */
export interface ReleaseSample {
  releases: number;
  /** Wall time of the hold phase (payers' and LSP's work, commits included) per held HTLC. */
  holdMicros: number;
  /** Commits (fsyncs) the LSP made per hold and per release. */
  commitsPerHold: number;
  commitsPerRelease: number;
  /** Per release: mean, median and 99th percentile (wall); mean CPU time of this process. */
  mean: Timing;
  p50Micros: number;
  p99Micros: number;
  releasesPerSecond: number;
  /** One ECDH and one schnorr sign timed after every 4th release (means): the floors under the same load. */
  ecdh: Timing;
  sign: Timing;
  /** A real release message, for the repeatable parts. */
  sampleMessage: Uint8Array;
}

const meanOf = (xs: Timing[]): Timing => ({
  wall: xs.reduce((a, x) => a + x.wall, 0) / xs.length,
  cpu: xs.reduce((a, x) => a + x.cpu, 0) / xs.length,
});

/** Hold `releases` HTLCs at a real PayerLsp whose SQLite file is in `dir`, then release them all. */
export function runReleaseSample(dir: string, releases: number): ReleaseSample {
  const clock = new VirtualClock({ start: START_TIME, height: START_HEIGHT });
  const router = new Router(clock);
  const stores: SqliteStore[] = [];
  const opts = (role: string, privkey: Uint8Array, path: string): NodeOptions => {
    const store = SqliteStore.open(path);
    stores.push(store);
    return { role, privkey, clock, router, store, profile: 'ldk' };
  };
  try {
    const base = opts('payer-lsp', KEYS.lsp, `${dir}/payer-lsp.sqlite`);
    const store = new CountingStore(base.store);
    const lsp = new PayerLsp({ ...base, store });
    const next = new NextHop(opts('next-hop', KEYS.nextHop, ':memory:'));
    LnNode.openChannel(lsp, next, 100_000_000_000n, 100_000_000_000n);
    // One payer (and channel) per held HTLC.
    const payers = Array.from(
      { length: releases },
      (_, i) => new HoldingPayer(opts('payer', sha256(new TextEncoder().encode(`payer ${i}`)), ':memory:')),
    );
    for (const p of payers) LnNode.openChannel(p, lsp, 100_000_000_000n, 0n);
    const held = store.namespace('held_htlcs');

    // Hold: every payer sends its HTLC; the clock delivers the rounds.
    const commits = store.commits;
    const t0 = performance.now();
    for (const [i, p] of payers.entries()) p.sendHeld(lsp, next, i);
    clock.advance(1);
    const holdMicros = ((performance.now() - t0) * 1000) / releases;
    const commitsPerHold = (store.commits - commits) / releases;
    if (held.count() !== releases) throw new Error(`bench: ${held.count()} of ${releases} HTLCs held`);

    // Release: the recipient's side builds each release_held_htlc (untimed); the LSP's receive is timed.
    const content = [encodeAsyncMessage({ kind: 'release_held_htlc' }, 'ldk')];
    const paths = payers.flatMap((p) => p.releasePaths);
    const times: Timing[] = [];
    const ecdh: Timing[] = [];
    const sign: Timing[] = [];
    const peer = secp256k1.getPublicKey(KEYS.nextHop, true);
    const digest = sha256(Uint8Array.of(1));
    let sampleMessage: Uint8Array = new Uint8Array(0);
    let releaseCommits = 0;
    for (const rp of paths) {
      const msg = buildOnionMessage({ path: rp.path, content }).onionMessage;
      sampleMessage = msg;
      const before = held.count();
      const c0 = store.commits;
      times.push(timed(() => lsp.receive(next.id, msg)).time);
      releaseCommits += store.commits - c0;
      if (held.count() !== before - 1) throw new Error('bench: a release was refused');
      if (times.length % FLOOR_EVERY === 0) {
        ecdh.push(timed(() => secp256k1.getSharedSecret(KEYS.lsp, peer)).time);
        sign.push(timed(() => schnorr.sign(digest, KEYS.lsp)).time);
      }
      clock.advance(1);
    }
    if (held.count() !== 0) throw new Error(`bench: ${held.count()} HTLCs still held`);
    const walls = times.map((x) => x.wall).sort((a, b) => a - b);
    const mean = meanOf(times);
    return {
      releases: times.length,
      holdMicros,
      commitsPerHold,
      commitsPerRelease: releaseCommits / times.length,
      mean,
      p50Micros: walls[Math.floor(walls.length / 2)]!,
      p99Micros: walls[Math.min(walls.length - 1, Math.floor(walls.length * 0.99))]!,
      releasesPerSecond: 1e6 / mean.wall,
      ecdh: meanOf(ecdh),
      sign: meanOf(sign),
      sampleMessage,
    };
  } finally {
    for (const s of stores) s.close();
  }
}

/**
 * The floors (one ECDH, one schnorr verify, one schnorr sign) and the parts of a release that can be
 * repeated: the four-layer peel of a real release message and the context check.
 */
export async function benchReleaseParts(sampleMessage: Uint8Array): Promise<BenchResult[]> {
  const peer = secp256k1.getPublicKey(KEYS.nextHop, true);
  const msg = sha256(Uint8Array.of(1));
  const sig = schnorr.sign(msg, KEYS.lsp);
  const xonly = schnorr.getPublicKey(KEYS.lsp);
  const clock = new VirtualClock();
  const store = SqliteStore.open(':memory:');
  const lsp = new PayerLsp({ role: 'payer-lsp', privkey: KEYS.lsp, clock, router: new Router(clock), store });
  const delivered = receiveOnionMessage(KEYS.lsp, sampleMessage);
  if (!('deliver' in delivered)) throw new Error('bench: the sample release was not delivered');
  const pathId = delivered.deliver.pathId;
  try {
    return await runBenchmarks('htlc-async: one release at the payer LSP, repeatable parts', {
      floors: {
        ECDH: () => secp256k1.getSharedSecret(KEYS.lsp, peer),
        'schnorr verify': () => schnorr.verify(sig, msg, xonly),
        'schnorr sign': () => schnorr.sign(msg, KEYS.lsp),
      },
      cases: [
        {
          name: 'peel release path (3 dummy hops + final)',
          fn: () => receiveOnionMessage(KEYS.lsp, sampleMessage),
          floor: 'ECDH',
          floorUnits: RELEASE_POINT_MULTIPLICATIONS,
        },
        {
          name: 'open sealed context (HMAC) + decode ref',
          fn: () => decodeHtlcRef(lsp.openContext(CTX.releaseHeldHtlc, pathId)!),
        },
      ],
    });
  } finally {
    lsp.kill();
    store.close();
  }
}
