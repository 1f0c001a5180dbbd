/**
 * `asyncpay compare`: every registered scheme over every scenario of `COMPARE_MATRIX`, as one
 * {@link Comparison} rendered four ways: a terminal table, JSON (what the documentation site imports; its
 * shape is documented in `../comparison.ts`), Markdown, and a self-contained HTML report with SVG charts.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { COMPARE_MATRIX } from '@asyncpay/ln/scheme';
import { CliError, type Command, type Io } from '../command.js';
import { type Comparison, runComparison } from '../comparison.js';
import { parseOptions, seedOf } from '../options.js';
import { palette, useColour } from '../render/colour.js';
import { renderCompareHtml } from '../render/compare-html.js';
import { renderCompareMarkdown } from '../render/compare-markdown.js';
import { renderCompareText } from '../render/compare-text.js';
import { toJson } from '../render/format.js';
import { progress, progressMode } from '../render/progress.js';
import { DEFAULT_SEED, schemes } from '../schemes.js';

const OUTPUTS = ['json', 'markdown', 'html', 'out-dir'] as const;

function write(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new CliError(`cannot write ${path}: ${(e as Error).message}`, 1);
  }
}

/** Checks where the files will go before the runs (which take a while), creating `--out-dir`. */
function prepare(output: string | undefined, target: string): void {
  if (output === 'out-dir') {
    try {
      mkdirSync(target, { recursive: true });
    } catch (e) {
      throw new CliError(`cannot create ${target}: ${(e as Error).message}`, 1);
    }
  } else if (output === 'html' && !statSync(dirname(target), { throwIfNoEntry: false })?.isDirectory()) {
    throw new CliError(`cannot write ${target}: ${dirname(target)} is not a folder`, 1);
  }
}

function emit(c: Comparison, output: (typeof OUTPUTS)[number] | undefined, target: string, io: Io): void {
  switch (output) {
    case 'json':
      io.out(toJson(c));
      return;
    case 'markdown':
      io.out(renderCompareMarkdown(c));
      return;
    case 'html':
      write(target, renderCompareHtml(c));
      io.out(`wrote ${target}\n`);
      return;
    case 'out-dir': {
      const files: [string, string][] = [
        ['compare.json', toJson(c)],
        ['compare.md', renderCompareMarkdown(c)],
        ['compare.html', renderCompareHtml(c)],
      ];
      for (const [name, text] of files) write(join(target, name), text);
      io.out(`wrote ${files.map(([name]) => join(target, name)).join(', ')}\n`);
      return;
    }
    default:
      io.out(renderCompareText(c, palette(useColour(io.isTty))));
  }
}

async function run(args: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseOptions(
    args,
    ['json', 'markdown', 'regtest'],
    ['html', 'out-dir', 'seed'],
  );
  if (positionals.length)
    throw new CliError(`unexpected argument '${positionals[0]}' (compare runs every scheme)`);
  const chosen = OUTPUTS.filter((o) => flags.has(o));
  if (chosen.length > 1) {
    throw new CliError(`choose one output: ${chosen.map((o) => `--${o}`).join(' and ')} were both given`);
  }
  const output = chosen[0];
  let target = '';
  if (output === 'html' || output === 'out-dir') {
    const path = flags.get(output);
    if (typeof path !== 'string' || path === '') throw new CliError(`--${output} needs a path`);
    target = path;
  }
  const seed = seedOf(flags);
  prepare(output, target);
  const registered = await schemes();
  const bar = progress(io, progressMode(io, output === 'json'));
  const c = await runComparison(
    registered,
    COMPARE_MATRIX,
    seed,
    (done, total, scheme, scenario) => bar.step(done, total, `${scheme} ${scenario}`),
    { regtest: flags.has('regtest') },
  );
  bar.finish();
  emit(c, output, target, io);
  const failed = c.rows.filter((r) => r.error !== null);
  if (failed.length) {
    const first = failed[0]!;
    io.err(
      `asyncpay compare: ${failed.length} of ${c.rows.length} runs failed (first: ${first.scheme} ${first.scenario}: ${first.error})\n`,
    );
    return 1;
  }
  return 0;
}

/** `asyncpay compare`. */
export const compareCommand: Command = {
  name: 'compare',
  summary: 'run every scheme over the scenario matrix: table, JSON, Markdown or HTML report',
  help: `Usage: asyncpay compare [--json | --markdown | --html FILE | --out-dir DIR] [--seed S] [--regtest]

Runs every scheme over the same scenarios (${COMPARE_MATRIX.map((s) => s.id).join(', ')})
and tabulates the transcripts: whether it settles and how long it takes, the proof the payer ends with
(kind, size, what it binds: payer, amount, text; verification cost measured by timing the scheme's own
verifier), messages, bytes, round trips, liquidity locked (sat × blocks summed over hops), on-chain
fallback size, and who can steal or censor. '—' means there is nothing to measure (no proof), 'n/a'
that the run did not measure it.

  --regtest       measure each scheme's on-chain fallback (vbytes) on a regtest bitcoind started for it;
                  without it that column says n/a

Output (one of; default: a table on the terminal):
  --json          the comparison as JSON: {generatedBy, version, seed, scenarios, schemes, columns, units, rows}
  --markdown      a Markdown table, one row per scheme and scenario, then the schemes
  --html FILE     a self-contained HTML report with SVG charts (opens from a file, no network)
  --out-dir DIR   compare.json, compare.md and compare.html together in DIR

  --seed S        seeds every run (default ${DEFAULT_SEED})

Progress goes to stderr: a bar on a terminal, one line per run otherwise, nothing with --json.
Exit code 1 when a run failed (its row says why), 2 for bad input.

Examples:
  asyncpay compare
  asyncpay compare --json > compare.json
  asyncpay compare --out-dir report && open report/compare.html
`,
  run,
};
