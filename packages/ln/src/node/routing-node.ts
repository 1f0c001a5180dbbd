/**
 * A node that relays payments: an HTLC locked in on one channel is offered on the next (per
 * {@link planHtlc}); a fulfill or failure coming back is passed to the incoming HTLC. The map from
 * outgoing to incoming HTLC is persisted, so a restarted node still settles what it relayed.
 *
 * Subclasses may intercept a relay ({@link RoutingNode.interceptRelay}) — the payer's LSP holds HTLCs.
 */
import { obfuscateFailurePacket } from '@asyncpay/codec/onion/failure';
import type { UpdateAddHtlc } from '@asyncpay/codec/wire/update-add-htlc';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { Htlc } from '../channel/ledger.js';
import type { PeerChannel } from '../channel/peer.js';
import { LnError } from '../errors.js';
import type { Table } from '../store/sqlite.js';
import {
  DEFAULT_RELAY_POLICY,
  failureReason,
  htlcKey,
  planHtlc,
  type RejectPlan,
  type RelayPlan,
  type RelayPolicy,
} from './forwarding.js';
import { LnNode, type NodeOptions } from './node.js';

/** The persisted link between an outgoing HTLC and the incoming one it pays for. */
interface ForwardLink {
  incomingPeer: string;
  incomingId: bigint;
  /** The incoming onion's shared secret (hex), to wrap failures going back. */
  sharedSecret: string;
}

/** A relay as stored (for a held HTLC): everything needed to perform it later. */
export interface StoredRelay {
  nextPeer: string;
  /** The payment hash (hex), the same on both channels. */
  paymentHash: string;
  amountMsat: bigint;
  cltvExpiry: number;
  onion: string;
  pathKey?: string;
  sharedSecret: string;
}

/** A node that relays payments (see the module comment); LSP roles extend it. */
export abstract class RoutingNode extends LnNode {
  protected readonly policy: RelayPolicy;
  private readonly links: Table<ForwardLink>;

  constructor(opts: NodeOptions & { policy?: RelayPolicy }) {
    super(opts);
    this.policy = opts.policy ?? DEFAULT_RELAY_POLICY;
    this.links = this.store.namespace<ForwardLink>('forward_links');
  }

  override onHtlcLockedIn(c: PeerChannel, htlc: Htlc, add: UpdateAddHtlc): void {
    const plan = planHtlc(this, add, this.policy, (t) => this.acceptsFinalType(t));
    if (plan.kind === 'reject') {
      this.reject(c, htlc, plan);
      return;
    }
    if (plan.kind === 'final') {
      this.onFinalHtlc(c, htlc, add, plan.peeled);
      return;
    }
    const stored = toStored(plan, add.paymentHash);
    if (this.interceptRelay(c, htlc, add, stored)) return;
    this.relay(c.peer, htlc.id, stored);
  }

  /**
   * Offer the relayed HTLC on the next channel and remember where it came from — both in one store
   * transaction, so a restarted node never has an outgoing HTLC it cannot settle upstream. If the next
   * channel refuses the offer (no balance, too many HTLCs, amount too small), the incoming HTLC is
   * failed back at once: a relay that cannot happen must not leave the payer's money locked.
   */
  protected relay(incomingPeer: string, incomingId: bigint, r: StoredRelay): void {
    try {
      this.store.transaction(() => {
        const out = this.channelWith(r.nextPeer).offerHtlc({
          amountMsat: r.amountMsat,
          paymentHash: hexToBytes(r.paymentHash),
          cltvExpiry: r.cltvExpiry,
          onion: hexToBytes(r.onion),
          ...(r.pathKey ? { pathKey: hexToBytes(r.pathKey) } : {}),
        });
        this.links.put(htlcKey(r.nextPeer, out.id), {
          incomingPeer,
          incomingId,
          sharedSecret: r.sharedSecret,
        });
      });
    } catch (e) {
      if (!(e instanceof LnError)) throw e;
      this.channelWith(incomingPeer).failHtlc(
        incomingId,
        failureReason(hexToBytes(r.sharedSecret), {
          code: 'temporary_channel_failure',
          fields: { channel_update: new Uint8Array(0) },
        }),
      );
      this.note('relay refused, failed back', { code: e.code });
      return;
    }
    this.note('forwarded', { amountMsat: r.amountMsat.toString(), cltvExpiry: r.cltvExpiry });
  }

  override onHtlcFulfilled(c: PeerChannel, htlc: Htlc, preimage: Uint8Array): void {
    const link = this.links.get(htlcKey(c.peer, htlc.id));
    if (!link) return;
    this.store.transaction(() => {
      this.channelWith(link.incomingPeer).fulfillHtlc(link.incomingId, preimage);
      this.links.delete(htlcKey(c.peer, htlc.id));
    });
    this.note('fulfilled upstream', { preimage: bytesToHex(preimage).slice(0, 16) });
  }

  override onHtlcFailed(c: PeerChannel, htlc: Htlc, reason: Uint8Array): void {
    const link = this.links.get(htlcKey(c.peer, htlc.id));
    if (!link) return;
    // BOLT 4: an intermediate hop "obfuscates the returned error" with its own shared secret.
    const wrapped =
      reason.length > 0 ? obfuscateFailurePacket(hexToBytes(link.sharedSecret), reason) : reason;
    this.store.transaction(() => {
      this.channelWith(link.incomingPeer).failHtlc(link.incomingId, wrapped);
      this.links.delete(htlcKey(c.peer, htlc.id));
    });
    this.note('failed upstream');
  }

  /** Fail an incoming HTLC with a failure created here. */
  protected reject(c: PeerChannel, htlc: Htlc, plan: RejectPlan): void {
    c.failHtlc(htlc.id, failureReason(plan.sharedSecret, plan.failure));
    this.note('rejected htlc', { failure: plan.failure.code, why: plan.why });
  }

  /** Return true to take over a relay (e.g. hold it); the default relays at once. */
  protected interceptRelay(_c: PeerChannel, _htlc: Htlc, _add: UpdateAddHtlc, _relay: StoredRelay): boolean {
    return false;
  }

  /** An HTLC that ends at this node; a routing node has no payments of its own by default. */
  protected onFinalHtlc(
    c: PeerChannel,
    htlc: Htlc,
    _add: UpdateAddHtlc,
    peeled: { sharedSecret: Uint8Array },
  ): void {
    this.reject(c, htlc, {
      kind: 'reject',
      failure: {
        code: 'incorrect_or_unknown_payment_details',
        fields: { htlc_msat: htlc.amountMsat, height: this.height() },
      },
      why: 'no payment expected here',
      sharedSecret: peeled.sharedSecret,
    });
  }

  /** Even final-hop record types this node understands. */
  protected acceptsFinalType(_type: bigint): boolean {
    return false;
  }
}

function toStored(p: RelayPlan, paymentHash: Uint8Array): StoredRelay {
  return {
    nextPeer: p.nextPeer,
    paymentHash: bytesToHex(paymentHash),
    amountMsat: p.amountMsat,
    cltvExpiry: p.cltvExpiry,
    onion: bytesToHex(p.onion),
    ...(p.pathKey ? { pathKey: bytesToHex(p.pathKey) } : {}),
    sharedSecret: bytesToHex(p.peeled.sharedSecret),
  };
}
