/**
 * Turns the output of `asyncpay compare --json` into the tables the comparison page shows. The shape is
 * read defensively, since the page must build whatever the command prints:
 *
 * - `{ columns?, rows, units?, scenarios? }`, or a bare array of rows;
 * - when the rows name a `scheme` and a `scenario`, one table per scenario, transposed (a row per
 *   measure, a column per scheme), in the order of `scenarios` when it lists them;
 * - what `schemes` states once per scheme (who can steal, who can censor) is one table of its own,
 *   first, and not repeated in every scenario's table;
 * - otherwise one table with a row per row.
 */

export type Row = Record<string, unknown>;

export interface Table {
  /** The scenario's title, for transposed tables. */
  title?: string;
  /** Column headings; the first is the measure's name in transposed tables. */
  columns: string[];
  rows: unknown[][];
}

const isRow = (x: unknown): x is Row => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Rows and columns of a table-shaped value, or undefined when it has none. */
export function rowsOf(data: unknown): { columns: string[]; rows: Row[] } | undefined {
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

/** The unit of each column, from a `units` object, shown after its name. */
function label(column: string, units: Row | undefined): string {
  const unit = units?.[column];
  return typeof unit === 'string' ? `${column} (${unit})` : column;
}

/** The tables for the comparison's rows; empty when there are no rows. */
export function compareTables(data: unknown): Table[] {
  const table = rowsOf(data);
  if (!table || table.rows.length === 0) return [];
  const meta = isRow(data) ? data : {};
  const units = isRow(meta.units) ? meta.units : undefined;
  const { columns, rows } = table;
  if (!columns.includes('scheme') || !columns.includes('scenario')) {
    return [
      { columns: columns.map((c) => label(c, units)), rows: rows.map((r) => columns.map((c) => r[c])) },
    ];
  }
  const listed = Array.isArray(meta.scenarios) ? meta.scenarios.filter(isRow) : [];
  const ids = [...new Set([...listed.map((s) => s.id), ...rows.map((r) => r.scenario)])];
  const schemes = Array.isArray(meta.schemes) ? meta.schemes.filter(isRow) : [];
  const perScheme = PER_SCHEME.filter(([key]) => schemes.length > 0 && schemes.every((s) => key in s));
  const lifted = new Set(perScheme.map(([key]) => key));
  const measures = columns.filter((c) => c !== 'scheme' && c !== 'scenario' && !lifted.has(c));
  const trust: Table[] =
    perScheme.length === 0
      ? []
      : [
          {
            title: 'Trust: the same in every scenario',
            columns: ['', ...schemes.map((s) => String(s.id))],
            rows: perScheme.map(([key, name]) => [name, ...schemes.map((s) => s[key])]),
          },
        ];
  const perScenario = ids
    .map((id) => {
      const here = rows.filter((r) => r.scenario === id);
      const title = listed.find((s) => s.id === id)?.title;
      return {
        title: typeof title === 'string' ? title : String(id),
        columns: ['', ...here.map((r) => String(r.scheme))],
        rows: measures.map((m) => [label(m, units), ...here.map((r) => r[m])]),
      };
    })
    .filter((t) => t.columns.length > 1);
  return [...trust, ...perScenario];
}

/** What `schemes` states once per scheme, with the name the trust table gives it. */
const PER_SCHEME: readonly (readonly [string, string])[] = [
  ['canSteal', 'who can steal'],
  ['canCensor', 'who can censor'],
];
