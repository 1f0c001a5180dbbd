/**
 * An LSP at scale, on disk: one SQLite file holding what a payer's LSP that is also a static invoice
 * server keeps — `held_htlcs` (the {@link PayerLsp}'s own table, real {@link HeldHtlc} records), the
 * channels those HTLCs sit in (`channels`, real {@link PeerChannelSnapshot}s, at most
 * `max_accepted_htlcs` = 483 held HTLCs per channel), `mailbox` (through {@link StoredMailbox.hold}) and
 * `static_invoices` (the server's value per `recipient/slot`). Then the LSP is restarted over the file
 * and releases two HTLCs and fails back one.
 *
 * The tables are written through the store with the roles' own shapes and keys, in batches of
 * `batch` entries per transaction: the roles commit one entry per transaction, and each commit is an
 * fsync (measured apart by {@link commitProbe}), which would make a 100,000-entry populate take
 * minutes. The public API has no bulk path; see the report.
 *
 * ```ts
 * const lsp = LspAtScale.create({ dir, entries: 1000 });
 * lsp.populate();
 * const r = lsp.restart(); // r.counts.held === 1000
 * lsp.close();
 * ```
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { encodeAsyncMessage } from '@asyncpay/codec/async/message';
import { buildOnionMessage } from '@asyncpay/codec/onion/onion-message';
import { DEFAULT_CHANNEL_PARAMS, type Htlc, holdDeadline } from '@asyncpay/ln/channel/ledger';
import type { PeerChannelSnapshot } from '@asyncpay/ln/channel/peer';
import { VirtualClock } from '@asyncpay/ln/node/clock';
import { htlcKey } from '@asyncpay/ln/node/forwarding';
import { LnNode, type NodeOptions } from '@asyncpay/ln/node/node';
import { Router } from '@asyncpay/ln/node/router';
import { StoredMailbox } from '@asyncpay/ln/store/mailbox';
import { encodeValue, SqliteStore } from '@asyncpay/ln/store/sqlite';
import { bytesToHex } from '@noble/hashes/utils.js';
import { CTX, encodeHtlcRef } from '../src/contexts.js';
import {
  FAIL_BACK_BUFFER_BLOCKS,
  type HeldHtlc,
  PayerLsp,
  RELEASE_PATH_DUMMY_HOPS,
  recordHold,
} from '../src/payer-lsp.js';
import {
  buildFixtures,
  type Fixtures,
  HELD_AMOUNT_MSAT,
  KEYS,
  memory,
  randomBytes,
  randomNodeId,
  START_HEIGHT,
  START_TIME,
  type StoredInvoice,
  type Timing,
  timed,
} from './fixtures.js';

/** The next hop: a plain node, which fails what it is offered (the bench needs only its answers). */
class NextHop extends LnNode {}

/**
 * The payers as the router sees them: online, ignoring what they get. One object made here, not a
 * closure per payer inside the populate loop, which would keep that loop's records alive.
 */
const SILENT_PAYER = { receive: () => {} };

export interface LspFileOptions {
  dir: string;
  entries: number;
  /** Entries per transaction while populating (default 1000). */
  batch?: number;
  fixtures?: Fixtures;
}

/** One table as populated. */
export interface TableFigures {
  name: string;
  entries: number;
  seconds: number;
  /** Growth of the SQLite file (checkpointed) while writing this table. */
  bytes: number;
  /** The stored JSON of one entry (the key not included). */
  valueBytes: number;
}

export interface PopulateResult {
  channels: number;
  tables: TableFigures[];
  fileBytes: number;
  /** Heap + external and RSS growth while populating (retained after a collection). */
  heapBytes: number;
  rssBytes: number;
}

/** What a restart over the file costs, step by step. */
export interface RestartTimes {
  /** Open the file; construct the PayerLsp (channels restored, peers reconnected); read every held HTLC. */
  open: Timing;
  construct: Timing;
  heldRead: Timing;
  /** Re-open the mailbox (its constructor scans every entry); count the static invoices. */
  mailboxReopen: Timing;
  invoicesCount: Timing;
  /** Two real `release_held_htlc`s (the first in this process, then a warm one) and the next block's fail-back. */
  firstRelease: Timing;
  secondRelease: Timing;
  firstFailBack: Timing;
}

