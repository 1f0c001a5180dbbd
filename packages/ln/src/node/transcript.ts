/**
 * The transcript of a run: what every scheme's `run(scenario)` returns and what `asyncpay demo` prints
 * and `asyncpay compare` tabulates. It is plain data (JSON-friendly: amounts in msat as strings), so a
 * new scheme plugs in by producing one, without reshaping the CLI, the comparison or the docs.
 */

/** Who a node is in a scheme. Schemes may add roles; these are the common ones. */
export type Role = 'payer' | 'payer-lsp' | 'recipient-lsp' | 'recipient' | (string & {});

/** What happened to one message: delivered, held in a mailbox, released from it, dropped, duplicated or refused. */
export type MessageFate = 'delivered' | 'held' | 'released' | 'dropped' | 'duplicated' | 'refused';

/** One entry of a transcript, stamped with virtual time `t` (unix seconds). */
export type TranscriptEvent =
  /** A message crossed the router (or was held for an offline peer). */
  | {
      t: number;
      kind: 'message';
      from: Role;
      to: Role;
      /** BOLT 1 message type (513 for onion messages). */
      type: number;
      /** Human name: the wire message, or for onion messages the content (`held_htlc_available`). */
      name: string;
      size: number;
      hex: string;
      fate: MessageFate;
    }
  | { t: number; kind: 'online'; node: Role; online: boolean }
  /** A state change at one node (hold, release, claim, fail-back, persist…). */
  | { t: number; kind: 'state'; node: Role; what: string; detail?: Record<string, string | number | boolean> }
  /** An HTTP request between parties (LSPS5 webhooks). */
  | { t: number; kind: 'http'; from: Role; to: Role; method: string; status: number; size: number }
  /** Something on chain, with bitcoind's verdict when run on regtest. */
  | {
      t: number;
      kind: 'chain';
      what: string;
      txid?: string;
      vbytes?: number;
      accepted?: boolean;
      reason?: string;
    };

/** What the payer ends with. */
export interface Proof {
  kind: 'none' | 'receipt' | 'signature-and-invoice' | 'preimage';
  /** Why this is (or isn't) a proof, in one sentence. */
  summary: string;
  hex?: string;
  size: number;
  binds: { payer: boolean; amount: boolean; text: boolean };
}

/** What a run cost: messages and bytes, round trips, liquidity locked per hop, on-chain fallback size. */
export interface Costs {
  messages: number;
  bytes: number;
  /** Sequential message exchanges on the critical path. */
  roundTrips: number;
  /** Liquidity locked while the payment was pending: msat × blocks, per hop (channel). */
  liquidityMsatBlocks: Record<string, string>;
  /** vbytes of the on-chain fallback, measured on regtest when run there. */
  onchainVbytes?: number;
}

/**
 * The record of one run of one scheme in one scenario: every event, balances before and after, the
 * outcome, the proof the payer holds and the costs. Amounts are msat as decimal strings.
 */
export interface Transcript {
  scheme: string;
  scenario: string;
  seed: string;
  /** Virtual unix time the run started. */
  start: number;
  events: TranscriptEvent[];
  balances: { before: Record<Role, string>; after: Record<Role, string> };
  outcome: { settled: boolean; code?: string; seconds: number };
  proof: Proof;
  costs: Costs;
}

/** An event before the recorder stamps its time. */
export type UntimedEvent = TranscriptEvent extends infer E
  ? E extends unknown
    ? Omit<E, 't'>
    : never
  : never;

/** Collects events during a run. */
export class Recorder {
  readonly events: TranscriptEvent[] = [];
  constructor(private readonly now: () => number) {}

  /** Record an event stamped with the current virtual time. */
  record(event: UntimedEvent): void {
    this.events.push({ t: this.now(), ...event } as TranscriptEvent);
  }
}
