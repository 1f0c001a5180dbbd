/**
 * The network between simulated nodes. Nodes never touch each other's memory: a node hands the router
 * encoded bytes, and the receiving node decodes and authenticates them itself.
 *
 * - Links join peers (a channel or a connection). Messages travel only over links, after a latency.
 * - Nodes go offline and online. A message to an offline peer is dropped unless the sending node keeps
 *   a {@link Mailbox} (an LSP does): then it is held there, within the mailbox's per-peer cap and
 *   expiry, and delivered when the peer reconnects. Listeners hear of every held message (to send a
 *   wake-up notification).
 * - Faults are seeded: drop, duplicate, delay (which reorders) and crash/restart of a node.
 */

import type { VirtualClock } from './clock.js';
import { Rng } from './rng.js';
import type { MessageFate, Recorder, Role } from './transcript.js';

/** A node as the router sees it. */
export interface Endpoint {
  /** Receives the bytes of one wire message from a linked peer. */
  receive(from: string, bytes: Uint8Array): void;
  /** A linked peer came online (or this node did, for each online peer). */
  peerConnected?(peer: string): void;
  peerDisconnected?(peer: string): void;
}

/** Messages held for offline peers, kept by the node that would forward them. */
export interface Mailbox {
  /** Hold `bytes` for `peer`; false if refused (cap reached). */
  hold(peer: string, bytes: Uint8Array, now: number): boolean;
  /** Take every unexpired message for `peer`, oldest first. */
  take(peer: string, now: number): Uint8Array[];
  /** How many messages are held for `peer`. */
  count(peer: string): number;
}

/** An in-memory mailbox with a per-peer cap and an expiry. */
export class MemoryMailbox implements Mailbox {
  private readonly held = new Map<string, { at: number; bytes: Uint8Array }[]>();
  constructor(
    readonly perPeerCap = 64,
    readonly ttlSeconds = 7 * 24 * 3600,
  ) {}

  hold(peer: string, bytes: Uint8Array, now: number): boolean {
    const q = (this.held.get(peer) ?? []).filter((m) => now - m.at < this.ttlSeconds);
    if (q.length >= this.perPeerCap) return false;
    q.push({ at: now, bytes });
    this.held.set(peer, q);
    return true;
  }
  take(peer: string, now: number): Uint8Array[] {
    const q = this.held.get(peer) ?? [];
    this.held.delete(peer);
    return q.filter((m) => now - m.at < this.ttlSeconds).map((m) => m.bytes);
  }
  count(peer: string): number {
    return this.held.get(peer)?.length ?? 0;
  }
}

/** Faults injected on onion messages (seeded). */
export interface Faults {
  /** Probability a message is lost. */
  drop?: number;
  /** Probability a message is delivered twice. */
  duplicate?: number;
  /** Extra delay, uniformly 0..maxDelay seconds (reorders messages). */
  maxDelay?: number;
}

/** How a router behaves: its seed, latency, faults, and how it names nodes and messages in the transcript. */
export interface RouterOptions {
  seed?: string | number;
  /** Seconds a message takes over one link. */
  latency?: number;
  faults?: Faults;
  recorder?: Recorder;
  /** Names a node in the transcript (its role), given its id. */
  roleOf?: (nodeId: string) => Role;
  /** Names a message in the transcript, given its bytes. */
  describe?: (bytes: Uint8Array) => { type: number; name: string };
}

/** Raised for misuse of the router (sending without a link, unknown node). */
export class RouterError extends Error {
  constructor(
    readonly code: 'UNKNOWN_NODE' | 'NO_LINK',
    message: string,
  ) {
    super(message);
    this.name = 'RouterError';
  }
}

interface Attached {
  endpoint: Endpoint | undefined;
  online: boolean;
  mailbox: Mailbox | undefined;
}

type HeldListener = (holder: string, peer: string, bytes: Uint8Array) => void;

/**
 * The network of a simulation (see the module comment).
 *
 * ```ts
 * const router = new Router(clock, { seed: 'demo', faults: { drop: 0.1 } });
 * router.attach(id, node); router.link(a, b); router.send(a, b, bytes);
 * ```
 */
export class Router {
  private readonly nodes = new Map<string, Attached>();
  private readonly links = new Set<string>();
  private readonly rng: Rng;
  private readonly heldListeners: HeldListener[] = [];

  constructor(
    readonly clock: VirtualClock,
    private readonly opts: RouterOptions = {},
  ) {
    this.rng = new Rng(opts.seed ?? 0);
  }

  /** Register a node (online). A node that keeps a mailbox holds messages for its offline peers. */
  attach(nodeId: string, endpoint: Endpoint, opts: { mailbox?: Mailbox } = {}): void {
    this.nodes.set(nodeId, { endpoint, online: true, mailbox: opts.mailbox });
  }

  /** Join two nodes (a channel or a connection). */
  link(a: string, b: string): void {
    this.get(a);
    this.get(b);
    this.links.add(linkKey(a, b));
  }

  isOnline(nodeId: string): boolean {
    return this.get(nodeId).online;
  }

  /** Peers linked to `nodeId`. */
  peersOf(nodeId: string): string[] {
    const out: string[] = [];
    for (const k of this.links) {
      const [a, b] = k.split('|') as [string, string];
      if (a === nodeId) out.push(b);
      else if (b === nodeId) out.push(a);
    }
    return out.sort();
  }

  /** Hear of every message a mailbox holds (the holder would send a wake-up). */
  onHeld(fn: HeldListener): void {
    this.heldListeners.push(fn);
  }

