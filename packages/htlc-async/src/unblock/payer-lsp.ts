/**
 * The payer's LSP in the `payment_unblock` variant (LSP_a). Its client asks it, with a
 * `payment_unblock_hold` onion message over a path this LSP handed it, to **block** the HTLCs with
 * the listed payment hashes until someone shows `pid` with `SHA256(pid) = unblock_hash`. The recipient
 * does so with `payment_unblock_release`, `pid` riding in this LSP's `encrypted_data_tlv` as
 * `payment_unblock`. Holds and blocked HTLCs live in its SQLite store, written in transactions, so a
 * crash and restart loses nothing.
 *
 * Rules it enforces (`packages/codec/src/async/UNBLOCK.md`, "Requirements"):
 * - a hold request is ignored "unless it arrived from a peer with a channel to it (the payer) over a
 *   path it made" (`FORGED_CONTEXT`, `NOT_A_CLIENT`); one `unblock_hash` opens one hold, so a request
 *   reusing it from another client or for other hashes is refused (`UNBLOCK_HASH_IN_USE`);
 * - a stored hold is confirmed with `payment_unblock_hold_ack` over the request's `reply_path`
 *   (`hold-ack.ts`): the payer sends its HTLC only after that. A hold it could not confirm (no
 *   `reply_path`) does not let a listed HTLC through: such an HTLC is failed back at once;
 * - it "MUST NOT forward an HTLC from that peer whose `payment_hash` is listed until it receives a valid
 *   release" — and only HTLCs from that peer: the hold cannot be used to block someone else's payment;
 * - a release "MUST fail (`BAD_PREIMAGE`) unless `payment_unblock` is present and SHA256 of it equals
 *   the `unblock_hash` of a standing hold" (`NO_PID`; `NOT_HELD` when the hold was already used: a
 *   replay);
 * - the main flow's fail-back rule: a blocked HTLC is failed back once `height ≥ outgoing_cltv − 39`;
 * - leaving the hold is one transaction: the blocked entry is deleted, the HTLC released and forwarded
 *   (or failed back) together, so a crash never leaves an HTLC neither blocked, forwarded nor failed
 *   back; a forward the next channel refuses (e.g. `INSUFFICIENT_BALANCE`) fails the HTLC back.
 *
 * @example
 * ```ts
 * const lsp = new UnblockPayerLsp(opts);
 * payer.useHoldPath(lsp.holdRequestPath(payer.id)); // out of band, e.g. at channel open
 * ```
 */
import {
  checkUnblock,
  decodePaymentUnblockHold,
  PAYMENT_UNBLOCK_TYPES,
  paymentUnblockEncryptedDataTlvs,
} from '@asyncpay/codec/async/payment-unblock';
import type { BlindedPath } from '@asyncpay/codec/blinded-path';
import type { encryptedDataTable } from '@asyncpay/codec/onion/encrypted-data';
import {
  type DeliveredOnionMessage,
  ONION_MESSAGE_TYPE,
  receiveOnionMessage,
} from '@asyncpay/codec/onion/onion-message';
import { type DecodedTlvs, decodeTlvRecords, type TlvRecord } from '@asyncpay/codec/tlv';
import type { UpdateAddHtlc } from '@asyncpay/codec/wire/update-add-htlc';
import { type Htlc, holdDeadline } from '@asyncpay/ln/channel/ledger';
import type { PeerChannel } from '@asyncpay/ln/channel/peer';
import { failureReason, htlcKey } from '@asyncpay/ln/node/forwarding';
import type { NodeOptions } from '@asyncpay/ln/node/node';
import { wireType } from '@asyncpay/ln/node/router';
import { RoutingNode, type StoredRelay } from '@asyncpay/ln/node/routing-node';
import type { Table } from '@asyncpay/ln/store/sqlite';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { FAIL_BACK_BUFFER_BLOCKS } from '../payer-lsp.js';
import { UNBLOCK_CTX } from './contexts.js';
import { UnblockError } from './errors.js';
import { encodePaymentUnblockHoldAck } from './hold-ack.js';

/** A hold request nobody used is forgotten after this many blocks (two weeks). */
export const HOLD_REQUEST_LIFETIME_BLOCKS = 2016;

