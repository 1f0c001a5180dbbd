/**
 * One side's view of a channel's off-chain state (BOLT 2): balances and HTLCs, with the rules a node
 * applies when it offers, receives, holds, releases, fulfills or fails an HTLC.
 *
 * Invariant, checked after every change: `local + remote + Σ pending HTLCs = capacity`. No operation
 * creates or destroys money; a fulfilled HTLC moves its amount to the side that received it, a failed
 * one returns it to the side that offered it.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { LnError } from '../errors.js';

/** Whether we offered an HTLC (it leaves our balance) or received it. */
export type HtlcDirection = 'offered' | 'received';
/** An HTLC's life: pending, held (not to be forwarded yet), then fulfilled or failed. */
export type HtlcStatus = 'pending' | 'held' | 'fulfilled' | 'failed';

/** One HTLC as a ledger keeps it. */
export interface Htlc {
  /** BOLT 2 `id`: per direction, starting at 0 and increasing by one. */
  id: bigint;
  direction: HtlcDirection;
  amountMsat: bigint;
  paymentHash: Uint8Array;
  /** Absolute block height after which the offerer can time the HTLC out on chain. */
  cltvExpiry: number;
  status: HtlcStatus;
  /** Height at which the HTLC was added (for liquidity × time accounting). */
  addedAt: number;
  /** Height at which it was resolved. */
  resolvedAt?: number;
}

/** The BOLT 2 limits a receiving side applies. */
export interface ChannelParams {
  /** BOLT 2 `htlc_minimum_msat` of the receiving side. */
  htlcMinimumMsat: bigint;
  /** BOLT 2 `max_accepted_htlcs`. */
  maxAcceptedHtlcs: number;
  /**
   * BOLT 2: a receiver should fail an HTLC whose `cltv_expiry` is too soon to be safe; we require at
   * least this many blocks above the current height.
   */
  minFinalCltvExpiryDelta: number;
  /** And refuse one too far in the future (BOLT 4 allows ~2 weeks; LDK's default maximum is 2016). */
  maxCltvExpiryDelta: number;
}

/** Limits close to common defaults: 483 HTLCs, a final CLTV delta of 18, at most 2016 blocks ahead. */
export const DEFAULT_CHANNEL_PARAMS: ChannelParams = {
  htlcMinimumMsat: 1n,
  maxAcceptedHtlcs: 483,
  minFinalCltvExpiryDelta: 18,
  maxCltvExpiryDelta: 2016,
};

/** The plain-data form of a ledger, for a store. */
export interface LedgerSnapshot {
  channelId: string;
  capacityMsat: bigint;
  localMsat: bigint;
  remoteMsat: bigint;
  nextOfferedId: bigint;
  nextReceivedId: bigint;
  /** Unresolved HTLCs. Resolved ones leave the ledger; their liquidity cost is kept in `resolvedMsatBlocks`. */
  htlcs: Htlc[];
  /** Σ amount × blocks of the HTLCs already resolved. */
  resolvedMsatBlocks: bigint;
  params: ChannelParams;
}

/**
 * One side's balances and HTLCs (see the module comment).
 *
 * ```ts
 * const l = ChannelLedger.open('chan', 1_000_000n, 0n);
 * const h = l.offer(5_000n, paymentHash, 900, 800);
 * l.fulfill('offered', h.id, preimage, 801); // l.remoteMsat === 5_000n
 * ```
 */
export class ChannelLedger {
  private constructor(private s: LedgerSnapshot) {}

  /** A fresh channel: `localMsat` ours, `remoteMsat` theirs. */
  static open(
    channelId: string,
    localMsat: bigint,
    remoteMsat: bigint,
    params = DEFAULT_CHANNEL_PARAMS,
  ): ChannelLedger {
    if (localMsat < 0n || remoteMsat < 0n) throw new RangeError('balances must not be negative');
    return new ChannelLedger({
      channelId,
      capacityMsat: localMsat + remoteMsat,
      localMsat,
      remoteMsat,
      nextOfferedId: 0n,
      nextReceivedId: 0n,
      htlcs: [],
      resolvedMsatBlocks: 0n,
      params,
    });
  }

