/**
 * The comparison as one self-contained HTML file: inline CSS, the table, and inline SVG bar charts
 * (liquidity locked, messages, bytes, time to settle, and proof verification cost when a proof was
 * verified). No script, no external stylesheet, font or image: it opens from a file.
 */
import type { CompareRow, Comparison } from '../comparison.js';
import { DISPLAY_COLUMNS } from './compare-cells.js';
import { countOf, formatBytes, formatDuration, groupDigits } from './format.js';
import { type Bar, type BarChart, barChartSvg, escapeXml } from './svg.js';

/** A chart of one figure of the rows: its title, and the bar for a row. */
interface Figure {
  title: string;
  bar(row: CompareRow): Bar;
}

const na = (note = 'n/a'): Bar => ({ value: null, label: note });

// prettier-ignore
const FIGURES: Figure[] = [
  {
    title: 'Liquidity locked while pending (sat × blocks, summed over hops)',
    bar: (r) =>
      r.liquiditySatBlocks === null
        ? na()
        : { value: Number(r.liquiditySatBlocks), label: groupDigits(r.liquiditySatBlocks) },
  },
  {
    title: 'Messages exchanged',
    bar: (r) => (r.messages === null ? na() : { value: r.messages, label: String(r.messages) }),
  },
  {
    title: 'Bytes on the wire',
    bar: (r) => (r.bytes === null ? na() : { value: r.bytes, label: formatBytes(r.bytes) }),
  },
  {
    title: 'Time to settle (virtual time)',
    bar: (r) =>
      r.settleSeconds === null
        ? na()
        : !r.settles
          ? na(`did not settle (${r.outcome ?? 'no outcome'})`)
          : { value: r.settleSeconds, label: formatDuration(r.settleSeconds) },
  },
];

const VERIFY_FIGURE: Figure = {
  title: 'Proof verification (µs per verification, median, measured)',
  bar: (r) =>
    r.proofKind === 'none'
      ? na('— (no proof)')
      : r.verifyMicros === null
        ? na()
        : { value: r.verifyMicros, label: `${r.verifyMicros} µs` },
};

/** The charts of a comparison: groups are scenarios, series are schemes. */
export function chartsOf(c: Comparison): BarChart[] {
  const figures = c.rows.some((r) => r.verifyMicros !== null) ? [...FIGURES, VERIFY_FIGURE] : FIGURES;
  const series = c.schemes.map((s) => s.id);
  return figures.map((f) => ({
    title: f.title,
    series,
    groups: c.scenarios.map((sc) => ({
      label: sc.id,
      bars: series.map((id) => {
        const row = c.rows.find((r) => r.scheme === id && r.scenario === sc.id);
        return row ? f.bar(row) : na();
      }),
    })),
  }));
}

const CSS = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1500px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; vertical-align: top; }
th { background: #f3f3f3; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td:nth-child(-n+2), td.num { white-space: nowrap; }
td.trust { min-width: 16rem; max-width: 24rem; }
td.no { color: #b00020; } td.yes { color: #1b7f2a; } td.muted { color: #888; }
figure.chart { margin: 1.5rem 0; }
.scroll { overflow-x: auto; }
`;

function cellClass(row: CompareRow, key: string, text: string, numeric: boolean): string {
  const classes: string[] = [];
  if (numeric) classes.push('num');
  if (key === 'settles') classes.push(row.settles ? 'yes' : 'no');
  if (text === 'n/a' || text === '—') classes.push('muted');
  return classes.length ? ` class="${classes.join(' ')}"` : '';
}

/** The scheme-wide columns (who can steal or censor): one cell spanning all the scheme's rows. */
const SPANNED = new Set(['canSteal', 'canCensor']);

function tableHtml(c: Comparison): string {
  const head = DISPLAY_COLUMNS.map((col) => `<th>${escapeXml(col.header)}</th>`).join('');
  const body = c.rows.map((r, i) => {
    const first = i === 0 || c.rows[i - 1]?.scheme !== r.scheme;
    const span = c.rows.slice(i).findIndex((x) => x.scheme !== r.scheme);
    const rows = span === -1 ? c.rows.length - i : span;
    const cells = DISPLAY_COLUMNS.flatMap((col) => {
      const text = col.cell(r);
      if (!SPANNED.has(col.key))
        return [`<td${cellClass(r, col.key, text, col.numeric)}>${escapeXml(text)}</td>`];
      return first ? [`<td class="trust" rowspan="${rows}">${escapeXml(text)}</td>`] : [];
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<div class="scroll"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table></div>`;
}

function schemesHtml(c: Comparison): string {
  return c.schemes
    .map(
      (s) => `<h3>${escapeXml(s.id)}: ${escapeXml(s.title)}</h3>
<p>${escapeXml(s.summary)}</p>
<ul><li><strong>Who can steal:</strong> ${escapeXml(s.canSteal)}</li>
<li><strong>Who can censor:</strong> ${escapeXml(s.canCensor)}</li>${
        s.sources.length ? `\n<li><strong>Sources:</strong> ${escapeXml(s.sources.join('; '))}</li>` : ''
      }</ul>`,
    )
    .join('\n');
}

/**
 * The HTML report of a comparison: a complete document, ending in a newline.
 *
 * @example writeFileSync('compare.html', renderCompareHtml(comparison))
 */
export function renderCompareHtml(c: Comparison): string {
  const charts = c.schemes.length
    ? chartsOf(c)
        .map((chart) => `<figure class="chart">\n${barChartSvg(chart)}\n</figure>`)
        .join('\n')
    : '';
  const scenarios = c.scenarios
    .map((s) => `<li><code>${escapeXml(s.id)}</code>: ${escapeXml(s.title)}</li>`)
    .join('\n');
  const errors = c.rows.filter((r) => r.error !== null);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>asyncpay compare (seed ${escapeXml(c.seed)})</title>
<style>${CSS}</style>
</head>
<body>
<h1>asyncpay compare</h1>
<p>Seed <code>${escapeXml(c.seed)}</code>; ${countOf(c.schemes.length, 'scheme')} × ${countOf(c.scenarios.length, 'scenario')}. Settle times are virtual; verification times are measured on the machine that ran this. <em>—</em> means there is no proof to verify, <em>n/a</em> that nothing was measured.</p>
${c.schemes.length ? '' : '<p><strong>No schemes are built yet: nothing to compare.</strong></p>\n'}${tableHtml(c)}
<h2>Charts</h2>
${charts}
<h2>Scenarios</h2>
<ul>
${scenarios}
</ul>
<h2>Schemes</h2>
${schemesHtml(c)}
${errors.length ? `<h2>Runs that failed</h2>\n<ul>\n${errors.map((r) => `<li>${escapeXml(`${r.scheme} / ${r.scenario}: ${r.error}`)}</li>`).join('\n')}\n</ul>\n` : ''}</body>
</html>
`;
}
