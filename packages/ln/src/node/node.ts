/**
 * A simulated Lightning node: an identity key, channels, a store, the shared clock and router. It
 * never touches another node's memory — everything arrives as bytes through {@link Endpoint.receive}
 * and is decoded and authenticated here. Scheme roles (payer, LSPs, recipient) extend it and override
 * the `on…` hooks.
 *
 * Anything a node must not lose across a crash (channels, role state) goes to its {@link Store} in a
 * transaction; {@link LnNode.restoreChannels} rebuilds channels from it after a restart.
 */
import type { BlindedPath } from '@asyncpay/codec/blinded-path';
import { equalBytes } from '@asyncpay/codec/bytes';
import { formatShortChannelId, type ShortChannelId } from '@asyncpay/codec/fundamental';
import { createBlindedPath, withDummyHops } from '@asyncpay/codec/onion/blinding';
import { encodeEncryptedData } from '@asyncpay/codec/onion/encrypted-data';
import {
  type BuildOnionMessageArgs,
  type BuiltOnionMessage,
  buildOnionMessage,
  type DeliveredOnionMessage,
  ONION_MESSAGE_TYPE,
  receiveOnionMessage,
} from '@asyncpay/codec/onion/onion-message';
import type { WireProfile } from '@asyncpay/codec/profile';
import { decodeLspsMessage, encodeLspsMessage, LSPS_MESSAGE_TYPE } from '@asyncpay/codec/wire/lsps0';
import type { ReleasePath } from '@asyncpay/codec/wire/revoke-and-ack';
import type { UpdateAddHtlc } from '@asyncpay/codec/wire/update-add-htlc';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';
import { ChannelLedger, type Htlc } from '../channel/ledger.js';
import { type ChannelHost, PeerChannel, type PeerChannelSnapshot } from '../channel/peer.js';
import { LnError } from '../errors.js';
import type { Store, Table } from '../store/sqlite.js';
import type { VirtualClock } from './clock.js';
import { type Endpoint, type Mailbox, type Router, wireType } from './router.js';
import type { Recorder, Role } from './transcript.js';

/** What a node is made of: its role name, key, the shared clock and router, its own store. */
export interface NodeOptions {
  role: Role;
  privkey: Uint8Array;
  clock: VirtualClock;
  router: Router;
  store: Store;
  recorder?: Recorder;
  profile?: WireProfile;
  /** Hold onion messages for offline peers (an LSP does). */
  mailbox?: Mailbox;
  /** Re-attach to the router as a restarted node (its channels come from the store). */
  restart?: boolean;
}

/**
 * The base of every simulated node (see the module comment). Roles extend it:
 *
 * ```ts
 * class Payee extends LnNode {
 *   override onHtlcLockedIn(c: PeerChannel, htlc: Htlc) { c.fulfillHtlc(htlc.id, preimage); }
 * }
 * ```
 */
export abstract class LnNode implements Endpoint, ChannelHost {
  readonly role: Role;
  readonly privkey: Uint8Array;
  readonly nodeId: Uint8Array;
  readonly id: string;
  readonly clock: VirtualClock;
  readonly router: Router;
  readonly store: Store;
  readonly recorder: Recorder | undefined;
  readonly profile: WireProfile;
  protected readonly channels = new Map<string, PeerChannel>();
  private readonly channelTable: Table<PeerChannelSnapshot>;
  private nonceCounter = 0;
  /** Incremented at every start, so fresh secrets never repeat across restarts. */
  private readonly epoch: number;

  constructor(opts: NodeOptions) {
    this.role = opts.role;
    this.privkey = opts.privkey;
    this.nodeId = secp256k1.getPublicKey(opts.privkey, true);
    this.id = bytesToHex(this.nodeId);
    this.clock = opts.clock;
    this.router = opts.router;
    this.store = opts.store;
    this.recorder = opts.recorder;
    this.profile = opts.profile ?? 'ldk';
    this.channelTable = this.store.namespace<PeerChannelSnapshot>('channels');
    const meta = this.store.namespace<number>('node');
    this.epoch = (meta.get('epoch') ?? -1) + 1;
    this.store.transaction(() => meta.put('epoch', this.epoch));
    this.restoreChannels();
    const mailbox = opts.mailbox ? { mailbox: opts.mailbox } : {};
    if (opts.restart) this.router.restart(this.id, this, mailbox);
    else this.router.attach(this.id, this, mailbox);
  }

  // ————— channels —————