/** Stands in for the `unblock_hash` of a hold that does not exist: no `pid` hashes to it. */
const NO_HOLD = new Uint8Array(32);

/** A client's hold request as stored, keyed by `unblock_hash` (hex). */
export interface UnblockHold {
  /** The client (channel peer) that asked. */
  client: string;
  paymentHashes: string[];
  unblockHash: string;
  status: 'standing' | 'released' | 'expired';
  /**
   * True once `payment_unblock_hold_ack` went back over the request's `reply_path`. An unconfirmed
   * hold blocks nothing and relays nothing: a listed HTLC is failed back.
   */
  confirmed: boolean;
  /** Height after which an unused request is forgotten. */
  expiresAt: number;
  requestedAt: number;
  releasedAt?: number;
}

/** An HTLC blocked under a hold, keyed by `htlcKey(incoming peer, id)`. */
export interface BlockedHtlc {
  unblockHash: string;
  incomingPeer: string;
  incomingId: bigint;
  relay: StoredRelay;
  /** Height at which it is failed back if no valid release came. */
  deadline: number;
  heldAt: number;
}

/** The payer's LSP of the `payment_unblock` variant: blocks listed HTLCs until `pid` is shown. */
export class UnblockPayerLsp extends RoutingNode {
  private readonly holds: Table<UnblockHold>;
  /** `client/payment hash` → `unblock_hash`. */
  private readonly byHash: Table<string>;
  private readonly blocked: Table<BlockedHtlc>;
  private readonly stopBlocks: () => void;

  constructor(opts: NodeOptions) {
    super(opts);
    this.holds = this.store.namespace<UnblockHold>('unblock_holds');
    this.byHash = this.store.namespace<string>('unblock_hold_hashes');
    this.blocked = this.store.namespace<BlockedHtlc>('unblock_blocked_htlcs');
    this.stopBlocks = this.clock.onBlock((h) => this.onBlock(h));
  }

  /** The path `client` sends `payment_unblock_hold` over (handed to it out of band, e.g. at channel open). */
  holdRequestPath(client: string): BlindedPath {
    return this.blindedPathToSelf([], this.sealContext(UNBLOCK_CTX.holdRequest, hexToBytes(client)));
  }

  /** HTLCs currently blocked. */
  blockedHtlcs(): BlockedHtlc[] {
    return this.blocked.entries().map(([, b]) => b);
  }

  /** Hold requests, whatever their status. */
  holdRequests(): UnblockHold[] {
    return this.holds.entries().map(([, h]) => h);
  }

  /** The process dies: it stops reacting (its state is whatever its store committed). */
  kill(): void {
    this.stopBlocks();
    this.router.crash(this.id);
  }

  /**
   * The base node hands a delivered onion message its `path_id` only; a release's `pid` sits in the
   * final hop's `encrypted_data_tlv` as the odd record `payment_unblock`, so this LSP peels onion
   * messages itself to read it. Forwards (and anything that fails to peel) go to the base node as usual.
   */
  override receive(from: string, bytes: Uint8Array): void {
    if (wireType(bytes) === ONION_MESSAGE_TYPE) {
      let step: ReturnType<typeof receiveOnionMessage> | undefined;
      try {
        step = receiveOnionMessage(this.privkey, bytes);
      } catch {
        step = undefined; // the base node peels again and records the typed refusal
      }
      if (step && 'deliver' in step) {
        try {
          this.onDelivered(step.deliver, step.encryptedData, from);
        } catch (e) {
          this.refused(`message type ${ONION_MESSAGE_TYPE} from ${from.slice(0, 8)}`, e);
        }
        return;
      }
    }
    super.receive(from, bytes);
  }

  private onDelivered(
    msg: DeliveredOnionMessage,
    data: DecodedTlvs<typeof encryptedDataTable>,
    from: string,
  ): void {
    for (const rec of msg.content) {
      if (rec.type === PAYMENT_UNBLOCK_TYPES.payment_unblock_hold) this.onHold(msg, rec, from);
      else if (rec.type === PAYMENT_UNBLOCK_TYPES.payment_unblock_release) this.onRelease(data.unknown);
    }
    this.onOnionMessage(msg, from);
  }

