/**
 * The optional on-chain side of a simulated channel ({@link PeerChannel}): real BOLT 3 keys, a real
 * funding output, and each side's commitment transaction built from the {@link ChannelLedger} state, so
 * that `commitment_signed` carries real transaction signatures and a side can force-close on a real
 * chain with what it received.
 *
 * What it fixes, and how:
 * - Channel keys per side, derived from the node key and the channel id (`SHA256(node key ‖ channel id ‖
 *   "asyncpay/channel-key/<name>")`); the per-commitment seed is the one {@link PeerChannel} has always
 *   used for its `revoke_and_ack` secrets (`SHA256(node key ‖ channel id ‖ "asyncpay/shachain")`), so
 *   the points a side promises in `next_per_commitment_point` are the points of its commitments.
 * - The funding output is BOLT 3's P2WSH 2-of-2 of the two funding keys ({@link fundingOutput}).
 * - Commitment `n` of a side: balances → `to_local`/`to_remote`, pending HTLCs → offered/received HTLC
 *   outputs (trimmed per BOLT 3), keys derived from that side's per-commitment point `n`;
 *   `option_static_remotekey` without anchors, at the fixed {@link ONCHAIN_DEFAULTS}.
 * - Commitment numbers are the channel's round numbers: round `n` gives both sides commitment `n`
 *   (commitment 0 is the one signed at funding time, BOLT 2's `funding_created`/`funding_signed`).
 *
 * @example
 * ```ts
 * const secrets = channelSecrets(nodePrivkey, channelId);
 * const mine = channelBasepoints(secrets); // what open_channel (and channel_ready) tell the peer
 * channel.enableOnchain({ funding, localIsFunder: true, remote: peersBasepoints });
 * ```
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import {
  buildCommitment,
  type Commitment,
  type CommitmentHtlc,
  type CommitmentKeys,
  obscuringFactor,
  signCommitment,
  verifyCommitmentSignature,
} from '../bolt3/commitment.js';
import { buildHtlcTxs, type HtlcTx, signHtlcTx, verifyHtlcSignature } from '../bolt3/htlc-tx.js';
import {
  derivePrivkey,
  derivePubkey,
  deriveRevocationPubkey,
  perCommitmentPoint,
  pubkeyOf,
} from '../bolt3/keys.js';
import { FIRST_SECRET_INDEX, generateFromSeed } from '../bolt3/shachain.js';
import { SIGHASH_ALL } from '../bolt3/sign.js';
import type { PrevOut } from '../bolt3/tx.js';
import { LnError } from '../errors.js';
import type { ChannelLedger, HtlcDirection } from './ledger.js';

/** The fixed on-chain numbers of a simulated channel (both sides use the same). */
// prettier-ignore
export const ONCHAIN_DEFAULTS = {
  /** `feerate_per_kw` of every commitment and HTLC transaction (10 sat/vB). */
  feeratePerKw: 2_500n,
  /** `to_self_delay`, in blocks (one day), imposed on both sides. */
  toSelfDelay: 144,
  /** `dust_limit_satoshis` of both sides. */
  dustLimitSat: 546n,
} as const;

const utf8 = (s: string) => new TextEncoder().encode(s);

/** The per-commitment seed of a channel: the one `revoke_and_ack` secrets have always come from. */
export function perCommitmentSeed(nodePrivkey: Uint8Array, channelId: Uint8Array): Uint8Array {
  return sha256(concatBytes(nodePrivkey, channelId, utf8('asyncpay/shachain')));
}

/** BOLT 3 per-commitment secret of commitment `n` (index `2^48 − 1 − n`). */
export function perCommitmentSecretAt(seed: Uint8Array, n: number): Uint8Array {
  return generateFromSeed(seed, FIRST_SECRET_INDEX - BigInt(n));
}

/** One side's channel secrets: funding key, basepoint secrets and the per-commitment seed. */
export interface ChannelSecrets {
  readonly fundingPrivkey: Uint8Array;
  readonly revocationBasepointSecret: Uint8Array;
  readonly paymentBasepointSecret: Uint8Array;
  readonly delayedPaymentBasepointSecret: Uint8Array;
  readonly htlcBasepointSecret: Uint8Array;
  readonly perCommitmentSeed: Uint8Array;
}

