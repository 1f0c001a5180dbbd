/**
 * Horizontal grouped bar charts as inline SVG, written by hand: no script, no font file, no external
 * reference, so a report that embeds them opens from a file. Each bar carries a `<title>` (the browser's
 * tooltip) with its exact value.
 */

/** One bar: a value, or null with a note shown in place of the bar (`n/a`, `did not settle`). */
export interface Bar {
  value: number | null;
  /** Shown after the bar (or instead of it when `value` is null). */
  label: string;
}

/** One group of bars (a scenario), one bar per series (a scheme), in the order of `series`. */
export interface BarGroup {
  label: string;
  bars: Bar[];
}

/** A chart: a title, the series names (legend) and the groups. */
export interface BarChart {
  title: string;
  series: string[];
  groups: BarGroup[];
}

/** Fill colours for the series, in order (distinguishable, also for common colour-vision deficiencies). */
export const SERIES_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/**
 * Text made safe for XML and HTML content and attribute values.
 *
 * @example escapeXml('<a & "b">') === '&lt;a &amp; &quot;b&quot;&gt;'
 */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const WIDTH = 760;
const LABEL_W = 230;
const VALUE_W = 120;
const BAR_H = 14;
const BAR_GAP = 3;
const GROUP_GAP = 12;
const TOP = 28;

/**
 * One chart as an inline `<svg>` element (HTML5 needs no namespace on it; a single element, with a `role="img"` and an accessible title).
 *
 * @example barChartSvg({ title: 'Messages', series: ['htlc'], groups: [{ label: 'offline-6h', bars: [{ value: 14, label: '14' }] }] })
 */
export function barChartSvg(chart: BarChart): string {
  const n = Math.max(1, chart.series.length);
  const groupH = n * (BAR_H + BAR_GAP) - BAR_GAP;
  const legendH = 22;
  const height = TOP + chart.groups.length * (groupH + GROUP_GAP) + legendH;
  const max = Math.max(0, ...chart.groups.flatMap((g) => g.bars.map((b) => b.value ?? 0)));
  const plotW = WIDTH - LABEL_W - VALUE_W;
  const scale = (v: number): number => (max > 0 ? (v / max) * plotW : 0);
  const parts: string[] = [
    `<svg role="img" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<text x="0" y="16" font-size="14" font-weight="bold">${escapeXml(chart.title)}</text>`,
  ];
  chart.groups.forEach((g, gi) => {
    const y0 = TOP + gi * (groupH + GROUP_GAP);
    parts.push(
      `<text x="${LABEL_W - 8}" y="${y0 + groupH / 2 + 4}" text-anchor="end">${escapeXml(g.label)}</text>`,
    );
    g.bars.forEach((b, bi) => {
      const y = y0 + bi * (BAR_H + BAR_GAP);
      const w = b.value === null ? 0 : Math.max(b.value > 0 ? 1 : 0, scale(b.value));
      const colour = SERIES_COLOURS[bi % SERIES_COLOURS.length];
      const tip = escapeXml(`${chart.series[bi] ?? ''} · ${g.label}: ${b.label}`);
      if (b.value !== null) {
        parts.push(
          `<rect x="${LABEL_W}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${colour}"><title>${tip}</title></rect>`,
        );
      }
      parts.push(
        `<text x="${(LABEL_W + w + 4).toFixed(1)}" y="${y + BAR_H - 3}" fill="${b.value === null ? '#777' : '#222'}">${escapeXml(b.label)}</text>`,
      );
    });
  });
  const ly = height - 8;
  let lx = LABEL_W;
  chart.series.forEach((s, i) => {
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
    parts.push(
      `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${colour}"/>`,
      `<text x="${lx + 16}" y="${ly}">${escapeXml(s)}</text>`,
    );
    lx += 16 + 7 * s.length + 18;
  });
  parts.push('</svg>');
  return parts.join('\n');
}