  /** Step 2: store the client's hold request (hashes and `SHA256(pid)`), in one transaction. */
  private onHold(msg: DeliveredOnionMessage, rec: TlvRecord, from: string): void {
    const client = this.openContext(UNBLOCK_CTX.holdRequest, msg.pathId);
    if (!client)
      throw new UnblockError('FORGED_CONTEXT', 'payment_unblock_hold over a path we did not make', 'path_id');
    // The path goes straight to us, so the peer it came from is the client the path was made for.
    if (bytesToHex(client) !== from || !this.channels.has(from))
      throw new UnblockError('NOT_A_CLIENT', 'payment_unblock_hold from another node', 'path_id');
    const hold = decodePaymentUnblockHold(rec);
    const unblockHash = bytesToHex(hold.unblockHash);
    const hashes = hold.paymentHashes.map((h) => bytesToHex(h));
    for (const h of hashes) {
      const other = this.byHash.get(`${from}/${h}`);
      if (other && other !== unblockHash && this.holds.get(other)?.status === 'standing')
        throw new UnblockError('HOLD_CONFLICT', 'that payment hash is already held', 'payment_hashes');
    }
    const existing = this.holds.get(unblockHash);
    if (existing) {
      // Holds are keyed by unblock_hash: another client's (or other hashes) under it would not be blocked.
      if (existing.client !== from || existing.paymentHashes.join() !== hashes.join())
        throw new UnblockError(
          'UNBLOCK_HASH_IN_USE',
          'another hold already has that unblock_hash',
          'unblock_hash',
        );
      if (existing.status !== 'standing')
        throw new UnblockError('NOT_HELD', 'that unblock_hash was already used', 'unblock_hash');
      // The same request again (its acknowledgement may have been lost): confirm it again.
      if (msg.replyPath && !existing.confirmed)
        this.store.transaction(() => this.holds.put(unblockHash, { ...existing, confirmed: true }));
      this.acknowledge(msg, hold.unblockHash);
      return;
    }
    const entry: UnblockHold = {
      client: from,
      paymentHashes: hashes,
      unblockHash,
      status: 'standing',
      confirmed: msg.replyPath !== undefined,
      expiresAt: this.height() + HOLD_REQUEST_LIFETIME_BLOCKS,
      requestedAt: this.height(),
    };
    this.store.transaction(() => {
      this.holds.put(unblockHash, entry);
      for (const h of hashes) this.byHash.put(`${from}/${h}`, unblockHash);
    });
    this.note('hold requested', { hashes: hashes.length, confirmed: entry.confirmed });
    this.acknowledge(msg, hold.unblockHash);
  }

  /** Tell the client its hold stands (`hold-ack.ts`), over the request's reply path. */
  private acknowledge(msg: DeliveredOnionMessage, unblockHash: Uint8Array): void {
    if (!msg.replyPath) return;
    this.sendOnionMessage(
      { path: msg.replyPath, content: [encodePaymentUnblockHoldAck({ unblockHash })] },
      'payment_unblock_hold_ack',
    );
  }

  /** Step 3: an HTLC from the client with a listed hash is blocked, not forwarded. */
  protected override interceptRelay(
    c: PeerChannel,
    htlc: Htlc,
    _add: UpdateAddHtlc,
    relay: StoredRelay,
  ): boolean {
    const unblockHash = this.byHash.get(`${c.peer}/${bytesToHex(htlc.paymentHash)}`);
    const hold = unblockHash ? this.holds.get(unblockHash) : undefined;
    // A hold released before its HTLC arrived (the release raced the commitment) lets it through.
    if (hold?.status !== 'standing') return false;
    if (!hold.confirmed) {
      // The client was never told its hold stands, so it should not have sent this HTLC: refuse to
      // relay it rather than let it through unblocked.
      c.failHtlc(htlc.id, failureReason(hexToBytes(relay.sharedSecret), { code: 'temporary_node_failure' }));
      this.note('refused htlc: hold not confirmed', { amountMsat: htlc.amountMsat.toString() });
      return true;
    }
    const entry: BlockedHtlc = {
      unblockHash: hold.unblockHash,
      incomingPeer: c.peer,
      incomingId: htlc.id,
      relay,
      deadline: holdDeadline(relay.cltvExpiry, FAIL_BACK_BUFFER_BLOCKS),
      heldAt: this.height(),
    };
    this.store.transaction(() => this.blocked.put(htlcKey(c.peer, htlc.id), entry));
    c.ledger.hold('received', htlc.id);
    c.persist();
    this.note('holding htlc', { amountMsat: htlc.amountMsat.toString(), deadline: entry.deadline });
    return true;
  }