  /** Rebuild from a snapshot (after a restart). */
  static restore(snapshot: LedgerSnapshot): ChannelLedger {
    const s = structuredClone(snapshot);
    // Snapshots written before resolved HTLCs left the ledger carry no running sum.
    s.resolvedMsatBlocks ??= 0n;
    const l = new ChannelLedger(s);
    l.checkConservation();
    return l;
  }

  snapshot(): LedgerSnapshot {
    return structuredClone(this.s);
  }

  get channelId(): string {
    return this.s.channelId;
  }
  get localMsat(): bigint {
    return this.s.localMsat;
  }
  get remoteMsat(): bigint {
    return this.s.remoteMsat;
  }
  get capacityMsat(): bigint {
    return this.s.capacityMsat;
  }

  /** HTLCs not yet resolved. */
  pending(): Htlc[] {
    return this.s.htlcs;
  }

  htlc(direction: HtlcDirection, id: bigint): Htlc | undefined {
    return this.s.htlcs.find((h) => h.direction === direction && h.id === id);
  }

  /** Offer an HTLC to the peer; returns it with its id. */
  offer(amountMsat: bigint, paymentHash: Uint8Array, cltvExpiry: number, height: number): Htlc {
    this.checkAmount(amountMsat, this.s.localMsat, 'offer');
    const h: Htlc = {
      id: this.s.nextOfferedId++,
      direction: 'offered',
      amountMsat,
      paymentHash,
      cltvExpiry,
      status: 'pending',
      addedAt: height,
    };
    this.s.localMsat -= amountMsat;
    this.s.htlcs.push(h);
    this.checkConservation();
    return h;
  }

  /**
   * Accept an HTLC the peer offered, applying BOLT 2's receiver rules: the `id` is the next expected
   * one, the amount is at least `htlc_minimum_msat` and within the peer's balance, the number of HTLCs
   * stays within `max_accepted_htlcs`, and `cltv_expiry` is neither too soon nor too far.
   */
  receive(id: bigint, amountMsat: bigint, paymentHash: Uint8Array, cltvExpiry: number, height: number): Htlc {
    // BOLT 2: "if the `id` is not equal to the next expected id … MUST send an `error`"
    if (id !== this.s.nextReceivedId) {
      throw new LnError('HTLC_ID_MISMATCH', `expected HTLC id ${this.s.nextReceivedId}, got ${id}`, {
        field: 'id',
      });
    }
    this.checkAmount(amountMsat, this.s.remoteMsat, 'receive');
    if (cltvExpiry < height + this.s.params.minFinalCltvExpiryDelta) {
      throw new LnError('CLTV_EXPIRY_TOO_SOON', `cltv_expiry ${cltvExpiry} is too soon at height ${height}`, {
        field: 'cltv_expiry',
      });
    }
    if (cltvExpiry > height + this.s.params.maxCltvExpiryDelta) {
      throw new LnError('CLTV_EXPIRY_TOO_FAR', `cltv_expiry ${cltvExpiry} is too far at height ${height}`, {
        field: 'cltv_expiry',
      });
    }
    const h: Htlc = {
      id,
      direction: 'received',
      amountMsat,
      paymentHash,
      cltvExpiry,
      status: 'pending',
      addedAt: height,
    };
    this.s.nextReceivedId++;
    this.s.remoteMsat -= amountMsat;
    this.s.htlcs.push(h);
    this.checkConservation();
    return h;
  }

  /** Mark a pending HTLC held (not to be forwarded until released). */
  hold(direction: HtlcDirection, id: bigint): Htlc {
    const h = this.pendingHtlc(direction, id);
    if (h.status !== 'pending')
      throw new LnError('HTLC_NOT_PENDING', `${direction} HTLC ${id} is already held`, { field: 'id' });
    h.status = 'held';
    return h;
  }

  /** Release a held HTLC back to pending. */
  release(direction: HtlcDirection, id: bigint): Htlc {
    const h = this.pendingHtlc(direction, id);
    if (h.status !== 'held')
      throw new LnError('HTLC_NOT_PENDING', `${direction} HTLC ${id} is not held`, { field: 'id' });
    h.status = 'pending';
    return h;
  }