  /** Open a channel between two nodes: both sides start from the same balances (`a` funds `aMsat`). */
  static openChannel(a: LnNode, b: LnNode, aMsat: bigint, bMsat: bigint): void {
    const channelId = bytesToHex(sha256(concatBytes(...[a.nodeId, b.nodeId].sort(compareBytes))));
    a.addChannel(new PeerChannel(a, b.id, ChannelLedger.open(channelId, aMsat, bMsat)));
    b.addChannel(new PeerChannel(b, a.id, ChannelLedger.open(channelId, bMsat, aMsat)));
    a.router.link(a.id, b.id);
  }

  private addChannel(c: PeerChannel): void {
    this.channels.set(c.peer, c);
    this.persistChannel(c);
  }

  /**
   * The peer of this node's one channel: for an end user (a phone), its LSP. Throws if the node has no
   * channel or more than one, where "the LSP" would not be defined.
   */
  protected get lsp(): string {
    const peers = [...this.channels.keys()];
    if (peers.length !== 1) throw new Error(`${this.role} has ${peers.length} channels, not one LSP`);
    return peers[0]!;
  }

  /** The channel with `peer`. */
  channelWith(peer: string): PeerChannel {
    const c = this.channels.get(peer);
    if (!c) throw new LnError('UNKNOWN_HTLC', `no channel with ${peer.slice(0, 16)}`, { field: 'peer' });
    return c;
  }

  /** The short channel id of the channel with `peer` (derived from the channel id in this simulation). */
  scidWith(peer: string): ShortChannelId {
    return scidOf(this.channelWith(peer).ledger.channelId);
  }

  /** The peer at the other end of the channel `scid`, if this node has it. */
  peerOfScid(scid: ShortChannelId): string | undefined {
    const want = formatShortChannelId(scid);
    for (const [peer, c] of this.channels)
      if (formatShortChannelId(scidOf(c.ledger.channelId)) === want) return peer;
    return undefined;
  }

  /** Total msat this node owns across its channels (pending HTLCs it offered not included). */
  balanceMsat(): bigint {
    let sum = 0n;
    for (const c of this.channels.values()) sum += c.ledger.localMsat;
    return sum;
  }

  /** Channels rebuilt from the store (after a restart). */
  private restoreChannels(): void {
    for (const [peer, snap] of this.channelTable.entries()) {
      this.channels.set(peer, PeerChannel.restore(this, snap));
    }
  }

  persistChannel(c: PeerChannel): void {
    this.store.transaction(() => this.channelTable.put(c.peer, c.snapshot()));
  }

  height(): number {
    return this.clock.height();
  }

  transmit(peer: string, bytes: Uint8Array): void {
    this.router.send(this.id, peer, bytes);
  }

  isOnline(peer: string): boolean {
    return this.router.isOnline(peer) && this.router.isOnline(this.id);
  }

  // The channel hooks; roles override the ones they use.
  releasePathsFor(_c: PeerChannel, _locked: Htlc[], _adds: UpdateAddHtlc[]): ReleasePath[] {
    return [];
  }
  onHtlcLockedIn(c: PeerChannel, htlc: Htlc, _add: UpdateAddHtlc): void {
    // A node that routes nothing fails what it cannot handle.
    c.failHtlc(htlc.id, new Uint8Array(0));
  }
  onHtlcFulfilled(_c: PeerChannel, _htlc: Htlc, _preimage: Uint8Array): void {}
  onHtlcFailed(_c: PeerChannel, _htlc: Htlc, _reason: Uint8Array): void {}
  onRevoked(_c: PeerChannel, _releasePaths: ReleasePath[], _offered: bigint[]): void {}

  // ————— the wire —————

  receive(from: string, bytes: Uint8Array): void {
    try {
      const type = wireType(bytes);
      if (type === ONION_MESSAGE_TYPE) this.handleOnionMessage(from, bytes);
      else if (type === LSPS_MESSAGE_TYPE) this.onLspsMessage(from, decodeLspsMessage(bytes));
      else this.channelWith(from).receive(bytes);
    } catch (e) {
      this.refused(`message type ${wireType(bytes)} from ${from.slice(0, 8)}`, e);
    }
  }

  peerConnected(peer: string): void {
    this.channels.get(peer)?.flush();
    this.onPeerConnected(peer);
  }

  protected onPeerConnected(_peer: string): void {}

  /** Record that an input was refused, with its typed error code; untyped errors are bugs and rethrown. */
  protected refused(what: string, e: unknown): void {
    const code = (e as { code?: unknown }).code;
    // Typed refusals (codec, channel, role errors) carry a string code; anything else is a bug.
    if (
      typeof code !== 'string' ||
      !(e instanceof Error) ||
      e instanceof TypeError ||
      e instanceof RangeError
    )
      throw e;
    this.note('refused', { what, code, field: String((e as { field?: unknown }).field ?? '') });
  }

  /** Record a state change at this node. */
  protected note(what: string, detail?: Record<string, string | number | boolean>): void {
    this.recorder?.record({ kind: 'state', node: this.role, what, ...(detail ? { detail } : {}) });
  }