  /** Step 7: `SHA256(pid)` must open a standing hold; then its HTLCs are forwarded. */
  private onRelease(dataRecords: TlvRecord[]): void {
    const mine = dataRecords.filter((r) => r.type === PAYMENT_UNBLOCK_TYPES.payment_unblock);
    const pid = decodeTlvRecords(mine, paymentUnblockEncryptedDataTlvs).values.payment_unblock;
    if (!pid) throw new UnblockError('NO_PID', 'no payment_unblock in encrypted_data_tlv', 'payment_unblock');
    const hold = this.holds.get(bytesToHex(sha256(pid)));
    // UNBLOCK.md: "MUST fail the release (BAD_PREIMAGE) unless … SHA256 of it equals the unblock_hash
    // of a standing hold". With no hold to compare with, the check fails the same way.
    checkUnblock(pid, hold ? hexToBytes(hold.unblockHash) : NO_HOLD);
    if (hold?.status !== 'standing')
      throw new UnblockError('NOT_HELD', `the hold is ${hold?.status} (replayed)`, 'payment_unblock');
    const mineBlocked = this.blocked.entries().filter(([, b]) => b.unblockHash === hold.unblockHash);
    this.note('reply: payment_unblock_release', {
      htlcs: mineBlocked.length,
      heldBlocks: mineBlocked.length > 0 ? this.height() - mineBlocked[0]![1].heldAt : 0,
    });
    // One transaction: the hold used, each entry deleted with its HTLC released and forwarded (or
    // failed back). A crash inside commits none of it, so the HTLCs are still blocked after a restart.
    this.store.transaction(() => {
      this.holds.put(hold.unblockHash, { ...hold, status: 'released', releasedAt: this.height() });
      for (const [key, b] of mineBlocked) {
        this.blocked.delete(key);
        const c = this.channelWith(b.incomingPeer);
        c.ledger.release('received', b.incomingId);
        c.persist();
        // RoutingNode.relay fails the incoming HTLC back if the next channel refuses the offer.
        this.relay(b.incomingPeer, b.incomingId, b.relay);
      }
    });
  }

  /**
   * UNBLOCK.md: "MUST fail the HTLC back as usual when holding longer would bring it within its CLTV
   * fail-back buffer" (`outgoing_cltv − 39`, as in the main flow); unused requests are forgotten.
   */
  private onBlock(height: number): void {
    for (const [key, b] of this.blocked.entries()) {
      if (height < b.deadline) continue;
      // One transaction: the entry goes with the failure it is replaced by.
      this.store.transaction(() => {
        this.blocked.delete(key);
        const c = this.channelWith(b.incomingPeer);
        c.ledger.release('received', b.incomingId);
        c.failHtlc(
          b.incomingId,
          failureReason(hexToBytes(b.relay.sharedSecret), { code: 'temporary_node_failure' }),
        );
        if (!this.blocked.entries().some(([, o]) => o.unblockHash === b.unblockHash))
          this.expire(b.unblockHash);
      });
      this.note('failed back held htlc', { height, deadline: b.deadline });
    }
    for (const [, h] of this.holds.entries()) {
      const inUse = () => this.blocked.entries().some(([, b]) => b.unblockHash === h.unblockHash);
      if (h.status === 'standing' && height >= h.expiresAt && !inUse()) this.expire(h.unblockHash);
    }
  }

  private expire(unblockHash: string): void {
    const h = this.holds.get(unblockHash);
    if (h?.status === 'standing')
      this.store.transaction(() => this.holds.put(unblockHash, { ...h, status: 'expired' }));
  }
}
