import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPARE_MATRIX, type Scheme } from '@asyncpay/ln/scheme';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Io } from '../src/command.js';
import type { Comparison } from '../src/comparison.js';
import { main } from '../src/main.js';
import { fakeTestScheme, RECEIPT_PROOF } from './render-fixtures.js';

// The registry is replaced by test-only fake schemes until the real ones are built.
const registry = vi.hoisted(() => ({ list: [] as Scheme[] }));
vi.mock('../src/schemes.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../src/schemes.js')>()),
  schemes: async () => registry.list,
}));

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escape codes
const ANSI = /\x1b\[/;
const dir = mkdtempSync(join(tmpdir(), 'asyncpay-cli-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], errIsTty = false): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    isTty: false,
    errIsTty,
  };
  const code = await main(['compare', ...args], io);
  return { code, out, err };
}

let verifies = 0;
beforeEach(() => {
  verifies = 0;
  registry.list = [
    fakeTestScheme('fake-htlc'),
    fakeTestScheme('fake-receipt', {
      proof: RECEIPT_PROOF,
      onchainVbytes: 166,
      verifyProof: (t) => {
        verifies++;
        return t.proof.size === 96;
      },
    }),
  ];
});

const rowsExpected = 2 * COMPARE_MATRIX.length;

describe('asyncpay compare', () => {
  it('prints a plain table with one line per scheme and scenario and a progress line per run', async () => {
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(ANSI);
    expect(r.out.split('\n').filter((l) => /^fake-\S+ {2,}\S+ {2,}(yes|no)/.test(l))).toHaveLength(
      rowsExpected,
    );
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(rowsExpected);
    expect(r.err).toMatch(/^\[1\/14\] fake-htlc offline-10m\n/);
  });

  it('draws a progress bar when stderr is a terminal', async () => {
    const r = await run([], true);
    expect(r.err).toContain('\r\x1b[2K');
    expect(r.err.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('prints self-describing JSON, with nothing on stderr', async () => {
    const r = await run(['--json', '--seed', 's1']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const c = JSON.parse(r.out) as Comparison;
    expect(c).toMatchObject({ generatedBy: 'asyncpay compare', version: 1, seed: 's1' });
    expect(c.scenarios.map((s) => s.id)).toEqual(COMPARE_MATRIX.map((s) => s.id));
    expect(c.schemes[1]).toMatchObject({ id: 'fake-receipt', canSteal: 'nobody (test fixture)' });
    expect(c.rows).toHaveLength(rowsExpected);
    expect(Object.keys(c.rows[0]!)).toEqual([...c.columns, 'error']);
    const none = c.rows.find((x) => x.scheme === 'fake-htlc' && x.scenario === 'offline-6h')!;
    expect(none).toMatchObject({
      settles: true,
      outcome: null,
      proofKind: 'none',
      proofBinds: 'nothing',
      proofVerifies: null,
      verifyMicros: null,
      onchainVbytes: null,
      messages: 8,
      error: null,
    });
    expect(none.liquiditySatBlocks).toBe(String(50_000 * 37 + 50_000));
    const withProof = c.rows.find((x) => x.scheme === 'fake-receipt' && x.scenario === 'offline-6h')!;
    expect(withProof).toMatchObject({
      proofKind: 'receipt',
      proofBytes: 96,
      proofVerifies: true,
      onchainVbytes: 166,
    });
    expect(withProof.verifyMicros).toBeGreaterThanOrEqual(0);
    expect(verifies).toBeGreaterThanOrEqual(6 * COMPARE_MATRIX.length);
    const never = c.rows.find((x) => x.scheme === 'fake-htlc' && x.scenario === 'never-back')!;
    expect(never).toMatchObject({ settles: false, outcome: 'HOLD_EXPIRED' });
  });

  it('prints a Markdown table with a header and one row per scheme and scenario', async () => {
    const r = await run(['--markdown']);
    expect(r.code).toBe(0);
    const rows = r.out.split('\n').filter((l) => l.startsWith('|'));
    expect(rows).toHaveLength(2 + rowsExpected);
  });

  it('writes a self-contained HTML report with --html', async () => {
    const file = join(dir, 'report.html');
    const r = await run(['--html', file]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${file}\n`);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script|https?:|src=/i);
    expect(html.match(/<svg/g)).toHaveLength((html.match(/<figure class="chart">/g) ?? []).length);
  });

  it('writes compare.json, compare.md and compare.html with --out-dir', async () => {
    const out = join(dir, 'out', 'nested');
    const r = await run(['--out-dir', out, '--seed', 'd']);
    expect(r.code).toBe(0);
    for (const name of ['compare.json', 'compare.md', 'compare.html'])
      expect(existsSync(join(out, name))).toBe(true);
    const c = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as Comparison;
    expect(c.seed).toBe('d');
    expect(c.rows).toHaveLength(rowsExpected);
    expect(readFileSync(join(out, 'compare.md'), 'utf8')).toMatch(/^# asyncpay compare\n/);
  });

  it('refuses two outputs, a missing path and an unknown option with exit 2', async () => {
    expect(await run(['--json', '--markdown'])).toMatchObject({
      code: 2,
      err: 'asyncpay compare: choose one output: --json and --markdown were both given\n',
    });
    expect(await run(['--html'])).toMatchObject({
      code: 2,
      err: 'asyncpay compare: option --html needs a value\n',
    });
    expect(await run(['--html='])).toMatchObject({ code: 2, err: 'asyncpay compare: --html needs a path\n' });
    expect(await run(['--csv'])).toMatchObject({
      code: 2,
      err: 'asyncpay compare: unknown option --csv (see --help)\n',
    });
    expect(await run(['fake-htlc'])).toMatchObject({
      code: 2,
      err: "asyncpay compare: unexpected argument 'fake-htlc' (compare runs every scheme)\n",
    });
  });

  it('refuses an output it cannot write before running anything, with exit 1', async () => {
    const file = join(dir, 'a-file');
    await run(['--html', file]);
    expect(await run(['--html', join(dir, 'missing', 'x.html')])).toMatchObject({
      code: 1,
      err: `asyncpay compare: cannot write ${join(dir, 'missing', 'x.html')}: ${join(dir, 'missing')} is not a folder\n`,
    });
    const r = await run(['--out-dir', file]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^asyncpay compare: cannot create .*a-file: EEXIST/);
    expect(r.err).not.toContain('[1/');
  });

  it('keeps going when a run throws, shows it in its row, and exits 1', async () => {
    registry.list.push(
      fakeTestScheme('fake-broken', {
        run: async () => {
          throw Object.assign(new Error('no route'), { code: 'NO_ROUTE' });
        },
      }),
    );
    const r = await run(['--json']);
    expect(r.code).toBe(1);
    const c = JSON.parse(r.out) as Comparison;
    expect(c.rows).toHaveLength(3 * COMPARE_MATRIX.length);
    expect(c.columns.at(-1)).toBe('error');
    expect(c.rows.at(-1)).toMatchObject({
      scheme: 'fake-broken',
      settles: false,
      error: 'NO_ROUTE: no route',
      messages: null,
    });
    expect(r.err).toBe(
      'asyncpay compare: 7 of 21 runs failed (first: fake-broken offline-10m: NO_ROUTE: no route)\n',
    );
  });

  it('succeeds with an empty comparison when no scheme is built yet', async () => {
    registry.list = [];
    const r = await run(['--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ schemes: [], rows: [] });
    expect((await run([])).out).toBe('No schemes are built yet: nothing to compare.\n');
  });

  it('has --help with examples', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Examples:\n  asyncpay compare\n');
  });
});