/** A side's channel secrets, derived from its node key and the channel id. */
export function channelSecrets(nodePrivkey: Uint8Array, channelId: Uint8Array): ChannelSecrets {
  const key = (name: string) =>
    sha256(concatBytes(nodePrivkey, channelId, utf8(`asyncpay/channel-key/${name}`)));
  return {
    fundingPrivkey: key('funding'),
    revocationBasepointSecret: key('revocation'),
    paymentBasepointSecret: key('payment'),
    delayedPaymentBasepointSecret: key('delayed-payment'),
    htlcBasepointSecret: key('htlc'),
    perCommitmentSeed: perCommitmentSeed(nodePrivkey, channelId),
  };
}

/** One side's public channel keys, as `open_channel`/`accept_channel` and `channel_ready` carry them. */
export interface ChannelBasepoints {
  readonly fundingPubkey: Uint8Array;
  readonly revocationBasepoint: Uint8Array;
  readonly paymentBasepoint: Uint8Array;
  readonly delayedPaymentBasepoint: Uint8Array;
  readonly htlcBasepoint: Uint8Array;
  /** `first_per_commitment_point` (commitment 0). */
  readonly firstPerCommitmentPoint: Uint8Array;
  /** `channel_ready.second_per_commitment_point` (commitment 1). */
  readonly secondPerCommitmentPoint: Uint8Array;
}

/** The public keys of a side's secrets. */
export function channelBasepoints(s: ChannelSecrets): ChannelBasepoints {
  return {
    fundingPubkey: pubkeyOf(s.fundingPrivkey),
    revocationBasepoint: pubkeyOf(s.revocationBasepointSecret),
    paymentBasepoint: pubkeyOf(s.paymentBasepointSecret),
    delayedPaymentBasepoint: pubkeyOf(s.delayedPaymentBasepointSecret),
    htlcBasepoint: pubkeyOf(s.htlcBasepointSecret),
    firstPerCommitmentPoint: perCommitmentPoint(perCommitmentSecretAt(s.perCommitmentSeed, 0)),
    secondPerCommitmentPoint: perCommitmentPoint(perCommitmentSecretAt(s.perCommitmentSeed, 1)),
  };
}

/** What fixes a channel's on-chain side, seen from one side. */
export interface OnchainParams {
  /** The funding output (its amount must be the channel capacity). */
  readonly funding: PrevOut;
  /** Whether this side opened (funded) the channel: it pays the commitment fee. */
  readonly localIsFunder: boolean;
  /** The peer's public keys. */
  readonly remote: ChannelBasepoints;
  /** Defaults: {@link ONCHAIN_DEFAULTS}. */
  readonly feeratePerKw?: bigint;
  readonly toSelfDelay?: number;
  readonly dustLimitSat?: bigint;
}

/** An HTLC in a commitment state, seen from the side the state belongs to. */
export interface StateHtlc {
  readonly direction: HtlcDirection;
  readonly id: bigint;
  readonly amountMsat: bigint;
  readonly paymentHash: Uint8Array;
  readonly cltvExpiry: number;
}

/** The part of a ledger a commitment is made of, seen from one side. */
export interface CommitmentState {
  readonly localMsat: bigint;
  readonly remoteMsat: bigint;
  readonly htlcs: readonly StateHtlc[];
}

/** The commitment state of a ledger now: balances and every HTLC not yet resolved. */
export function stateOf(ledger: ChannelLedger): CommitmentState {
  return {
    localMsat: ledger.localMsat,
    remoteMsat: ledger.remoteMsat,
    htlcs: ledger.pending().map((h) => ({
      direction: h.direction,
      id: h.id,
      amountMsat: h.amountMsat,
      paymentHash: Uint8Array.from(h.paymentHash),
      cltvExpiry: h.cltvExpiry,
    })),
  };
}