  /** Take a node offline (it keeps its state) or bring it back online. */
  setOnline(nodeId: string, online: boolean): void {
    const n = this.get(nodeId);
    if (n.online === online) return;
    n.online = online;
    this.opts.recorder?.record({ kind: 'online', node: this.role(nodeId), online });
    for (const peer of this.peersOf(nodeId)) {
      const p = this.get(peer);
      if (!p.online) continue;
      if (online) {
        // Both sides learn of the connection; the peer flushes what it held for us.
        n.endpoint?.peerConnected?.(peer);
        p.endpoint?.peerConnected?.(nodeId);
        this.flushMailbox(peer, nodeId);
      } else p.endpoint?.peerDisconnected?.(nodeId);
    }
  }

  /** Crash a node: it goes offline and its in-memory state is gone (detach its endpoint). */
  crash(nodeId: string): void {
    this.setOnline(nodeId, false);
    this.get(nodeId).endpoint = undefined;
  }

  /** Restart a crashed node with a new endpoint (rebuilt from its store) and bring it online. */
  restart(nodeId: string, endpoint: Endpoint, opts: { mailbox?: Mailbox } = {}): void {
    const n = this.get(nodeId);
    n.endpoint = endpoint;
    n.mailbox = opts.mailbox ?? n.mailbox;
    this.setOnline(nodeId, true);
  }

  /**
   * Send the bytes of one wire message over the link `from`→`to`. Returns the message's fate as the
   * sender can know it: delivered later, held in the sender's mailbox, or dropped.
   */
  send(from: string, to: string, bytes: Uint8Array, label?: string): MessageFate {
    if (!this.links.has(linkKey(from, to))) throw new RouterError('NO_LINK', `no link ${from} → ${to}`);
    const sender = this.get(from);
    const target = this.get(to);
    if (!sender.online) return this.note(from, to, bytes, label, 'dropped');
    if (!target.online) {
      if (sender.mailbox?.hold(to, bytes, this.clock.now())) {
        this.note(from, to, bytes, label, 'held');
        for (const l of this.heldListeners) l(from, to, bytes);
        return 'held';
      }
      return this.note(from, to, bytes, label, 'dropped');
    }
    // Faults model the onion-message layer: channel messages ride a BOLT 8 connection that BOLT 2's
    // reestablish makes reliable, which the channel layer here does not re-implement.
    const f = wireType(bytes) === 513 ? (this.opts.faults ?? {}) : {};
    if (this.rng.chance(f.drop ?? 0)) return this.note(from, to, bytes, label, 'dropped');
    const copies = this.rng.chance(f.duplicate ?? 0) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delay = (this.opts.latency ?? 0.05) + (f.maxDelay ? this.rng.next() * f.maxDelay : 0);
      this.clock.after(delay, `deliver ${from}→${to}`, () => this.deliver(from, to, bytes));
    }
    return this.note(from, to, bytes, label, copies === 2 ? 'duplicated' : 'delivered');
  }

  private deliver(from: string, to: string, bytes: Uint8Array): void {
    const target = this.get(to);
    // A peer that went offline while the message was in flight never gets it.
    if (!target.online || !target.endpoint) return;
    target.endpoint.receive(from, bytes);
  }

  private flushMailbox(holder: string, peer: string): void {
    const mailbox = this.get(holder).mailbox;
    if (!mailbox) return;
    for (const bytes of mailbox.take(peer, this.clock.now())) {
      this.note(holder, peer, bytes, undefined, 'released');
      this.clock.after(this.opts.latency ?? 0.05, `deliver held ${holder}→${peer}`, () => {
        const target = this.get(peer);
        if (target.online && target.endpoint) target.endpoint.receive(holder, bytes);
        // The peer went offline again while the message was in flight: hold it once more, so a
        // mailbox delivers at least once rather than at most once.
        else if (mailbox.hold(peer, bytes, this.clock.now()))
          this.note(holder, peer, bytes, undefined, 'held');
      });
    }
  }

  private note(
    from: string,
    to: string,
    bytes: Uint8Array,
    label: string | undefined,
    fate: MessageFate,
  ): MessageFate {
    const rec = this.opts.recorder;
    if (rec) {
      const d = this.opts.describe?.(bytes) ?? {
        type: wireType(bytes),
        name: WIRE_NAMES[wireType(bytes)] ?? `type ${wireType(bytes)}`,
      };
      if (label) d.name = label;
      rec.record({
        kind: 'message',
        from: this.role(from),
        to: this.role(to),
        type: d.type,
        name: d.name,
        size: bytes.length,
        hex: toHexString(bytes),
        fate,
      });
    }
    return fate;
  }

  private role(nodeId: string): Role {
    return this.opts.roleOf?.(nodeId) ?? nodeId.slice(0, 8);
  }

  private get(nodeId: string): Attached {
    const n = this.nodes.get(nodeId);
    if (!n) throw new RouterError('UNKNOWN_NODE', `unknown node ${nodeId}`);
    return n;
  }
}

function linkKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** Names of the wire messages the simulation sends. */
export const WIRE_NAMES: Readonly<Record<number, string>> = {
  16: 'init',
  128: 'update_add_htlc',
  130: 'update_fulfill_htlc',
  131: 'update_fail_htlc',
  132: 'commitment_signed',
  133: 'revoke_and_ack',
  513: 'onion_message',
  37913: 'lsps_message',
};

/** The BOLT 1 type of a wire message (its first two bytes). */
export function wireType(bytes: Uint8Array): number {
  return bytes.length >= 2 ? (bytes[0]! << 8) | bytes[1]! : -1;
}

function toHexString(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}
