/**
 * `asyncpay compare` as data: every registered scheme run over every scenario of `COMPARE_MATRIX`,
 * flattened into one row per (scheme, scenario). The terminal table, the JSON, the Markdown and the HTML
 * report are all renderings of one {@link Comparison}; the documentation site imports the JSON at build
 * time.
 *
 * The JSON (`asyncpay compare --json`, `compare.json`), version 1:
 *
 * ```jsonc
 * {
 *   "generatedBy": "asyncpay compare",     // the producer
 *   "version": 1,                           // bumped when a field changes meaning or disappears
 *   "seed": "asyncpay",                     // every run used it: the same seed replays the same rows
 *   "scenarios": [ { "id", "title", "recipientOfflineSeconds", "payerOffline", "lsp" } ],  // COMPARE_MATRIX
 *   "schemes": [ { "id", "title", "summary", "sources": [], "canSteal", "canCensor" } ],
 *   "columns": [ "scheme", "scenario", … ], // the row keys to show, in display order ("error" only when a run failed)
 *   "units": { "bytes": "bytes", … },       // the unit of each numeric column
 *   "rows": [ {                             // one per (scheme, scenario), schemes outer, scenarios inner
 *     "scheme": "htlc",  "scenario": "offline-6h",
 *     "settles": true,                      // outcome.settled
 *     "outcome": null,                      // outcome.code when it did not settle ('error' when the run threw)
 *     "settleSeconds": 21601.2,             // virtual seconds until settled or given up, to the ms
 *     "proofKind": "none",                  // the transcript's proof.kind: 'none', 'preimage', 'receipt', …
 *     "proofBytes": 0,
 *     "proofBinds": "nothing",              // 'payer, amount, text', a subset of those, or 'nothing'
 *     "proofVerifies": null,                // the scheme's verifyProof verdict; null: no proof or no verifier
 *     "verifyMicros": null,                 // median µs per verifyProof call, measured; null as above
 *     "messages": 14, "bytes": 9123, "roundTrips": 5,
 *     "liquiditySatBlocks": "1234.5",       // Σ over hops of costs.liquidityMsatBlocks / 1000, decimal string
 *     "onchainVbytes": null,                // costs.onchainVbytes; null when the run measured none
 *     "canSteal": "…", "canCensor": "…",    // the scheme's, repeated so each row stands alone
 *     "error": null                         // the message when the run threw (then the figures are null)
 *   } ]
 * }
 * ```
 */
import type { Transcript } from '@asyncpay/ln/node/transcript';
import type { ScenarioSpec, Scheme } from '@asyncpay/ln/scheme';
import { msatToSat, sumMsat } from './render/format.js';
import { bindsText } from './render/timeline.js';

/** One (scheme, scenario) of the comparison. Figures are null when the run threw (see `error`). */
export interface CompareRow {
  scheme: string;
  scenario: string;
  settles: boolean;
  outcome: string | null;
  settleSeconds: number | null;
  proofKind: Transcript['proof']['kind'] | null;
  proofBytes: number | null;
  proofBinds: string | null;
  proofVerifies: boolean | null;
  verifyMicros: number | null;
  messages: number | null;
  bytes: number | null;
  roundTrips: number | null;
  liquiditySatBlocks: string | null;
  onchainVbytes: number | null;
  canSteal: string;
  canCensor: string;
  error: string | null;
}

/** A scheme as the comparison describes it (everything but `run`). */
export interface CompareScheme {
  id: string;
  title: string;
  summary: string;
  sources: string[];
  canSteal: string;
  canCensor: string;
}

/** The whole comparison; its JSON shape is documented at the top of this module. */
export interface Comparison {
  generatedBy: 'asyncpay compare';
  version: 1;
  seed: string;
  scenarios: ScenarioSpec[];
  schemes: CompareScheme[];
  /** The row keys to show, in display order: {@link COLUMNS}, without `error` when no run failed. */
  columns: (keyof CompareRow)[];
  units: Partial<Record<keyof CompareRow, string>>;
  rows: CompareRow[];
}

/** The row keys in display order (the JSON's `columns`). */
// prettier-ignore
export const COLUMNS: (keyof CompareRow)[] = [
  'scheme',
  'scenario',
  'settles',
  'outcome',
  'settleSeconds',
  'proofKind',
  'proofBytes',
  'proofBinds',
  'proofVerifies',
  'verifyMicros',
  'messages',
  'bytes',
  'roundTrips',
  'liquiditySatBlocks',
  'onchainVbytes',
  'canSteal',
  'canCensor',
  'error',
];

/** The unit of each numeric column (the JSON's `units`). */
export const UNITS: Partial<Record<keyof CompareRow, string>> = {
  settleSeconds: 'virtual seconds',
  proofBytes: 'bytes',
  verifyMicros: 'µs per verification (median, wall clock)',
  bytes: 'bytes',
  liquiditySatBlocks: 'sat × blocks, summed over hops',
  onchainVbytes: 'vbytes',
};

