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

function Table({ columns, rows, units }: { columns: string[]; rows: Row[]; units?: Row }): ReactNode {
  return (
    <table>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c}>
              {c}
              {typeof units?.[c] === 'string' && (
                <>
                  <br />
                  <small>({units[c] as string})</small>
                </>
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
          <tr key={i}>
            {columns.map((c) => (
              <td key={c}>{cell(row[c])}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Empty({ reason, command }: { reason: string; command: string }): ReactNode {
  return (
    <div className="alert alert--secondary" role="note" data-testid="compare-empty">
      <p>
        <strong>No scheme has run yet.</strong> {reason}
      </p>
      <p>
        This table is filled in from <code>{command}</code> every time the site is built.
      </p>
    </div>
  );
}

export default function CompareTable(): ReactNode {
  const file = compare as CompareFile;
  if (!file.available) return <Empty reason={file.reason ?? ''} command={file.command} />;
  const table = tableOf(file.data);
  if (!table) {
    return (
      <pre>
        <code>{JSON.stringify(file.data, null, 2)}</code>
      </pre>
    );
  }
  const data = file.data as Row;
  const units = typeof data.units === 'object' && data.units !== null ? (data.units as Row) : undefined;
  const scenarios = tableOf(data.scenarios);
  return (
    <>
      {table.rows.length === 0 ? (
        <Empty reason="The comparison lists no scheme yet." command={file.command} />
      ) : (
        <div data-testid="compare-table">
          <Table columns={table.columns} rows={table.rows} units={units} />
        </div>
      )}
      {scenarios && scenarios.rows.length > 0 && (
        <>
          <h2 id="scenarios">Scenarios</h2>
          <p>Every scheme runs each of these scenarios.</p>
          <Table columns={scenarios.columns} rows={scenarios.rows} />
        </>
      )}
    </>
  );
}
