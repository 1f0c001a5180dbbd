/**
 * A mailbox kept in a {@link Store}: messages held for offline peers survive a restart of the node
 * that holds them. Per-peer cap and expiry as in {@link MemoryMailbox}.
 */
import type { Mailbox } from '../node/router.js';
import type { Store, Table } from './sqlite.js';

interface Held {
  at: number;
  bytes: Uint8Array;
}

/** A {@link Mailbox} persisted in a {@link Store} namespace, so held messages survive a restart. */
export class StoredMailbox implements Mailbox {
  private readonly table: Table<Held>;
  private seq = 0;
  private readonly counter: Table<number>;

  constructor(
    private readonly store: Store,
    readonly perPeerCap = 64,
    readonly ttlSeconds = 7 * 24 * 3600,
  ) {
    this.table = store.namespace<Held>('mailbox');
    // Continue the sequence after a restart so keys stay ordered by arrival (a stored counter: no scan).
    this.counter = store.namespace<number>('mailbox_seq');
    this.seq = this.counter.get('next') ?? 0;
  }

  hold(peer: string, bytes: Uint8Array, now: number): boolean {
    return this.store.transaction(() => {
      if (this.expire(peer, now) >= this.perPeerCap) return false;
      this.table.put(`${peer}/${String(this.seq++).padStart(12, '0')}`, { at: now, bytes });
      this.counter.put('next', this.seq);
      return true;
    });
  }

  take(peer: string, now: number): Uint8Array[] {
    return this.store.transaction(() => {
      const out: Uint8Array[] = [];
      for (const [key, m] of this.table.entries(`${peer}/`)) {
        if (now - m.at < this.ttlSeconds) out.push(m.bytes);
        this.table.delete(key);
      }
      return out;
    });
  }

  count(peer: string): number {
    return this.table.entries(`${peer}/`).length;
  }

  /** Delete `peer`'s expired messages; returns how many are left. */
  private expire(peer: string, now: number): number {
    let left = 0;
    for (const [key, m] of this.table.entries(`${peer}/`)) {
      if (now - m.at >= this.ttlSeconds) this.table.delete(key);
      else left++;
    }
    return left;
  }
}