export interface RestartResult {
  times: RestartTimes;
  counts: {
    held: number;
    heldInLedgers: number;
    channels: number;
    mailbox: number;
    invoices: number;
    heldAfterRelease: number;
    heldAfterFailBack: number;
  };
  /** Bytes retained by the restarted LSP (its channel ledgers), and held while `heldHtlcs()` is alive. */
  retainedHeapBytes: number;
  retainedRssBytes: number;
  heldArrayHeapBytes: number;
}

const fileBytes = (file: string) =>
  [file, `${file}-wal`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);

export class LspAtScale {
  readonly clock = new VirtualClock({ start: START_TIME, height: START_HEIGHT });
  readonly router = new Router(this.clock);
  readonly file: string;
  readonly fixtures: Fixtures;
  readonly nextHop: NextHop;
  /** The payers' node ids, one channel each. */
  readonly payers: string[] = [];
  private readonly lspId: string;
  private readonly stores: SqliteStore[] = [];
  private lsp: PayerLsp | undefined;

  private constructor(private readonly opts: LspFileOptions) {
    this.file = join(opts.dir, 'lsp.sqlite');
    this.fixtures = opts.fixtures ?? buildFixtures();
    const lsp = new PayerLsp(this.nodeOptions('payer-lsp', KEYS.lsp, this.open(this.file)));
    this.nextHop = new NextHop(this.nodeOptions('next-hop', KEYS.nextHop, this.open(':memory:')));
    LnNode.openChannel(lsp, this.nextHop, 100_000_000_000n, 100_000_000_000n);
    this.lspId = lsp.id;
    // The LSP goes down; its tables are filled while it is down, then it restarts over them.
    lsp.kill();
    this.stores.shift()?.close();
  }

  /** A world with the LSP's file in `dir`, its channel to the next hop open, the LSP stopped. */
  static create(opts: LspFileOptions): LspAtScale {
    return new LspAtScale(opts);
  }

  private open(path: string): SqliteStore {
    const s = SqliteStore.open(path);
    this.stores.push(s);
    return s;
  }

  private nodeOptions(role: string, privkey: Uint8Array, store: SqliteStore): NodeOptions {
    return { role, privkey, clock: this.clock, router: this.router, store, profile: 'ldk' };
  }

  /** Write the three tables (and the channels the held HTLCs sit in); sizes from the checkpointed file. */
  populate(): PopulateResult {
    const n = this.opts.entries;
    const batch = this.opts.batch ?? 1000;
    const before = memory();
    const tables: TableFigures[] = [];
    const stage = (name: string, write: (store: SqliteStore) => { ms: number; value: unknown }) => {
      const size0 = fileBytes(this.file);
      const store = SqliteStore.open(this.file);
      const { ms, value } = write(store);
      store.close(); // the last connection checkpoints the WAL into the file
      const bytes = fileBytes(this.file) - size0;
      tables.push({ name, entries: n, seconds: ms / 1000, bytes, valueBytes: encodeValue(value).length });
    };
    stage('held_htlcs + channels', (store) => this.writeHeld(store, batch));
    const recipients = Array.from({ length: n }, randomNodeId);
    stage('mailbox', (store) => {
      const mailbox = new StoredMailbox(store, 64, 7 * 86_400);
      const template = this.fixtures.heldHtlcAvailable;
      const ms = timedBatches(store, n, batch, (i) => {
        // Same header; a fresh packet body, as every real onion differs.
        const bytes = template.slice();
        bytes.set(randomBytes(bytes.length - 37), 37);
        if (!mailbox.hold(recipients[i]!, bytes, START_TIME)) throw new Error('mailbox refused a message');
      });
      return { ms, value: { at: START_TIME, bytes: template } };
    });
    stage('static_invoices', (store) => {
      const invoices = store.namespace<StoredInvoice>('static_invoices');
      const value = this.fixtures.storedInvoice;
      return { ms: timedBatches(store, n, batch, (i) => invoices.put(`${recipients[i]}/0`, value)), value };
    });
    recipients.length = 0; // the bench's own list, not the store's
    const after = memory();
    return {
      channels: this.payers.length,
      tables,
      fileBytes: fileBytes(this.file),
      heapBytes: after.heap - before.heap,
      rssBytes: after.rss - before.rss,
    };
  }

