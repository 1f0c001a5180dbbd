/**
 * The payer's LSP: it accepts HTLCs flagged `hold_htlc` and **does not forward them** until the
 * recipient asks, with a `release_held_htlc` onion message over a path this LSP made — the release
 * path it put in its `revoke_and_ack`. Held HTLCs live in its SQLite store, so a crash and restart
 * loses nothing.
 *
 * Rules it enforces:
 * - bolts#1149: "MUST NOT forward the HTLC until a corresponding `release_held_htlc` onion message is
 *   received"; a release is accepted only over a path whose sealed context names the held HTLC
 *   (`FORGED_CONTEXT` otherwise), and only once (`NOT_HELD` for a replay).
 * - LDK's fail-back rule: a held HTLC is failed back once `height ≥ outgoing_cltv − 39`
 *   (`HTLC_FAIL_BACK_BUFFER`), never later — so the payer's money is never locked past its expiry.
 */
import { decodeAsyncMessage } from '@asyncpay/codec/async/message';
import type { DeliveredOnionMessage } from '@asyncpay/codec/onion/onion-message';
import type { ReleasePath } from '@asyncpay/codec/wire/revoke-and-ack';
import type { UpdateAddHtlc } from '@asyncpay/codec/wire/update-add-htlc';
import { type Htlc, holdDeadline } from '@asyncpay/ln/channel/ledger';
import type { PeerChannel } from '@asyncpay/ln/channel/peer';
import { failureReason, htlcKey } from '@asyncpay/ln/node/forwarding';
import type { NodeOptions } from '@asyncpay/ln/node/node';
import { RoutingNode, type StoredRelay } from '@asyncpay/ln/node/routing-node';
import type { Store, Table } from '@asyncpay/ln/store/sqlite';
import { hexToBytes } from '@noble/hashes/utils.js';
import { CTX, decodeHtlcRef, encodeHtlcRef } from './contexts.js';
import { HtlcAsyncError } from './errors.js';

/** LDK pads release paths to four hops with dummy hops (`DUMMY_HOPS_PATH_LENGTH`). */
export const RELEASE_PATH_DUMMY_HOPS = 3;
/** LDK's `HTLC_FAIL_BACK_BUFFER` (36 + 3 blocks). */
export const FAIL_BACK_BUFFER_BLOCKS = 39;

/** A held HTLC as stored. */
export interface HeldHtlc {
  incomingPeer: string;
  incomingId: bigint;
  relay: StoredRelay;
  /** Height at which it is failed back if not released. */
  deadline: number;
  heldAt: number;
}

/** The payer's LSP, which holds HTLCs (see the module comment). */
export class PayerLsp extends RoutingNode {
  private readonly held: Table<HeldHtlc>;
  /** The holds by deadline (`<height>/<peer>/<id>` → hold key), so a block looks only at what is due. */
  private readonly byDeadline: Table<string>;
  private readonly stopBlocks: () => void;

  constructor(opts: NodeOptions) {
    super(opts);
    this.held = this.store.namespace<HeldHtlc>('held_htlcs');
    this.byDeadline = this.store.namespace<string>('held_htlcs_by_deadline');
    this.stopBlocks = this.clock.onBlock((h) => this.failExpiredHolds(h));
  }

  /** The process dies: it stops reacting (its state is whatever its store committed). */
  kill(): void {
    this.stopBlocks();
    this.router.crash(this.id);
  }

  /** HTLCs currently held (decodes every one: for inspection, not for a hot path). */
  heldHtlcs(): HeldHtlc[] {
    return this.held.entries().map(([, h]) => h);
  }

  /** How many HTLCs are held (no decoding). */
  heldCount(): number {
    return this.held.count();
  }

