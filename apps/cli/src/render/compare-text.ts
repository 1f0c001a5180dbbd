/**
 * The comparison as a terminal table. The long per-scheme sentences (who can steal, who can censor) follow
 * the table, once per scheme, rather than widening every row.
 */
import type { Comparison } from '../comparison.js';
import type { Palette } from './colour.js';
import { FIGURE_COLUMNS } from './compare-cells.js';
import { countOf } from './format.js';
import { type Align, textTable } from './table.js';

/**
 * The terminal rendering of a comparison, ending in a newline.
 *
 * @example io.out(renderCompareText(comparison, palette(io.isTty)))
 */
export function renderCompareText(c: Comparison, p: Palette): string {
  if (c.schemes.length === 0) return 'No schemes are built yet: nothing to compare.\n';
  const header = FIGURE_COLUMNS.map((col) => p.bold(col.header));
  const rows = c.rows.map((r) =>
    FIGURE_COLUMNS.map((col) => {
      const text = col.cell(r);
      if (col.key === 'settles') return (r.settles ? p.green : p.red)(text);
      if (col.key === 'verifyMicros' && r.proofVerifies === false) return p.red(text);
      if (text === 'n/a' || text === '—') return p.dim(text);
      return text;
    }),
  );
  const align = FIGURE_COLUMNS.map((col): Align => (col.numeric ? 'right' : 'left'));
  const lines = [
    p.bold(
      `asyncpay compare · seed ${c.seed} · ${countOf(c.schemes.length, 'scheme')} × ${countOf(c.scenarios.length, 'scenario')}`,
    ),
    '',
    textTable(header, rows, align, p.dim),
    '',
  ];
  for (const s of c.schemes) {
    lines.push(
      `${p.bold(s.id)} — ${s.title}`,
      `  who can steal:  ${s.canSteal}`,
      `  who can censor: ${s.canCensor}`,
    );
  }
  const scenarios = c.scenarios.map((s) => `  ${s.id.padEnd(14)} ${s.title}`);
  lines.push('', p.dim('scenarios:'), ...scenarios.map(p.dim));
  const errors = c.rows.filter((r) => r.error !== null);
  if (errors.length) {
    lines.push(
      '',
      p.red('runs that failed:'),
      ...errors.map((r) => `  ${r.scheme} ${r.scenario}: ${r.error}`),
    );
  }
  return `${lines.join('\n')}\n`;
}