  /**
   * Settle an HTLC with its preimage: the amount goes to the side that received it.
   * Fails with `INVALID_PREIMAGE` unless `SHA256(preimage) = payment_hash`.
   */
  fulfill(direction: HtlcDirection, id: bigint, preimage: Uint8Array, height: number): Htlc {
    const h = this.pendingHtlc(direction, id);
    if (bytesToHex(sha256(preimage)) !== bytesToHex(h.paymentHash)) {
      throw new LnError('INVALID_PREIMAGE', 'preimage does not hash to the payment hash', {
        field: 'payment_preimage',
      });
    }
    h.status = 'fulfilled';
    this.resolve(h, height);
    if (direction === 'offered') this.s.remoteMsat += h.amountMsat;
    else this.s.localMsat += h.amountMsat;
    this.checkConservation();
    return h;
  }

  /** Fail an HTLC: the amount returns to the side that offered it. */
  fail(direction: HtlcDirection, id: bigint, height: number): Htlc {
    const h = this.pendingHtlc(direction, id);
    h.status = 'failed';
    this.resolve(h, height);
    if (direction === 'offered') this.s.localMsat += h.amountMsat;
    else this.s.remoteMsat += h.amountMsat;
    this.checkConservation();
    return h;
  }

  /** Liquidity this channel locked in resolved and pending HTLCs: Σ amount × blocks. */
  lockedMsatBlocks(height: number): bigint {
    let sum = this.s.resolvedMsatBlocks;
    for (const h of this.s.htlcs) sum += h.amountMsat * BigInt(Math.max(0, height - h.addedAt));
    return sum;
  }

  /** Take a settled or failed HTLC out of the ledger, keeping its liquidity cost. */
  private resolve(h: Htlc, height: number): void {
    h.resolvedAt = height;
    this.s.resolvedMsatBlocks += h.amountMsat * BigInt(Math.max(0, height - h.addedAt));
    this.s.htlcs = this.s.htlcs.filter((x) => x !== h);
  }

  private pendingHtlc(direction: HtlcDirection, id: bigint): Htlc {
    const h = this.htlc(direction, id);
    if (h) return h;
    // Ids are sequential per direction: a known id that is not pending was already resolved.
    const next = direction === 'offered' ? this.s.nextOfferedId : this.s.nextReceivedId;
    if (id >= 0n && id < next) {
      throw new LnError('HTLC_NOT_PENDING', `${direction} HTLC ${id} is already resolved`, { field: 'id' });
    }
    throw new LnError('UNKNOWN_HTLC', `no ${direction} HTLC ${id}`, { field: 'id' });
  }

  private checkAmount(amountMsat: bigint, available: bigint, what: 'offer' | 'receive'): void {
    if (amountMsat < this.s.params.htlcMinimumMsat || amountMsat <= 0n) {
      throw new LnError('HTLC_BELOW_MINIMUM', `${what}: ${amountMsat} msat is below htlc_minimum_msat`, {
        field: 'amount_msat',
      });
    }
    if (amountMsat > available) {
      throw new LnError(
        'INSUFFICIENT_BALANCE',
        `${what}: ${amountMsat} msat exceeds the ${available} msat available`,
        {
          field: 'amount_msat',
        },
      );
    }
    // BOLT 2 counts max_accepted_htlcs per direction.
    const direction: HtlcDirection = what === 'offer' ? 'offered' : 'received';
    if (this.pending().filter((h) => h.direction === direction).length >= this.s.params.maxAcceptedHtlcs) {
      throw new LnError('TOO_MANY_HTLCS', `${what}: max_accepted_htlcs reached`, {
        field: 'max_accepted_htlcs',
      });
    }
  }

  private checkConservation(): void {
    const inFlight = this.pending().reduce((a, h) => a + h.amountMsat, 0n);
    if (this.s.localMsat + this.s.remoteMsat + inFlight !== this.s.capacityMsat) {
      throw new Error(`channel ${this.s.channelId}: balances do not conserve (internal error)`);
    }
  }
}

/**
 * The height by which a node holding an HTLC must fail it back: `outgoing_cltv − buffer`. LDK holds
 * until `height ≥ outgoing_cltv_value − 39` (HTLC_FAIL_BACK_BUFFER), then fails back; never later,
 * or the upstream peer could time out on chain while we are still exposed downstream.
 */
export function holdDeadline(outgoingCltvExpiry: number, bufferBlocks = 39): number {
  return outgoingCltvExpiry - bufferBlocks;
}