/** The same state seen from the peer: balances swapped, offered ↔ received. */
export function mirrorState(s: CommitmentState): CommitmentState {
  return {
    localMsat: s.remoteMsat,
    remoteMsat: s.localMsat,
    htlcs: s.htlcs.map((h) => ({ ...h, direction: h.direction === 'offered' ? 'received' : 'offered' })),
  };
}

/** A commitment of ours the peer signed: what a force-close needs. */
export interface SignedCommitment {
  /** Commitment number. */
  readonly n: number;
  /** Our state it commits to. */
  readonly state: CommitmentState;
  /** The peer's funding signature (DER ‖ SIGHASH_ALL, as the witness carries it). */
  readonly signature: Uint8Array;
  /** The peer's HTLC signatures, one per untrimmed HTLC output in output order (DER ‖ sighash). */
  readonly htlcSignatures: readonly Uint8Array[];
}

/** A commitment with what was derived to build it. */
export interface BuiltCommitment {
  readonly commitment: Commitment;
  readonly htlcTxs: HtlcTx[];
  /** The owner's per-commitment point. */
  readonly point: Uint8Array;
}

/** The plain-data form of an {@link OnchainChannel}, for the store. */
export interface OnchainSnapshot {
  params: {
    funding: { txid: string; vout: number; amountSat: bigint };
    localIsFunder: boolean;
    remote: Record<keyof ChannelBasepoints, string>;
    feeratePerKw: bigint;
    toSelfDelay: number;
    dustLimitSat: bigint;
  };
  /** The peer's per-commitment points we know, by commitment number. */
  peerPoints: Record<string, string>;
  latest?: SignedCommitment;
  /** Round starter: our commitment `n` awaits the peer's signature, on this state. */
  awaitingSignature?: { n: number; state: CommitmentState };
  /** Round receiver: we signed the peer's commitment `n` and await its `revoke_and_ack`. */
  awaitingRevocation?: number;
}

/** A DER ‖ sighash witness signature as BOLT 2's 64-byte compact `signature`. */
export function toCompact(witnessSig: Uint8Array): Uint8Array {
  const der = witnessSig.subarray(0, witnessSig.length - 1);
  return secp256k1.Signature.fromBytes(der, 'der').toBytes('compact');
}

/** A 64-byte compact signature as the witness carries it (DER ‖ `sighashType`). */
export function fromCompact(compact: Uint8Array, sighashType = SIGHASH_ALL): Uint8Array {
  try {
    const der = secp256k1.Signature.fromBytes(compact, 'compact').toBytes('der');
    return concatBytes(der, Uint8Array.of(sighashType));
  } catch (cause) {
    throw new LnError('INVALID_SIGNATURE', 'not a valid compact signature', { field: 'signature', cause });
  }
}

/**
 * One side's on-chain view of a channel: its secrets, the peer's public keys, the peer's
 * per-commitment points as they are promised, and the latest commitment of ours the peer signed.
 */
export class OnchainChannel {
  readonly local: ChannelBasepoints;
  readonly feeratePerKw: bigint;
  readonly toSelfDelay: number;
  readonly dustLimitSat: bigint;
  private readonly peerPoints = new Map<number, string>();
  private latestSigned: SignedCommitment | undefined;
  /** See {@link OnchainSnapshot.awaitingSignature}. */
  awaitingSignature: { n: number; state: CommitmentState } | undefined;
  /** See {@link OnchainSnapshot.awaitingRevocation}. */
  awaitingRevocation: number | undefined;

  constructor(
    readonly secrets: ChannelSecrets,
    readonly params: OnchainParams,
  ) {
    this.local = channelBasepoints(secrets);
    this.feeratePerKw = params.feeratePerKw ?? ONCHAIN_DEFAULTS.feeratePerKw;
    this.toSelfDelay = params.toSelfDelay ?? ONCHAIN_DEFAULTS.toSelfDelay;
    this.dustLimitSat = params.dustLimitSat ?? ONCHAIN_DEFAULTS.dustLimitSat;
    this.peerPoints.set(0, bytesToHex(params.remote.firstPerCommitmentPoint));
    this.peerPoints.set(1, bytesToHex(params.remote.secondPerCommitmentPoint));
  }

