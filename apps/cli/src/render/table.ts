/** A plain-text table for the terminal: columns padded to their widest cell, escape codes not counted. */
import { stripAnsi } from './colour.js';

/** How a column lines up. */
export type Align = 'left' | 'right';

/**
 * Lays out `rows` under `header` with two spaces between columns and a rule under the header.
 * Cells may carry colour codes; widths are measured without them.
 *
 * @example textTable(['a', 'b'], [['1', '22']], ['left', 'right'])
 */
export function textTable(
  header: string[],
  rows: string[][],
  align: Align[] = [],
  rule: (text: string) => string = (t) => t,
): string {
  const width = (s: string): number => [...stripAnsi(s)].length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => {
        const gap = ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(c)));
        return align[i] === 'right' ? gap + c : i === cells.length - 1 ? c : c + gap;
      })
      .join('  ')
      .trimEnd();
  const sep = rule(widths.map((w) => '─'.repeat(w)).join('  '));
  return [line(header), sep, ...rows.map(line)].join('\n');
}
