/**
 * A channel between two simulated nodes, as one side runs it: every update crosses the router as
 * encoded BOLT 2 bytes, and a round is `update_*` → `commitment_signed` → `revoke_and_ack`.
 *
 * What is real and what is simplified:
 * - `update_add_htlc`, `update_fulfill_htlc`, `update_fail_htlc`, `commitment_signed` and
 *   `revoke_and_ack` are encoded, sent as bytes, decoded and checked by the receiver (BOLT 2 rules in
 *   {@link ChannelLedger}; preimages against payment hashes).
 * - By default `commitment_signed` carries a BIP-340 signature by the sender's node key over the
 *   round's update messages and the receiver's next commitment number ({@link roundDigest}). Each side
 *   numbers the commitments it receives and applies the updates to its own ledger, so rounds started by
 *   both sides may cross, as BOLT 2 allows. No transaction stands behind such a channel; in on-chain
 *   mode (below) real BOLT 3 transactions do.
 * - `revoke_and_ack` reveals the previous per-commitment secret from a BOLT 3 shachain; the receiver
 *   checks it against the point it was promised and stores it (a revoked state could be punished).
 * - A side has one round of its own in flight at a time (later updates wait and go out together in
 *   the next); messages to an offline peer wait in an outbox and go out when it reconnects (BOLT 2's reestablish, simplified to "resend what was not sent").
 *
 * On-chain mode (optional, {@link PeerChannel.enableOnchain}): the channel also has a real funding
 * output and BOLT 3 commitment transactions ({@link OnchainChannel}). Then `commitment_signed` carries
 * the real signature of the peer's commitment transaction and its HTLC signatures instead of the
 * digest signature, the receiver verifies them against its own commitment and keeps them (so it can
 * force-close), and each round is BOLT 2's full exchange: after its `revoke_and_ack` the receiver sends
 * its own `commitment_signed` for the sender's new commitment, which the sender answers with a
 * `revoke_and_ack`. Updates made while that exchange is open wait and go out together in the next round.
 * Without it (the default) nothing of this applies and the bytes are the same as before.
 */

import type { WireProfile } from '@asyncpay/codec/profile';
import { decodeCommitmentSigned, encodeCommitmentSigned } from '@asyncpay/codec/wire/commitment-signed';
import {
  decodeRevokeAndAck,
  encodeRevokeAndAck,
  type ReleasePath,
} from '@asyncpay/codec/wire/revoke-and-ack';
import {
  decodeUpdateAddHtlc,
  encodeUpdateAddHtlc,
  type UpdateAddHtlc,
} from '@asyncpay/codec/wire/update-add-htlc';
import { decodeUpdateFailHtlc, encodeUpdateFailHtlc } from '@asyncpay/codec/wire/update-fail-htlc';
import { decodeUpdateFulfillHtlc, encodeUpdateFulfillHtlc } from '@asyncpay/codec/wire/update-fulfill-htlc';
import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { perCommitmentPoint } from '../bolt3/keys.js';
import { LnError } from '../errors.js';
import { wireType } from '../node/router.js';
import { ChannelLedger, type Htlc, type LedgerSnapshot } from './ledger.js';
import {
  channelSecrets,
  OnchainChannel,
  type OnchainParams,
  type OnchainSnapshot,
  perCommitmentSecretAt,
  perCommitmentSeed,
  stateOf,
} from './onchain.js';

/** What a channel needs from the node that runs it. */
export interface ChannelHost {
  readonly id: string;
  readonly privkey: Uint8Array;
  readonly profile: WireProfile;
  height(): number;
  /** Send bytes to a peer now (the peer is online). */
  transmit(peer: string, bytes: Uint8Array): void;
  isOnline(peer: string): boolean;
  /** Release paths to put in the `revoke_and_ack` that locks in these received HTLCs. */
  releasePathsFor(channel: PeerChannel, locked: Htlc[], adds: UpdateAddHtlc[]): ReleasePath[];
  /** A received HTLC is irrevocably committed. */
  onHtlcLockedIn(channel: PeerChannel, htlc: Htlc, add: UpdateAddHtlc): void;
  /** An HTLC we offered was fulfilled with `preimage`. */
  onHtlcFulfilled(channel: PeerChannel, htlc: Htlc, preimage: Uint8Array): void;
  /** An HTLC we offered failed. */
  onHtlcFailed(channel: PeerChannel, htlc: Htlc, reason: Uint8Array): void;
  /** The peer's `revoke_and_ack` for our round, with any release paths. */
  /**
   * The peer's `revoke_and_ack` for our round, with any release paths; `offered` are the ids of the
   * HTLCs this round added (in order), so release paths can be matched to them.
   */
  onRevoked(channel: PeerChannel, releasePaths: ReleasePath[], offered: bigint[]): void;
  /** Persist the channel (called after every change). */
  persistChannel(channel: PeerChannel): void;
}

