/**
 * The comparison's cells as display text, shared by the terminal table, the Markdown and the HTML, so the
 * three show the same words: `—` where there is nothing to show (no proof to verify), `n/a` where a figure
 * was not measured (no on-chain fallback run), never a made-up number.
 */
import type { CompareRow } from '../comparison.js';
import { formatBytes, formatDuration, groupDigits } from './format.js';

/** A displayed column: its header, how it lines up, and its text for a row. */
export interface DisplayColumn {
  key: string;
  header: string;
  numeric: boolean;
  cell(row: CompareRow): string;
}

const num = (v: number | null): string => (v === null ? 'n/a' : groupDigits(v));

/** What `settles` shows: `yes`, or `no` with the outcome code. */
export function settlesText(row: CompareRow): string {
  return row.settles ? 'yes' : `no${row.outcome ? ` (${row.outcome})` : ''}`;
}

/** The proof's verification cost: `—` without a proof, `n/a` without a verifier, else the time (µs or ms). */
export function verifyText(row: CompareRow): string {
  if (row.proofKind === null || row.proofKind === 'none') return '—';
  if (row.verifyMicros === null) return 'n/a';
  const us = row.verifyMicros;
  const time = us < 1000 ? `${us} µs` : `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
  return `${time}${row.proofVerifies ? '' : ' (fails!)'}`;
}

/** The columns every rendering shows, in order (the trust columns last: they are long sentences). */
// prettier-ignore
export const DISPLAY_COLUMNS: DisplayColumn[] = [
  { key: 'scheme', header: 'scheme', numeric: false, cell: (r) => r.scheme },
  { key: 'scenario', header: 'scenario', numeric: false, cell: (r) => r.scenario },
  { key: 'settles', header: 'settles', numeric: false, cell: settlesText },
  {
    key: 'settleSeconds',
    header: 'time',
    numeric: true,
    cell: (r) => (r.settleSeconds === null ? 'n/a' : formatDuration(r.settleSeconds)),
  },
  {
    key: 'proofKind',
    header: 'proof',
    numeric: false,
    cell: (r) =>
      r.proofKind === null ? 'n/a' : r.proofKind === 'none' ? 'none' : `${r.proofKind} (${r.proofBytes} B)`,
  },
  { key: 'proofBinds', header: 'binds', numeric: false, cell: (r) => r.proofBinds ?? 'n/a' },
  { key: 'verifyMicros', header: 'verify', numeric: true, cell: verifyText },
  { key: 'messages', header: 'msgs', numeric: true, cell: (r) => num(r.messages) },
  {
    key: 'bytes',
    header: 'bytes',
    numeric: true,
    cell: (r) => (r.bytes === null ? 'n/a' : formatBytes(r.bytes)),
  },
  { key: 'roundTrips', header: 'RTTs', numeric: true, cell: (r) => num(r.roundTrips) },
  {
    key: 'liquiditySatBlocks',
    header: 'locked sat·blocks',
    numeric: true,
    cell: (r) => (r.liquiditySatBlocks === null ? 'n/a' : groupDigits(r.liquiditySatBlocks)),
  },
  { key: 'onchainVbytes', header: 'on-chain vB', numeric: true, cell: (r) => num(r.onchainVbytes) },
  { key: 'canSteal', header: 'who can steal', numeric: false, cell: (r) => r.canSteal },
  { key: 'canCensor', header: 'who can censor', numeric: false, cell: (r) => r.canCensor },
];

/** The columns without the per-scheme trust sentences (the terminal lists those under the table). */
export const FIGURE_COLUMNS: DisplayColumn[] = DISPLAY_COLUMNS.filter(
  (c) => c.key !== 'canSteal' && c.key !== 'canCensor',
);