  /** Rebuild from a snapshot (the secrets come from the node key again). */
  static restore(secrets: ChannelSecrets, s: OnchainSnapshot): OnchainChannel {
    const remote = Object.fromEntries(
      Object.entries(s.params.remote).map(([k, v]) => [k, hexToBytes(v)]),
    ) as unknown as ChannelBasepoints;
    const c = new OnchainChannel(secrets, { ...s.params, remote });
    c.peerPoints.clear();
    for (const [n, p] of Object.entries(s.peerPoints)) c.peerPoints.set(Number(n), p);
    c.latestSigned = s.latest;
    c.awaitingSignature = s.awaitingSignature;
    c.awaitingRevocation = s.awaitingRevocation;
    return c;
  }

  snapshot(): OnchainSnapshot {
    const p = this.params;
    return structuredClone({
      params: {
        funding: { txid: p.funding.txid, vout: p.funding.vout, amountSat: p.funding.amountSat },
        localIsFunder: p.localIsFunder,
        remote: Object.fromEntries(
          Object.entries(p.remote).map(([k, v]) => [k, bytesToHex(v as Uint8Array)]),
        ) as Record<keyof ChannelBasepoints, string>,
        feeratePerKw: this.feeratePerKw,
        toSelfDelay: this.toSelfDelay,
        dustLimitSat: this.dustLimitSat,
      },
      peerPoints: Object.fromEntries(this.peerPoints),
      ...(this.latestSigned ? { latest: this.latestSigned } : {}),
      ...(this.awaitingSignature ? { awaitingSignature: this.awaitingSignature } : {}),
      ...(this.awaitingRevocation !== undefined ? { awaitingRevocation: this.awaitingRevocation } : {}),
    });
  }

  /** The latest commitment of ours the peer signed (undefined before the first one). */
  get latest(): SignedCommitment | undefined {
    return this.latestSigned;
  }

  /** Our per-commitment secret of commitment `n`. */
  ownSecret(n: number): Uint8Array {
    return perCommitmentSecretAt(this.secrets.perCommitmentSeed, n);
  }

  /** Our per-commitment point of commitment `n`. */
  ownPoint(n: number): Uint8Array {
    return perCommitmentPoint(this.ownSecret(n));
  }

  /** The peer's per-commitment point of commitment `n`; `UNKNOWN_PER_COMMITMENT_POINT` until promised. */
  peerPoint(n: number): Uint8Array {
    const p = this.peerPoints.get(n);
    if (p === undefined) {
      throw new LnError(
        'UNKNOWN_PER_COMMITMENT_POINT',
        `the peer has not promised a point for commitment ${n}`,
        {
          field: 'next_per_commitment_point',
        },
      );
    }
    return hexToBytes(p);
  }

  /**
   * Build commitment `n` of `owner` from `state` (seen from this side). BOLT 3 keys: the owner's
   * delayed and HTLC keys and the peer's HTLC key come from the owner's per-commitment point; the
   * revocation key from the other side's revocation basepoint; `remotepubkey` is the other side's
   * payment basepoint (`option_static_remotekey`).
   */
  commitment(owner: 'local' | 'remote', n: number, state: CommitmentState): BuiltCommitment {
    const ours = owner === 'local';
    const [me, them] = ours ? [this.local, this.params.remote] : [this.params.remote, this.local];
    const point = ours ? this.ownPoint(n) : this.peerPoint(n);
    const view = ours ? state : mirrorState(state);
    const keys: CommitmentKeys = {
      localFundingPubkey: me.fundingPubkey,
      remoteFundingPubkey: them.fundingPubkey,
      revocationPubkey: deriveRevocationPubkey(them.revocationBasepoint, point),
      localDelayedPubkey: derivePubkey(me.delayedPaymentBasepoint, point),
      localHtlcPubkey: derivePubkey(me.htlcBasepoint, point),
      remoteHtlcPubkey: derivePubkey(them.htlcBasepoint, point),
      remotePaymentPubkey: them.paymentBasepoint,
    };
    const [opener, accepter] = this.params.localIsFunder
      ? [this.local, this.params.remote]
      : [this.params.remote, this.local];
    const htlcs: CommitmentHtlc[] = view.htlcs.map((h) => ({
      direction: h.direction,
      amountMsat: h.amountMsat,
      paymentHash: h.paymentHash,
      cltvExpiry: h.cltvExpiry,
      id: h.id,
    }));
    const commitment = buildCommitment({
      funding: this.params.funding,
      commitmentNumber: BigInt(n),
      obscuringFactor: obscuringFactor(opener.paymentBasepoint, accepter.paymentBasepoint),
      toSelfDelay: this.toSelfDelay,
      dustLimitSat: this.dustLimitSat,
      feeratePerKw: this.feeratePerKw,
      toLocalMsat: view.localMsat,
      toRemoteMsat: view.remoteMsat,
      localIsFunder: ours === this.params.localIsFunder,
      htlcs,
      keys,
    });
    return { commitment, htlcTxs: buildHtlcTxs(commitment), point };
  }