  /**
   * Held HTLCs in channels of up to 483 from distinct payers (at least two channels: the bench releases
   * from the first and fails back from the last). The last channel's first HTLC expires at the next block.
   */
  private writeHeld(store: SqliteStore, batch: number): { ms: number; value: HeldHtlc } {
    const n = this.opts.entries;
    const perChannel = DEFAULT_CHANNEL_PARAMS.maxAcceptedHtlcs;
    const channels = Math.max(2, Math.ceil(n / perChannel));
    const snapshots = store.namespace<PeerChannelSnapshot>('channels');
    const relayCltv = START_HEIGHT + 968;
    let ms = 0;
    let written = 0;
    let value: HeldHtlc | undefined;
    for (let j = 0; j < channels; j++) {
      const peer = randomNodeId();
      this.payers.push(peer);
      this.router.attach(peer, SILENT_PAYER);
      this.router.link(this.lspId, peer);
      const count = Math.min(perChannel, Math.ceil((n - written) / (channels - j)));
      const htlcs: Htlc[] = [];
      const entries: [string, HeldHtlc][] = [];
      for (let id = 0n; id < BigInt(count); id++) {
        const expiresFirst = j === channels - 1 && id === 0n;
        const cltvExpiry = expiresFirst ? START_HEIGHT + 1 + FAIL_BACK_BUFFER_BLOCKS : relayCltv;
        const paymentHash = randomBytes(32);
        htlcs.push({
          id,
          direction: 'received',
          amountMsat: HELD_AMOUNT_MSAT,
          paymentHash,
          cltvExpiry: cltvExpiry + 40,
          status: 'held',
          addedAt: START_HEIGHT,
        });
        entries.push([
          htlcKey(peer, id),
          {
            incomingPeer: peer,
            incomingId: id,
            relay: {
              nextPeer: this.nextHop.id,
              paymentHash: bytesToHex(paymentHash),
              amountMsat: HELD_AMOUNT_MSAT - 6_000n,
              cltvExpiry,
              onion: bytesToHex(randomBytes(this.fixtures.relayOnionLength)),
              sharedSecret: bytesToHex(randomBytes(32)),
            },
            deadline: holdDeadline(cltvExpiry, FAIL_BACK_BUFFER_BLOCKS),
            heldAt: START_HEIGHT,
          },
        ]);
      }
      const remote = 100_000_000_000n;
      const snapshot: PeerChannelSnapshot = {
        peer,
        ledger: {
          channelId: bytesToHex(randomBytes(32)),
          capacityMsat: remote + HELD_AMOUNT_MSAT * BigInt(count),
          localMsat: 0n,
          remoteMsat: remote,
          nextOfferedId: 0n,
          nextReceivedId: BigInt(count),
          htlcs,
          resolvedMsatBlocks: 0n,
          params: DEFAULT_CHANNEL_PARAMS,
        },
        stateNumber: count,
        outbox: [],
        pendingAdds: [],
        awaitingRevoke: false,
      };
      value ??= entries[0]![1];
      ms += timedBatches(store, count, batch, (i) => recordHold(store, ...entries[i]!));
      const t0 = performance.now();
      store.transaction(() => snapshots.put(peer, snapshot));
      ms += performance.now() - t0;
      written += count;
    }
    return { ms, value: value! };
  }