/** The plain-data form of a channel, for the store. */
export interface PeerChannelSnapshot {
  peer: string;
  ledger: LedgerSnapshot;
  /** Commitment rounds completed (both sides agree on it). */
  stateNumber: number;
  /** Per-commitment points the peer promised, by commitment number (hex). */
  peerPoints?: Record<string, string>;
  outbox: string[];
  /** Received adds not yet locked in (hex of the message). */
  pendingAdds: string[];
  awaitingRevoke: boolean;
  /** On-chain mode only: the channel's on-chain side. */
  onchain?: OnchainSnapshot;
  /** On-chain mode only: updates waiting for the open round to finish (hex of the messages). */
  deferred?: string[];
  /** HTLCs we offered that wait for a round, and those in the open round (decimal ids). */
  unsentOffered?: string[];
  roundOffered?: string[];
  sentCommitments?: number;
  receivedCommitments?: number;
  receivedUpdates?: string[];
}

/** One side of a channel between simulated nodes (see the module comment). */
export class PeerChannel {
  private outbox: Uint8Array[] = [];
  private pendingAdds: UpdateAddHtlc[] = [];
  private awaitingRevoke = false;
  private stateNumber = 0;
  private peerPoints: Record<string, string> = {};
  /** On-chain mode: the real funding output and commitments; undefined in the default digest mode. */
  private onchain: OnchainChannel | undefined;
  /** On-chain mode: updates made while a round was open (see {@link PeerChannel.roundOpen}). */
  private deferred: Uint8Array[] = [];
  private unsentOffered: bigint[] = [];
  /** Simulated mode: commitment_signed sent (the peer's commitment number) and received (ours). */
  private sentCommitments = 0;
  private receivedCommitments = 0;
  /** Simulated mode: the peer's updates since its last commitment_signed (hex), which that one signs. */
  private receivedUpdates: string[] = [];
  private roundOffered: bigint[] = [];

  constructor(
    private readonly host: ChannelHost,
    readonly peer: string,
    readonly ledger: ChannelLedger,
  ) {}

  /** Rebuild a channel from its snapshot (after a restart). */
  static restore(host: ChannelHost, s: PeerChannelSnapshot): PeerChannel {
    const c = new PeerChannel(host, s.peer, ChannelLedger.restore(s.ledger));
    c.stateNumber = s.stateNumber;
    c.peerPoints = { ...(s.peerPoints ?? {}) };
    c.outbox = s.outbox.map((h) => hexToBytes(h));
    c.pendingAdds = s.pendingAdds.map((h) => decodeUpdateAddHtlc(hexToBytes(h), host.profile));
    c.awaitingRevoke = s.awaitingRevoke;
    if (s.onchain) c.onchain = OnchainChannel.restore(channelSecrets(host.privkey, c.channelId), s.onchain);
    c.deferred = (s.deferred ?? []).map((h) => hexToBytes(h));
    c.unsentOffered = (s.unsentOffered ?? []).map((x) => BigInt(x));
    c.roundOffered = (s.roundOffered ?? []).map((x) => BigInt(x));
    c.sentCommitments = s.sentCommitments ?? 0;
    c.receivedCommitments = s.receivedCommitments ?? 0;
    c.receivedUpdates = [...(s.receivedUpdates ?? [])];
    return c;
  }

  snapshot(): PeerChannelSnapshot {
    return {
      peer: this.peer,
      ledger: this.ledger.snapshot(),
      stateNumber: this.stateNumber,
      peerPoints: { ...this.peerPoints },
      outbox: this.outbox.map((b) => bytesToHex(b)),
      pendingAdds: this.pendingAdds.map((a) => bytesToHex(encodeUpdateAddHtlc(a, this.host.profile))),
      awaitingRevoke: this.awaitingRevoke,
      unsentOffered: this.unsentOffered.map(String),
      roundOffered: this.roundOffered.map(String),
      sentCommitments: this.sentCommitments,
      receivedCommitments: this.receivedCommitments,
      receivedUpdates: [...this.receivedUpdates],
      deferred: this.deferred.map((b) => bytesToHex(b)),
      ...(this.onchain ? { onchain: this.onchain.snapshot() } : {}),
    };
  }

