/**
 * The comparison table, built from `generated/compare.json` (written before every build from
 * `asyncpay compare --json`). Nothing here is typed in by hand: columns and rows come from the data.
 */

import compare from '@site/generated/compare.json';
import type { ReactNode } from 'react';

type Row = Record<string, unknown>;

interface CompareFile {
  available: boolean;
  command: string;
  reason?: string;
  data?: unknown;
}

/** Accepts either an array of rows or an object with a `rows` array (and optionally `columns`). */
function tableOf(data: unknown): { columns: string[]; rows: Row[] } | undefined {
  const isRow = (x: unknown): x is Row => typeof x === 'object' && x !== null && !Array.isArray(x);
  let rows: unknown;
  let columns: unknown;
  if (Array.isArray(data)) rows = data;
  else if (isRow(data)) {
    rows = data.rows;
    columns = data.columns;
  }
  if (!Array.isArray(rows) || !rows.every(isRow)) return undefined;
  const names =
    Array.isArray(columns) && columns.every((c) => typeof c === 'string')
      ? columns
      : [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return { columns: names, rows };
}

function cell(value: unknown): ReactNode {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return <code>{JSON.stringify(value)}</code>;
}

export default function CompareTable(): ReactNode {
  const file = compare as CompareFile;
  if (!file.available) {
    return (
      <div className="alert alert--secondary" role="note" data-testid="compare-empty">
        <p>
          <strong>No scheme has run yet.</strong> {file.reason}
        </p>
        <p>
          This table is filled in from <code>{file.command}</code> every time the site is built.
        </p>
      </div>
    );
  }
  const table = tableOf(file.data);
  if (!table) {
    return (
      <pre>
        <code>{JSON.stringify(file.data, null, 2)}</code>
      </pre>
    );
  }
  return (
    <table data-testid="compare-table">
      <thead>
        <tr>
          {table.columns.map((c) => (
            <th key={c}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
          <tr key={i}>
            {table.columns.map((c) => (
              <td key={c}>{cell(row[c])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
