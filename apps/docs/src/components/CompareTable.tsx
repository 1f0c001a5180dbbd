/**
 * The comparison tables, built from `generated/compare.json` (written before every build from
 * `asyncpay compare --json`). Nothing here is typed in by hand: titles, measures, schemes and values all
 * come from the data (see compare-model.ts for the shapes it reads).
 */
import compare from '@site/generated/compare.json';
import type { ReactNode } from 'react';
import { compareTables, rowsOf, type Table } from './compare-model';

interface CompareFile {
  available: boolean;
  command: string;
  reason?: string;
  data?: unknown;
}

function cell(value: unknown): ReactNode {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  return <code>{JSON.stringify(value)}</code>;
}

function TableView({ table }: { table: Table }): ReactNode {
  return (
    <table>
      <thead>
        <tr>
          {table.columns.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed for the table's life
            <th key={i}>{c}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
          <tr key={i}>
            {row.map((value, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: cells have no identity beyond their position
              <td key={j}>{cell(value)}</td>
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
  if (!rowsOf(file.data)) {
    return (
      <pre>
        <code>{JSON.stringify(file.data, null, 2)}</code>
      </pre>
    );
  }
  const tables = compareTables(file.data);
  const scenarios = rowsOf((file.data as { scenarios?: unknown }).scenarios);
  return (
    <>
      {tables.length === 0 ? (
        <Empty reason="The comparison lists no scheme yet." command={file.command} />
      ) : (
        <div data-testid="compare-table">
          {tables.map((t) => (
            <section key={t.title ?? ''}>
              {t.title && <h3>{t.title}</h3>}
              <TableView table={t} />
            </section>
          ))}
        </div>
      )}
      {scenarios && scenarios.rows.length > 0 && (
        <>
          <h2 id="scenarios">Scenarios</h2>
          <p>Every scheme runs each of these scenarios.</p>
          <TableView
            table={{
              columns: scenarios.columns,
              rows: scenarios.rows.map((r) => scenarios.columns.map((c) => r[c])),
            }}
          />
        </>
      )}
    </>
  );
}