  /**
   * bolts#1149: with `option_htlc_hold`, the `revoke_and_ack` that locks in a held HTLC "MUST" carry at
   * least one release path. Ours: a path to this node padded with dummy hops, whose `path_id` seals
   * (peer, HTLC id). The LDK profile tags each path with the HTLC id.
   */
  override releasePathsFor(c: PeerChannel, locked: Htlc[], adds: UpdateAddHtlc[]): ReleasePath[] {
    const out: ReleasePath[] = [];
    for (const [i, htlc] of locked.entries()) {
      if (!adds[i]?.holdHtlc) continue;
      const ctx = this.sealContext(CTX.releaseHeldHtlc, encodeHtlcRef({ peer: c.peer, id: htlc.id }));
      const path = this.blindedPathToSelf([], ctx, RELEASE_PATH_DUMMY_HOPS);
      out.push(this.profile === 'ldk' ? { htlcId: htlc.id, path } : { path });
    }
    return out;
  }

  protected override interceptRelay(
    c: PeerChannel,
    htlc: Htlc,
    add: UpdateAddHtlc,
    relay: StoredRelay,
  ): boolean {
    if (!add.holdHtlc) return false;
    const entry: HeldHtlc = {
      incomingPeer: c.peer,
      incomingId: htlc.id,
      relay,
      deadline: holdDeadline(relay.cltvExpiry, FAIL_BACK_BUFFER_BLOCKS),
      heldAt: this.height(),
    };
    this.store.transaction(() => {
      recordHold(this.store, htlcKey(c.peer, htlc.id), entry);
      c.ledger.hold('received', htlc.id);
      c.persist();
    });
    this.note('holding htlc', { amountMsat: htlc.amountMsat.toString(), deadline: entry.deadline });
    return true;
  }

  protected override onOnionMessage(msg: DeliveredOnionMessage, _from: string): void {
    for (const rec of msg.content) {
      if (decodeAsyncMessage(rec, this.profile)?.kind !== 'release_held_htlc') continue;
      const ctx = this.openContext(CTX.releaseHeldHtlc, msg.pathId);
      if (!ctx)
        throw new HtlcAsyncError(
          'FORGED_CONTEXT',
          'release_held_htlc over a path we did not make',
          'path_id',
        );
      const ref = decodeHtlcRef(ctx);
      const key = htlcKey(ref.peer, ref.id);
      const entry = this.held.get(key);
      if (!entry)
        throw new HtlcAsyncError(
          'NOT_HELD',
          `HTLC ${ref.id} is not held (released, failed or replayed)`,
          'release_held_htlc',
        );
      // Remove the hold and relay (or fail back, if the next channel refuses) in one store transaction:
      // after a crash the HTLC is either still held or already on its way, never neither.
      this.note('reply: release_held_htlc', { heldBlocks: this.height() - entry.heldAt });
      this.store.transaction(() => {
        this.held.delete(key);
        this.byDeadline.delete(deadlineKey(entry.deadline, key));
        const c = this.channelWith(entry.incomingPeer);
        c.ledger.release('received', entry.incomingId);
        c.persist();
        this.relay(entry.incomingPeer, entry.incomingId, entry.relay);
      });
    }
  }

  private failExpiredHolds(height: number): void {
    // Only the holds whose deadline is reached: `<height>/…` keys sort by height.
    for (const [indexKey, key] of this.byDeadline.range('', deadlineKey(height + 1, ''))) {
      const entry = this.held.get(key);
      this.store.transaction(() => {
        this.byDeadline.delete(indexKey);
        if (!entry) return;
        this.held.delete(key);
        const c = this.channelWith(entry.incomingPeer);
        c.ledger.release('received', entry.incomingId);
        c.failHtlc(
          entry.incomingId,
          failureReason(hexToBytes(entry.relay.sharedSecret), { code: 'temporary_node_failure' }),
        );
      });
      if (entry) this.note('failed back held htlc', { height, deadline: entry.deadline });
    }
  }
}

function deadlineKey(height: number, holdKey: string): string {
  return `${String(height).padStart(10, '0')}/${holdKey}`;
}

/**
 * Write one hold as a {@link PayerLsp} keeps it: the entry under `<peer>/<id>` and its deadline index.
 * Call inside a store transaction. Exported for tools that prepare an LSP's file (benchmarks).
 */
export function recordHold(store: Store, key: string, entry: HeldHtlc): void {
  store.namespace<HeldHtlc>('held_htlcs').put(key, entry);
  store.namespace<string>('held_htlcs_by_deadline').put(deadlineKey(entry.deadline, key), key);
}