  /**
   * Switch this side to on-chain mode (before the first round): commitments become real BOLT 3
   * transactions spending `params.funding`, whose amount must be the channel capacity.
   */
  enableOnchain(params: OnchainParams): OnchainChannel {
    if (
      this.stateNumber !== 0 ||
      this.sentCommitments !== 0 ||
      this.receivedCommitments !== 0 ||
      this.awaitingRevoke
    ) {
      throw new LnError('INVALID_HTLC', 'on-chain mode must be chosen before the first round', {
        field: 'channel',
      });
    }
    if (params.funding.amountSat * 1000n !== this.ledger.capacityMsat) {
      throw new LnError('INVALID_AMOUNT', 'the funding output is not the channel capacity', {
        field: 'funding.amountSat',
      });
    }
    this.onchain = new OnchainChannel(channelSecrets(this.host.privkey, this.channelId), params);
    this.host.persistChannel(this);
    return this.onchain;
  }

  /** The on-chain side, in on-chain mode. */
  get onchainSide(): OnchainChannel | undefined {
    return this.onchain;
  }

  get channelId(): Uint8Array {
    return hexToBytes(this.ledger.channelId);
  }

  /** Offer an HTLC: `update_add_htlc` then `commitment_signed`. */
  offerHtlc(args: {
    amountMsat: bigint;
    paymentHash: Uint8Array;
    cltvExpiry: number;
    onion: Uint8Array;
    pathKey?: Uint8Array;
    hold?: boolean;
  }): Htlc {
    const htlc = this.ledger.offer(args.amountMsat, args.paymentHash, args.cltvExpiry, this.host.height());
    const add: UpdateAddHtlc = {
      channelId: this.channelId,
      id: htlc.id,
      amountMsat: args.amountMsat,
      paymentHash: args.paymentHash,
      cltvExpiry: args.cltvExpiry,
      onionRoutingPacket: args.onion,
      ...(args.pathKey ? { pathKey: args.pathKey } : {}),
      ...(args.hold ? { holdHtlc: true } : {}),
    };
    this.unsentOffered.push(htlc.id);
    this.startRound(encodeUpdateAddHtlc(add, this.host.profile));
    return htlc;
  }

  /** Fulfill an HTLC the peer offered us. */
  fulfillHtlc(id: bigint, preimage: Uint8Array): Htlc {
    const h = this.ledger.fulfill('received', id, preimage, this.host.height());
    this.startRound(encodeUpdateFulfillHtlc({ channelId: this.channelId, id, paymentPreimage: preimage }));
    return h;
  }

  /** Fail an HTLC the peer offered us. */
  failHtlc(id: bigint, reason: Uint8Array): Htlc {
    const h = this.ledger.fail('received', id, this.host.height());
    this.startRound(encodeUpdateFailHtlc({ channelId: this.channelId, id, reason }));
    return h;
  }

  /** Persist the channel now (after a change made through {@link PeerChannel.ledger}). */
  persist(): void {
    this.host.persistChannel(this);
  }

  /** Send what waited for the peer to come online, and persist the shorter outbox. */
  flush(): void {
    if (this.transmitWaiting() > 0) this.host.persistChannel(this);
  }

  /** Transmit queued messages while the peer is online; returns how many went out. */
  private transmitWaiting(): number {
    let sent = 0;
    for (; this.outbox.length > 0 && this.host.isOnline(this.peer); sent++) {
      this.host.transmit(this.peer, this.outbox.shift()!);
    }
    return sent;
  }

  /** Handle one channel message from the peer. */
  receive(bytes: Uint8Array): void {
    const h = this.host.height();
    const type = wireType(bytes);
    if (!this.onchain && (type === 128 || type === 130 || type === 131))
      this.receivedUpdates.push(bytesToHex(bytes));
    switch (type) {
      case 128: {
        const add = decodeUpdateAddHtlc(bytes, this.host.profile);
        this.ledger.receive(add.id, add.amountMsat, add.paymentHash, add.cltvExpiry, h);
        this.pendingAdds.push(add);
        break;
      }
      case 130: {
        const m = decodeUpdateFulfillHtlc(bytes);
        const htlc = this.ledger.fulfill('offered', m.id, m.paymentPreimage, h);
        this.host.persistChannel(this);
        this.host.onHtlcFulfilled(this, htlc, m.paymentPreimage);
        break;
      }
      case 131: {
        const m = decodeUpdateFailHtlc(bytes);
        const htlc = this.ledger.fail('offered', m.id, h);
        this.host.persistChannel(this);
        this.host.onHtlcFailed(this, htlc, m.reason);
        break;
      }
      case 132:
        this.receiveCommitmentSigned(bytes);
        break;
      case 133:
        this.receiveRevokeAndAck(bytes);
        break;
      default:
        throw new LnError('INVALID_HTLC', `unexpected channel message type ${wireType(bytes)}`, {
          field: 'type',
        });
    }
    this.host.persistChannel(this);
  }