/**
 * Median wall-clock µs of one `verify()` call: three warm-up calls (the first one's verdict is returned),
 * then at least 5 and at most 200 timed calls, stopping after about 200 ms. The median keeps a garbage
 * collection pause in one call from moving the figure.
 */
export function timeVerification(verify: () => boolean): { verifies: boolean; micros: number } {
  const verifies = verify();
  verify();
  verify();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 5 || (samples.length < 200 && performance.now() - start < 200)) {
    const t0 = performance.now();
    verify();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  const median = samples.length % 2 ? samples[mid]! : (samples[mid - 1]! + samples[mid]!) / 2;
  return { verifies, micros: Number((median * 1000).toFixed(1)) };
}

/** A comparison row from a transcript and the scheme that produced it. */
export function rowOf(scheme: Scheme, t: Transcript): CompareRow {
  let verified: { verifies: boolean; micros: number } | undefined;
  if (t.proof.kind !== 'none' && t.proof.hex && scheme.verifyProof) {
    const verify = scheme.verifyProof.bind(scheme);
    verified = timeVerification(() => verify(t));
  }
  return {
    scheme: scheme.id,
    scenario: t.scenario,
    settles: t.outcome.settled,
    outcome: t.outcome.settled ? null : (t.outcome.code ?? 'not settled'),
    settleSeconds: Number(t.outcome.seconds.toFixed(3)),
    proofKind: t.proof.kind,
    proofBytes: t.proof.size,
    proofBinds: bindsText(t.proof.binds),
    proofVerifies: verified?.verifies ?? null,
    verifyMicros: verified?.micros ?? null,
    messages: t.costs.messages,
    bytes: t.costs.bytes,
    roundTrips: t.costs.roundTrips,
    liquiditySatBlocks: msatToSat(sumMsat(t.costs.liquidityMsatBlocks)),
    onchainVbytes: t.costs.onchainVbytes ?? null,
    canSteal: scheme.canSteal,
    canCensor: scheme.canCensor,
    error: null,
  };
}

function errorRow(scheme: Scheme, scenario: ScenarioSpec, e: unknown): CompareRow {
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  return {
    scheme: scheme.id,
    scenario: scenario.id,
    settles: false,
    outcome: 'error',
    settleSeconds: null,
    proofKind: null,
    proofBytes: null,
    proofBinds: null,
    proofVerifies: null,
    verifyMicros: null,
    messages: null,
    bytes: null,
    roundTrips: null,
    liquiditySatBlocks: null,
    onchainVbytes: null,
    canSteal: scheme.canSteal,
    canCensor: scheme.canCensor,
    error: typeof code === 'string' ? `${code}: ${message}` : message,
  };
}

/** Called before each run, with how many are done out of how many. */
export type OnProgress = (done: number, total: number, scheme: string, scenario: string) => void;

/**
 * Runs every scheme over every scenario, one at a time (each run owns its nodes and store). A run that
 * throws becomes a row with `error` set rather than stopping the others.
 */
export async function runComparison(
  schemes: readonly Scheme[],
  scenarios: readonly ScenarioSpec[],
  seed: string,
  onProgress: OnProgress = () => {},
  opts: { regtest?: boolean } = {},
): Promise<Comparison> {
  const rows: CompareRow[] = [];
  const total = schemes.length * scenarios.length;
  // The on-chain fallback is a property of a scheme, not of a scenario: with `regtest`, measure it once
  // per scheme that can run on regtest (the vbytes bitcoind accepted) and report it on all its rows.
  const fallback = new Map<string, number>();
  if (opts.regtest) {
    const never = scenarios.find((s) => s.recipientOfflineSeconds === null) ?? scenarios[0]!;
    for (const scheme of schemes.filter((s) => s.supportsRegtest)) {
      onProgress(0, total, scheme.id, 'on-chain fallback on regtest');
      const vbytes = (await scheme.run(never, { seed, regtest: true })).costs.onchainVbytes;
      if (vbytes !== undefined) fallback.set(scheme.id, vbytes);
    }
  }
  for (const scheme of schemes) {
    for (const scenario of scenarios) {
      onProgress(rows.length, total, scheme.id, scenario.id);
      try {
        const row = rowOf(scheme, await scheme.run(scenario, { seed }));
        rows.push({ ...row, onchainVbytes: row.onchainVbytes ?? fallback.get(scheme.id) ?? null });
      } catch (e) {
        rows.push(errorRow(scheme, scenario, e));
      }
    }
  }
  onProgress(rows.length, total, '', '');
  return {
    generatedBy: 'asyncpay compare',
    version: 1,
    seed,
    scenarios: scenarios.map((s) => ({ ...s })),
    schemes: schemes.map(({ id, title, summary, sources, canSteal, canCensor }) => ({
      id,
      title,
      summary,
      sources: [...sources],
      canSteal,
      canCensor,
    })),
    columns: rows.some((r) => r.error !== null) ? COLUMNS : COLUMNS.filter((k) => k !== 'error'),
    units: UNITS,
    rows,
  };
}