  /** Restart the LSP over the file, read everything back, release two HTLCs and fail back another. */
  restart(): RestartResult {
    const baseline = memory();
    const open = timed(() => this.open(this.file));
    const store = open.value;
    const construct = timed(
      () => new PayerLsp({ ...this.nodeOptions('payer-lsp', KEYS.lsp, store), restart: true }),
    );
    const lsp = construct.value;
    this.lsp = lsp;
    const heldRead = timed(() => lsp.heldHtlcs());
    const withHeld = memory();
    const held = heldRead.value.length;
    heldRead.value.length = 0;
    const retained = memory();
    const mailboxReopen = timed(() => {
      new StoredMailbox(store, 64, 7 * 86_400);
      return store.namespace('mailbox').count();
    });
    const invoicesCount = timed(() => store.namespace<StoredInvoice>('static_invoices').count());

    let heldInLedgers = 0;
    for (const p of this.payers) heldInLedgers += lsp.channelWith(p).ledger.pending().length;
    const heldTable = store.namespace<HeldHtlc>('held_htlcs');

    // Real releases over the paths the LSP would have put in its revoke_and_acks, for the first
    // payer's HTLCs 0 (the first release in this process) and 1. After each, the next hop answers
    // (and fails the HTLC back): not timed.
    const release = (id: bigint) => {
      const ctx = lsp.sealContext(CTX.releaseHeldHtlc, encodeHtlcRef({ peer: this.payers[0]!, id }));
      const bytes = buildOnionMessage({
        path: lsp.blindedPathToSelf([], ctx, RELEASE_PATH_DUMMY_HOPS),
        content: [encodeAsyncMessage({ kind: 'release_held_htlc' }, 'ldk')],
      }).onionMessage;
      const { time } = timed(() => lsp.receive(this.nextHop.id, bytes));
      this.clock.advance(1);
      return time;
    };
    const firstRelease = release(0n);
    const secondRelease = release(1n);
    const heldAfterRelease = heldTable.count();

    // The next block: the last channel's first hold reaches its deadline and is failed back.
    const firstFailBack = timed(() => this.clock.advance(600)).time;
    return {
      times: {
        open: open.time,
        construct: construct.time,
        heldRead: heldRead.time,
        mailboxReopen: mailboxReopen.time,
        invoicesCount: invoicesCount.time,
        firstRelease,
        secondRelease,
        firstFailBack,
      },
      counts: {
        held,
        heldInLedgers,
        channels: this.payers.length,
        mailbox: mailboxReopen.value,
        invoices: invoicesCount.value,
        heldAfterRelease,
        heldAfterFailBack: heldTable.count(),
      },
      retainedHeapBytes: retained.heap - baseline.heap,
      retainedRssBytes: retained.rss - baseline.rss,
      heldArrayHeapBytes: withHeld.heap - retained.heap,
    };
  }

  /** Stop the LSP and close every store. */
  close(): void {
    this.lsp?.kill();
    for (const s of this.stores.splice(0)) s.close();
  }
}

/** Run `write(i)` for `i < n` in transactions of `batch`; returns the milliseconds spent. */
function timedBatches(store: SqliteStore, n: number, batch: number, write: (i: number) => void): number {
  let ms = 0;
  for (let start = 0; start < n; start += batch) {
    const t0 = performance.now();
    store.transaction(() => {
      for (let i = start; i < Math.min(n, start + batch); i++) write(i);
    });
    ms += performance.now() - t0;
  }
  return ms;
}

/**
 * What one commit costs on this disk: `samples` transactions of one real-size held HTLC each, as the
 * LSP writes them (WAL, `synchronous = FULL`: one fsync per commit). Microseconds per commit.
 */
export function commitProbe(dir: string, samples: number): number {
  const store = SqliteStore.open(join(dir, 'commit-probe.sqlite'));
  const table = store.namespace<{ onion: string }>('held_htlcs');
  const onion = bytesToHex(randomBytes(1366));
  const t0 = performance.now();
  for (let i = 0; i < samples; i++) store.transaction(() => table.put(String(i), { onion }));
  const micros = ((performance.now() - t0) * 1000) / samples;
  store.close();
  return micros;
}