  /**
   * On-chain mode: a round is open from our `commitment_signed` until we answered the peer's
   * `commitment_signed` for our commitment (we started it), or from the peer's `commitment_signed`
   * until its `revoke_and_ack` for the commitment we signed back (it started it).
   */
  /** Whether a round is in flight: new updates then wait and go out together in the next round. */
  private roundOpen(): boolean {
    const o = this.onchain;
    return (
      this.awaitingRevoke ||
      (o !== undefined && (o.awaitingSignature !== undefined || o.awaitingRevocation !== undefined))
    );
  }

  private startRound(...updates: Uint8Array[]): void {
    if (this.roundOpen()) {
      // BOLT 2 lets several updates share one commitment_signed: these go out together once the
      // round in flight is closed (its revoke_and_ack, and in on-chain mode the signature back).
      this.deferred.push(...updates);
      this.host.persistChannel(this);
      return;
    }
    this.roundOffered = this.unsentOffered.splice(0);
    let signature: Uint8Array;
    let htlcSignatures: Uint8Array[] = [];
    if (this.onchain) {
      // On-chain mode: sign the peer's BOLT 3 commitment `n`, and keep the state of our own commitment
      // `n` for the peer's signature that comes back after its revoke_and_ack.
      this.stateNumber++;
      const state = stateOf(this.ledger);
      ({ signature, htlcSignatures } = this.onchain.signPeerCommitment(this.stateNumber, state));
      this.onchain.awaitingSignature = { n: this.stateNumber, state };
    } else {
      // Simulated mode: sign the updates of this round for the peer's next commitment number. Each
      // side numbers the commitments it receives, so rounds started by both sides may cross (BOLT 2).
      this.sentCommitments++;
      const digest = roundDigest(this.channelId, this.sentCommitments, updates);
      // Deterministic auxiliary randomness (BIP-340 allows any; this keeps seeded runs reproducible).
      signature = schnorr.sign(digest, this.host.privkey, sha256(concatBytes(this.host.privkey, digest)));
    }
    this.awaitingRevoke = true;
    for (const update of updates) this.queue(update);
    this.queue(encodeCommitmentSigned({ channelId: this.channelId, signature, htlcSignatures }));
    this.host.persistChannel(this);
  }

  /** A round just closed; start one with the updates that waited for it. */
  private startDeferred(): void {
    if (this.deferred.length > 0 && !this.roundOpen()) this.startRound(...this.deferred.splice(0));
  }

  private receiveCommitmentSigned(bytes: Uint8Array): void {
    const m = decodeCommitmentSigned(bytes);
    if (this.onchain?.awaitingSignature) {
      this.receiveSignatureBack(m.signature, m.htlcSignatures);
      return;
    }
    let n: number;
    if (this.onchain) {
      // On-chain mode: BOLT 2 "MUST fail the channel" unless the signatures are valid for our own
      // commitment transaction `n` (throws INVALID_SIGNATURE); they are kept for a force-close.
      n = this.stateNumber + 1;
      this.onchain.acceptSignatures(n, stateOf(this.ledger), m.signature, m.htlcSignatures);
      this.stateNumber = n;
    } else {
      n = this.receivedCommitments + 1;
      const digest = roundDigest(
        this.channelId,
        n,
        this.receivedUpdates.map((h) => hexToBytes(h)),
      );
      const peerXOnly = hexToBytes(this.peer).subarray(1);
      if (!schnorr.verify(m.signature, digest, peerXOnly)) {
        throw new LnError('INVALID_SIGNATURE', 'commitment_signed does not sign the updates we received', {
          field: 'signature',
        });
      }
      this.receivedCommitments = n;
      this.receivedUpdates = [];
    }
    const locked = this.pendingAdds.splice(0);
    const lockedHtlcs = locked.map((a) => this.ledger.htlc('received', a.id)!);
    const releasePaths = this.host.releasePathsFor(this, lockedHtlcs, locked);
    // Reveal the secret of the state just replaced and promise the point of the next one.
    const secret = this.perCommitmentSecret(n - 1);
    const next = perCommitmentPoint(this.perCommitmentSecret(n + 1));
    this.queue(
      encodeRevokeAndAck(
        {
          channelId: this.channelId,
          perCommitmentSecret: secret,
          nextPerCommitmentPoint: next,
          ...(releasePaths.length > 0 ? { releasePaths } : {}),
        },
        this.host.profile,
      ),
    );
    if (this.onchain) {
      // On-chain mode: sign the sender's new commitment `n` too (BOLT 2: the receiver of updates sends
      // its own commitment_signed after its revoke_and_ack), then wait for the sender's revocation.
      const s = this.onchain.signPeerCommitment(n, stateOf(this.ledger));
      this.onchain.awaitingRevocation = n;
      this.queue(encodeCommitmentSigned({ channelId: this.channelId, ...s }));
    }
    this.host.persistChannel(this);
    for (const [i, add] of locked.entries()) this.host.onHtlcLockedIn(this, lockedHtlcs[i]!, add);
  }