  // ————— onion messages —————

  /**
   * Build and send an onion message; processes it here first when this node is the first hop.
   * `label` names the content in the transcript (only the sender knows it).
   */
  sendOnionMessage(args: BuildOnionMessageArgs, label?: string): BuiltOnionMessage {
    const built = buildOnionMessage({
      sessionKey: this.freshSecret('onion-session'),
      pathKeySecret: this.freshSecret('path-key'),
      ...args,
    });
    const first = bytesToHex(built.firstNodeId);
    if (first === this.id) this.handleOnionMessage(this.id, built.onionMessage, label);
    else this.router.send(this.id, first, built.onionMessage, label && `onion_message: ${label}`);
    return built;
  }

  private handleOnionMessage(from: string, bytes: Uint8Array, label?: string): void {
    const step = receiveOnionMessage(this.privkey, bytes);
    if ('forward' in step) {
      const next = step.forward.nextNodeId;
      if (!next)
        throw new LnError('INVALID_HTLC', 'forwarding by short channel id is not supported', {
          field: 'short_channel_id',
        });
      this.router.send(
        this.id,
        bytesToHex(next),
        step.forward.onionMessage,
        label && `onion_message: ${label}`,
      );
      return;
    }
    this.onOnionMessage(step.deliver, from);
  }

  /** An onion message for this node arrived. */
  protected onOnionMessage(_msg: DeliveredOnionMessage, _from: string): void {}

  /** An LSPS0 JSON-RPC message arrived. */
  protected onLspsMessage(_from: string, _json: unknown): void {}

  /** Send an LSPS0 JSON-RPC message to a peer. */
  sendLsps(peer: string, json: unknown): void {
    this.router.send(this.id, peer, encodeLspsMessage(json));
  }

  /**
   * A blinded path ending at this node: through `via` (node ids, introduction node first), then
   * `dummyHops` dummy hops, then this node with `path_id`.
   */
  blindedPathToSelf(via: readonly Uint8Array[], pathId: Uint8Array, dummyHops = 0): BlindedPath {
    const all = [...via, this.nodeId];
    const hops = all.map((nodeId, i) => ({
      nodeId,
      data: encodeEncryptedData(i === all.length - 1 ? { path_id: pathId } : { next_node_id: all[i + 1]! }),
    }));
    const withDummies = withDummyHops(hops, dummyHops, encodeEncryptedData({ next_node_id: this.nodeId }));
    return createBlindedPath({ sessionKey: this.freshSecret('blinded-path'), hops: withDummies }).path;
  }

  // ————— authenticated contexts —————

  /**
   * Seal `data` into a `path_id` only this node can open: `data ‖ HMAC-SHA256(k, label ‖ data)[0..16]`
   * with `k = SHA256(node key ‖ "asyncpay/context")`. A path to this node can be made by anyone (it
   * needs only the public key), but only this node can put a context in it that {@link openContext}
   * accepts.
   */
  sealContext(label: string, data: Uint8Array): Uint8Array {
    return concatBytes(data, this.contextMac(label, data));
  }

  /** The data of a context sealed by this node under `label`, or undefined if forged or absent. */
  openContext(label: string, pathId: Uint8Array | undefined): Uint8Array | undefined {
    if (!pathId || pathId.length < 16) return undefined;
    const data = pathId.subarray(0, pathId.length - 16);
    return equalBytes(this.contextMac(label, data), pathId.subarray(pathId.length - 16)) ? data : undefined;
  }

  private contextMac(label: string, data: Uint8Array): Uint8Array {
    const key = sha256(concatBytes(this.privkey, new TextEncoder().encode('asyncpay/context')));
    return hmac(sha256, key, concatBytes(new TextEncoder().encode(label), Uint8Array.of(0), data)).subarray(
      0,
      16,
    );
  }

  /** A fresh secret: deterministic per node and call, so a seeded run replays exactly. */
  freshSecret(label: string): Uint8Array {
    return sha256(
      concatBytes(
        this.privkey,
        new TextEncoder().encode(`asyncpay/fresh/${label}/${this.epoch}/${this.nonceCounter++}`),
      ),
    );
  }
}

/** A short channel id derived from a channel id: stable, and unique enough for a simulated network. */
export function scidOf(channelIdHex: string): ShortChannelId {
  const b = hexToBytes(channelIdHex);
  return {
    block: ((b[0]! << 16) | (b[1]! << 8) | b[2]!) & 0x7fffff,
    txIndex: (b[3]! << 8) | b[4]!,
    output: b[5]! & 0x3,
  };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return bytesToHex(a) < bytesToHex(b) ? -1 : 1;
}