  /**
   * BOLT 2 `commitment_signed`, sender: sign the peer's commitment `n` (funding input) and, "in the
   * order of the HTLC outputs", its HTLC-timeout/success transactions. Compact 64-byte signatures.
   */
  signPeerCommitment(
    n: number,
    state: CommitmentState,
  ): { signature: Uint8Array; htlcSignatures: Uint8Array[] } {
    const { commitment, htlcTxs, point } = this.commitment('remote', n, state);
    const htlcPrivkey = derivePrivkey(this.secrets.htlcBasepointSecret, point);
    return {
      signature: toCompact(signCommitment(commitment, this.secrets.fundingPrivkey)),
      htlcSignatures: htlcTxs.map((h) => toCompact(signHtlcTx(h, htlcPrivkey, 'remote'))),
    };
  }

  /**
   * BOLT 2 `commitment_signed`, receiver: "MUST fail the channel" unless `signature` is valid for its
   * commitment transaction and every `htlc_signature` for the matching HTLC transaction. On success the
   * signatures are kept: with our own they make commitment `n` broadcastable.
   */
  acceptSignatures(
    n: number,
    state: CommitmentState,
    signature: Uint8Array,
    htlcSignatures: readonly Uint8Array[],
  ): void {
    const { commitment, htlcTxs } = this.commitment('local', n, state);
    const sig = fromCompact(signature);
    verifyCommitmentSignature(commitment, sig);
    if (htlcSignatures.length !== htlcTxs.length) {
      throw new LnError(
        'INVALID_SIGNATURE',
        `expected ${htlcTxs.length} htlc_signature(s), got ${htlcSignatures.length}`,
        { field: 'htlc_signature' },
      );
    }
    const htlcSigs = htlcTxs.map((h, i) => {
      const s = fromCompact(htlcSignatures[i]!);
      verifyHtlcSignature(h, s, commitment.spec.keys.remoteHtlcPubkey, 'remote');
      return s;
    });
    this.latestSigned = { n, state: structuredClone(state), signature: sig, htlcSignatures: htlcSigs };
  }

  /**
   * The peer's `revoke_and_ack` after it moved to commitment `n`: BOLT 2 "MUST check that
   * per_commitment_secret generates the previous per_commitment_point" (that of commitment `n − 1`),
   * then remember `next_per_commitment_point` as the point of commitment `n + 1`.
   */
  acceptRevocation(n: number, secret: Uint8Array, nextPoint: Uint8Array): void {
    const previous = this.peerPoints.get(n - 1);
    if (previous !== undefined && bytesToHex(perCommitmentPoint(secret)) !== previous) {
      throw new LnError('SHACHAIN_MISMATCH', 'per_commitment_secret does not match the promised point', {
        field: 'per_commitment_secret',
      });
    }
    this.peerPoints.set(n + 1, bytesToHex(nextPoint));
    // Points of revoked commitments are no longer needed.
    for (const k of this.peerPoints.keys()) if (k < n - 1) this.peerPoints.delete(k);
  }
}
