import { COMPARE_MATRIX } from '@asyncpay/ln/scheme';
import { describe, expect, it } from 'vitest';
import type { Io } from '../src/command.js';
import { type CompareRow, runComparison, timeVerification } from '../src/comparison.js';
import { palette, stripAnsi, useColour } from '../src/render/colour.js';
import { verifyText } from '../src/render/compare-cells.js';
import { renderCompareHtml } from '../src/render/compare-html.js';
import { renderCompareMarkdown } from '../src/render/compare-markdown.js';
import { renderCompareText } from '../src/render/compare-text.js';
import { formatDuration, formatOffset, groupDigits, msatToSat, toJson } from '../src/render/format.js';
import { progress } from '../src/render/progress.js';
import { textTable } from '../src/render/table.js';
import { renderTimeline, rolesOf } from '../src/render/timeline.js';
import { fakeTestScheme, fixtureTranscript, RECEIPT_PROOF } from './render-fixtures.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escape codes
const ANSI = /\x1b\[/;
const sixHours = COMPARE_MATRIX.find((s) => s.id === 'offline-6h')!;
const neverBack = COMPARE_MATRIX.find((s) => s.id === 'never-back')!;

describe('format', () => {
  it('writes offsets as +HH:MM:SS.mmm, with days when the run is longer than one', () => {
    expect(formatOffset(1.05, false)).toBe('+00:00:01.050');
    expect(formatOffset(6 * 3600, false)).toBe('+06:00:00.000');
    expect(formatOffset(86_400 + 6 * 3600 + 0.2, true)).toBe('+1d 06:00:00.200');
    expect(formatOffset(-120, false)).toBe('-00:02:00.000');
    expect(formatOffset(30 * 3600, false)).toBe('+30:00:00.000');
  });

  it('turns msat strings into sat with the msat fraction only when there is one', () => {
    expect(msatToSat('50000000')).toBe('50000');
    expect(msatToSat('1000500')).toBe('1000.5');
    expect(msatToSat(-1001n)).toBe('-1.001');
    expect(groupDigits('1234567.25')).toBe('1,234,567.25');
  });

  it('writes durations in the largest sensible units', () => {
    expect(formatDuration(0.3)).toBe('0.3 s');
    expect(formatDuration(6 * 3600 + 1)).toBe('6 h 0 min');
    expect(formatDuration(3 * 86_400 + 7200)).toBe('3 d 2 h');
  });

  it('prints bigints in JSON as decimal strings', () => {
    expect(JSON.parse(toJson({ a: 12345678901234567890n }))).toEqual({ a: '12345678901234567890' });
  });
});

describe('colours', () => {
  it('are on for a terminal and off when piped, NO_COLOR set or FORCE_COLOR=0', () => {
    expect(useColour(true, {})).toBe(true);
    expect(useColour(false, {})).toBe(false);
    expect(useColour(true, { NO_COLOR: '1' })).toBe(false);
    expect(useColour(true, { FORCE_COLOR: '0' })).toBe(false);
    expect(useColour(false, { FORCE_COLOR: '1' })).toBe(true);
  });

  it('leave text unchanged when off and are measured without their codes', () => {
    expect(palette(false).red('x')).toBe('x');
    expect(stripAnsi(palette(true).red('x'))).toBe('x');
  });
});

describe('timeline', () => {
  const t = fixtureTranscript(sixHours, 'seven');

  it('prints every event with its offset, presence, and message fate, with no escape codes when plain', () => {
    const text = renderTimeline(t, palette(false), { title: 'Fixture', scenarioTitle: sixHours.title });
    expect(text).not.toMatch(ANSI);
    expect(text).toContain('scenario offline-6h: Recipient offline 6 hours · seed seven');
    expect(text).toContain('nodes: 1 payer, 2 payer-lsp, 3 recipient-lsp, 4 recipient');
    expect(text).toMatch(
      /\+00:00:00\.150 {2}● ● ● ○ {2}payer → payer-lsp {2}update_add_htlc \(128\) {2}1\.5 kB {2}delivered/,
    );
    expect(text).toMatch(/\+00:00:00\.200 .* held_htlc_available \(513\) {2}312 B {2}held/);
    expect(text).toMatch(/\+06:00:00\.000 {2}● ● ● ● {2}recipient comes online/);
    expect(text).toContain('payer-lsp: hold htlc  amount_msat=50000000 cltv=800144');
    expect(text).toContain('recipient-lsp → recipient  HTTP POST 200  236 B');
    expect(text).toMatch(/payer +1,000,000 +949,999 +-50,001/);
    expect(text).toContain('outcome: settled after 6 h 0 min');
    expect(text).toContain('on-chain fallback: n/a');
    expect(text).toContain('proof held by the payer: none');
  });

  it('prints chain events, refusals and day offsets for a payment that never settles', () => {
    const text = renderTimeline(fixtureTranscript(neverBack), palette(false));
    expect(text).toContain('+0d 00:00:00.050');
    expect(text).toMatch(/\+2d 00:00:00\.000 .*payer-lsp: fail-back {2}code=HOLD_EXPIRED/);
    expect(text).toMatch(/chain: htlc-timeout {2}txid abababababababab… {2}166 vB {2}accepted/);
    expect(text).toContain('outcome: not settled (HOLD_EXPIRED) after 2 d 0 h');
  });

  it('describes a proof by kind, size and what it binds', () => {
    const text = renderTimeline(fixtureTranscript(sixHours, 's', { proof: RECEIPT_PROOF }), palette(false));
    expect(text).toContain('proof held by the payer: receipt, 96 bytes, binds payer, amount, text');
  });

  it('is coloured when the palette is on', () => {
    expect(renderTimeline(t, palette(true))).toMatch(ANSI);
  });

  it('lists the common roles first, in their usual order', () => {
    expect(rolesOf(t)).toEqual(['payer', 'payer-lsp', 'recipient-lsp', 'recipient']);
  });
});

describe('text table', () => {
  it('pads columns to the widest cell, not counting escape codes', () => {
    const table = textTable(
      ['a', 'n'],
      [
        [palette(true).red('long'), '1'],
        ['x', '200'],
      ],
      ['left', 'right'],
    );
    expect(stripAnsi(table).split('\n')).toEqual(['a       n', '────  ───', 'long    1', 'x     200']);
  });
});

describe('comparison renderings', async () => {
  const fakes = [
    fakeTestScheme('fake-htlc'),
    fakeTestScheme('fake-receipt', { proof: RECEIPT_PROOF, verifyProof: () => true }),
  ];
  const c = await runComparison(fakes, COMPARE_MATRIX, 'seed-1');

  it('Markdown has a header row, a separator and one row per scheme and scenario', () => {
    const md = renderCompareMarkdown(c);
    const rows = md.split('\n').filter((l) => l.startsWith('|'));
    expect(rows[0]).toMatch(/^\| scheme \| scenario \| settles \|.*\| who can steal \| who can censor \|$/);
    expect(rows[1]).toMatch(/^\| --- \| --- \|/);
    // the scheme-wide sentences appear on each scheme's first row only
    expect(rows.filter((r) => r.includes('| nobody (test fixture) |'))).toHaveLength(fakes.length);
    expect(rows).toHaveLength(2 + fakes.length * COMPARE_MATRIX.length);
    expect(rows.find((r) => r.startsWith('| fake-htlc | never-back |'))).toContain('| no (HOLD_EXPIRED) |');
    expect(rows.find((r) => r.startsWith('| fake-htlc | offline-6h |'))).toMatch(
      /\| none \| nothing \| — \|/,
    );
    expect(rows.find((r) => r.startsWith('| fake-receipt | offline-6h |'))).toMatch(
      /\| receipt \(96 B\) \| payer, amount, text \| [\d.]+ (µs|ms) \|/,
    );
  });

  it('HTML is self-contained and has one <svg> per chart', () => {
    const html = renderCompareHtml(c);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<link|src=|@import|url\(/i);
    const charts = html.match(/<figure class="chart">/g) ?? [];
    // liquidity, messages, bytes, settle time, and verification (the receipt fake has a verifier)
    expect(charts).toHaveLength(5);
    expect(html.match(/<svg/g)).toHaveLength(charts.length);
    expect(html.match(/<tr>/g)).toHaveLength(1 + fakes.length * COMPARE_MATRIX.length);
    expect(html).toContain('did not settle (HOLD_EXPIRED)');
    expect(html.match(/<td class="trust" rowspan="7">nobody \(test fixture\)<\/td>/g)).toHaveLength(2);
  });

  it('HTML escapes text from the schemes', () => {
    const evil = fakeTestScheme('x', { canSteal: '<img src=x onerror=alert(1)>' });
    return runComparison([evil], COMPARE_MATRIX.slice(0, 1), 's').then((c2) => {
      const html = renderCompareHtml(c2);
      expect(html).not.toContain('<img');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    });
  });

  it('the terminal table has one line per row and no escape codes when plain', () => {
    const text = renderCompareText(c, palette(false));
    expect(text).not.toMatch(ANSI);
    const rows = text.split('\n').filter((l) => /^fake-\S+ {2,}\S+ {2,}(yes|no)/.test(l));
    expect(rows).toHaveLength(fakes.length * COMPARE_MATRIX.length);
    expect(text).toContain('who can steal:  nobody (test fixture)');
  });
});

describe('proof verification cost', () => {
  it('is timed over several calls and keeps the first verdict', () => {
    let calls = 0;
    const r = timeVerification(() => ++calls === 1);
    expect(r.verifies).toBe(true);
    expect(calls).toBeGreaterThanOrEqual(8);
    expect(r.micros).toBeGreaterThanOrEqual(0);
  });

  it('shows — without a proof, n/a without a verifier, µs or ms otherwise, and flags a failure', () => {
    const row = (over: Partial<CompareRow>): CompareRow =>
      ({ proofKind: 'receipt', verifyMicros: 12.5, proofVerifies: true, ...over }) as CompareRow;
    expect(verifyText(row({ proofKind: 'none' }))).toBe('—');
    expect(verifyText(row({ verifyMicros: null }))).toBe('n/a');
    expect(verifyText(row({}))).toBe('12.5 µs');
    expect(verifyText(row({ verifyMicros: 5016.1 }))).toBe('5.02 ms');
    expect(verifyText(row({ verifyMicros: 19_324.9, proofVerifies: false }))).toBe('19.3 ms (fails!)');
  });
});

describe('progress', () => {
  const capture = (errIsTty: boolean): Io & { err_: () => string } => {
    let err = '';
    return {
      out: () => {},
      err: (t) => {
        err += t;
      },
      isTty: false,
      errIsTty,
      err_: () => err,
    };
  };

  it('writes one plain line per step when stderr is not a terminal', () => {
    const io = capture(false);
    const p = progress(io, 'lines');
    p.step(0, 2, 'a x');
    p.step(1, 2, 'b y');
    p.step(2, 2, '');
    p.finish();
    expect(io.err_()).toBe('[1/2] a x\n[2/2] b y\n');
  });

  it('redraws a bar in place on a terminal and clears it at the end', () => {
    const io = capture(true);
    const p = progress(io, 'bar');
    p.step(1, 2, 'b y');
    p.finish();
    expect(io.err_()).toBe(`\r\x1b[2K${'█'.repeat(14)}${'░'.repeat(14)} 1/2 b y\r\x1b[2K`);
  });

  it('writes nothing when quiet', () => {
    const io = capture(true);
    const p = progress(io, 'quiet');
    p.step(0, 1, 'a');
    p.finish();
    expect(io.err_()).toBe('');
  });
});