  /**
   * On-chain mode, the round's starter: the peer signed our commitment `n` (on the state we kept when
   * we started the round). Verify and keep the signatures, then revoke our commitment `n − 1`.
   */
  private receiveSignatureBack(signature: Uint8Array, htlcSignatures: Uint8Array[]): void {
    const o = this.onchain!;
    const { n, state } = o.awaitingSignature!;
    o.acceptSignatures(n, state, signature, htlcSignatures);
    o.awaitingSignature = undefined;
    this.queue(
      encodeRevokeAndAck(
        {
          channelId: this.channelId,
          perCommitmentSecret: this.perCommitmentSecret(n - 1),
          nextPerCommitmentPoint: perCommitmentPoint(this.perCommitmentSecret(n + 1)),
        },
        this.host.profile,
      ),
    );
    this.host.persistChannel(this);
    this.startDeferred();
  }

  private receiveRevokeAndAck(bytes: Uint8Array): void {
    const m = decodeRevokeAndAck(bytes, this.host.profile);
    const o = this.onchain;
    if (o && o.awaitingRevocation !== undefined && !this.awaitingRevoke) {
      // On-chain mode, the round's receiver: the sender revoked its previous commitment after our
      // signature on its new one. The round is closed.
      o.acceptRevocation(o.awaitingRevocation, m.perCommitmentSecret, m.nextPerCommitmentPoint);
      o.awaitingRevocation = undefined;
      this.host.persistChannel(this);
      this.startDeferred();
      return;
    }
    if (!this.awaitingRevoke)
      throw new LnError('INVALID_HTLC', 'revoke_and_ack without a pending round', {
        field: 'revoke_and_ack',
      });
    // BOLT 2: "MUST check that per_commitment_secret generates the previous per_commitment_point".
    // The revoke_and_ack of round n reveals the secret of commitment n − 1 and promises the point of
    // commitment n + 1; the point of n − 1 was promised two revocations ago (unknown for the first).
    const n = o ? this.stateNumber : this.sentCommitments;
    if (o) o.acceptRevocation(n, m.perCommitmentSecret, m.nextPerCommitmentPoint);
    else {
      const promised = this.peerPoints[String(n - 1)];
      if (promised !== undefined && bytesToHex(perCommitmentPoint(m.perCommitmentSecret)) !== promised) {
        throw new LnError('SHACHAIN_MISMATCH', 'per_commitment_secret does not match the promised point', {
          field: 'per_commitment_secret',
        });
      }
      for (const k of Object.keys(this.peerPoints)) if (Number(k) < n) delete this.peerPoints[k];
      this.peerPoints[String(n + 1)] = bytesToHex(m.nextPerCommitmentPoint);
    }
    this.awaitingRevoke = false;
    this.host.persistChannel(this);
    this.host.onRevoked(this, m.releasePaths ?? [], this.roundOffered.splice(0));
    this.startDeferred();
  }

  private perCommitmentSecret(n: number): Uint8Array {
    return perCommitmentSecretAt(perCommitmentSeed(this.host.privkey, this.channelId), n);
  }

  /** Queue a message and send it if the peer is online. Callers persist once their step is done. */
  private queue(bytes: Uint8Array): void {
    this.outbox.push(bytes);
    this.transmitWaiting();
  }
}

/**
 * Simulated mode: the digest a `commitment_signed` signs — the channel id, the receiver's commitment
 * number `n` and every update message of the round, in order. The updates carry the amounts, hashes
 * and expiries; each side applies them to its own ledger, so a tampered or forged update (or a
 * signature replayed onto another round) fails verification.
 */
export function roundDigest(channelId: Uint8Array, n: number, updates: readonly Uint8Array[]): Uint8Array {
  const parts = [new TextEncoder().encode('asyncpay/commitment'), channelId, u32be(n)];
  for (const u of updates) parts.push(u32be(u.length), u);
  return sha256(concatBytes(...parts));
}

function u32be(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}
