/**
 * What an async-payment scheme offers the CLI, the comparison and the docs: a description (what the
 * payer ends with, who can steal or censor) and `run(scenario) → transcript`. A new scheme is one more
 * object of this shape; nothing else has to change.
 */
import type { Transcript } from './node/transcript.js';

/** How the LSPs behave in a scenario. */
export type LspBehaviour = 'honest' | 'censoring' | 'thieving';

/** One situation to run a scheme in. The comparison runs every scheme over the same list. */
export interface ScenarioSpec {
  id: string;
  title: string;
  /** How long the recipient's phone is unreachable after the payment is sent; `null`: never back. */
  recipientOfflineSeconds: number | null;
  /** The payer goes offline right after sending and only returns at the end. */
  payerOffline: boolean;
  lsp: LspBehaviour;
}

/** The scenario matrix of `asyncpay compare`. */
export const COMPARE_MATRIX: readonly ScenarioSpec[] = [
  {
    id: 'offline-10m',
    title: 'Recipient offline 10 minutes',
    recipientOfflineSeconds: 600,
    payerOffline: false,
    lsp: 'honest',
  },
  {
    id: 'offline-6h',
    title: 'Recipient offline 6 hours',
    recipientOfflineSeconds: 6 * 3600,
    payerOffline: false,
    lsp: 'honest',
  },
  {
    id: 'offline-3d',
    title: 'Recipient offline 3 days',
    recipientOfflineSeconds: 3 * 86_400,
    payerOffline: false,
    lsp: 'honest',
  },
  {
    id: 'payer-offline',
    title: 'Payer offline after sending (recipient back in 6 hours)',
    recipientOfflineSeconds: 6 * 3600,
    payerOffline: true,
    lsp: 'honest',
  },
  {
    id: 'never-back',
    title: 'Recipient never comes back',
    recipientOfflineSeconds: null,
    payerOffline: false,
    lsp: 'honest',
  },
  {
    id: 'censoring-lsp',
    title: "Recipient's LSP never wakes the recipient",
    recipientOfflineSeconds: 600,
    payerOffline: false,
    lsp: 'censoring',
  },
  {
    id: 'thieving-lsp',
    title: "Recipient's LSP tries to redirect the payment",
    recipientOfflineSeconds: 600,
    payerOffline: false,
    lsp: 'thieving',
  },
];

/** Options of {@link Scheme.run}: seed, storage, wire profile and where the nodes run. */
export interface RunOptions {
  /** Seeds keys, nonces and fault injection: the same seed replays the same transcript. */
  seed?: string;
  /** Folder for the nodes' SQLite files (a temporary folder by default, removed after the run). */
  storeDir?: string;
  /** Wire numbers: LDK's (default) or the spec PR's. */
  profile?: 'ldk' | 'spec';
  /**
   * Run the on-chain steps (closes, claims, timeouts) against a real regtest bitcoind instead of the
   * height-only clock. Only for schemes whose {@link Scheme.supportsRegtest} is true.
   */
  regtest?: boolean;
}

/** A scheme, as the CLI and the comparison see it. */
export interface Scheme {
  id: string;
  title: string;
  /** One paragraph: how it works. */
  summary: string;
  /** Where it comes from (spec PRs, mailing-list posts, implementations). */
  sources: string[];
  /** Who can take money that isn't theirs, and under what condition. */
  canSteal: string;
  /** Who can stop a payment from completing. */
  canCensor: string;
  /** Run one scenario on the embedded default (in-process nodes, virtual time). */
  run(scenario: ScenarioSpec, opts?: RunOptions): Promise<Transcript>;
  /**
   * Checks the proof a transcript ends with, as a third party would (a judge given the payer's proof):
   * true when it verifies. `asyncpay compare` times it to report the cost of verification. Absent for
   * schemes whose payer ends with no proof.
   */
  verifyProof?(transcript: Transcript): boolean;
  /** Whether `run` honours {@link RunOptions.regtest}. Absent: it does not. */
  supportsRegtest?: boolean;
}
