/**
 * `asyncpay demo [scheme|all]`: runs one scenario of a scheme (or of every scheme) on the embedded default
 * (in-process nodes, virtual time) and prints the transcript as a timeline, or as JSON.
 */
import type { Transcript } from '@asyncpay/ln/node/transcript';
import { COMPARE_MATRIX, type Scheme } from '@asyncpay/ln/scheme';
import { CliError, type Command, type Io } from '../command.js';
import { parseOptions, seedOf } from '../options.js';
import { palette, useColour } from '../render/colour.js';
import { toJson } from '../render/format.js';
import { renderTimeline } from '../render/timeline.js';
import { DEFAULT_SEED, schemes } from '../schemes.js';

/** The scenario demo runs unless `--scenario` says otherwise. */
export const DEFAULT_DEMO_SCENARIO = 'offline-6h';

function pick(registered: Scheme[], which: string): Scheme[] {
  if (registered.length === 0) {
    throw new CliError('no schemes are built yet: nothing to demo');
  }
  if (which === 'all') return registered;
  const found = registered.find((s) => s.id === which);
  if (!found) {
    const known = [...registered.map((s) => s.id), 'all'].join(', ');
    throw new CliError(`unknown scheme '${which}' (known: ${known})`);
  }
  return [found];
}

function checkRegtest(chosen: Scheme[], registered: Scheme[]): void {
  const unable = chosen.filter((s) => !s.supportsRegtest);
  if (unable.length === 0) return;
  const able = registered.filter((s) => s.supportsRegtest).map((s) => s.id);
  if (able.length === 0) throw new CliError('--regtest: no scheme runs its on-chain steps on regtest yet');
  throw new CliError(
    `--regtest: ${unable.map((s) => s.id).join(', ')} cannot run on regtest yet (schemes that can: ${able.join(', ')})`,
  );
}

async function runOne(
  scheme: Scheme,
  scenarioId: string,
  seed: string,
  regtest: boolean,
): Promise<Transcript> {
  const scenario = COMPARE_MATRIX.find((s) => s.id === scenarioId)!;
  try {
    return await scheme.run(scenario, regtest ? { seed, regtest } : { seed });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const what =
      typeof code === 'string' ? `${code}: ${(e as Error).message}` : String((e as Error).message ?? e);
    throw new CliError(`${scheme.id} failed in scenario ${scenarioId}: ${what}`, 1);
  }
}

async function run(args: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseOptions(args, ['json', 'regtest'], ['seed', 'scenario']);
  if (positionals.length > 1)
    throw new CliError(`expected one scheme or 'all', got ${positionals.length} words`);
  const seed = seedOf(flags);
  const scenarioId = flags.get('scenario') ?? DEFAULT_DEMO_SCENARIO;
  if (scenarioId === true || !COMPARE_MATRIX.some((s) => s.id === scenarioId)) {
    const ids = COMPARE_MATRIX.map((s) => s.id).join(', ');
    throw new CliError(`unknown scenario '${String(scenarioId)}' (known: ${ids})`);
  }
  const registered = await schemes();
  const chosen = pick(registered, positionals[0] ?? 'all');
  const regtest = flags.has('regtest');
  if (regtest) checkRegtest(chosen, registered);

  if (flags.has('json')) {
    const transcripts: Transcript[] = [];
    for (const scheme of chosen) transcripts.push(await runOne(scheme, scenarioId, seed, regtest));
    io.out(toJson(positionals[0] === undefined || positionals[0] === 'all' ? transcripts : transcripts[0]));
    return 0;
  }
  // Each timeline is printed as soon as its run ends.
  const p = palette(useColour(io.isTty));
  const scenarioTitle = COMPARE_MATRIX.find((s) => s.id === scenarioId)?.title;
  for (const [i, scheme] of chosen.entries()) {
    const t = await runOne(scheme, scenarioId, seed, regtest);
    if (i > 0) io.out(`\n${p.dim('═'.repeat(72))}\n\n`);
    io.out(renderTimeline(t, p, { title: scheme.title, scenarioTitle }));
  }
  return 0;
}

/** `asyncpay demo`. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'run a scheme (or all) through one scenario and print the timeline',
  help: `Usage: asyncpay demo [<scheme>|all] [--scenario ID] [--seed S] [--json] [--regtest]

Runs a payment to an offline recipient with one scheme (default: every scheme, 'all') on the embedded
default: in-process nodes exchanging real encoded messages, in virtual time. Prints a timeline: each
message (from → to, name, size, and whether it was delivered, held, released or dropped), who is
online, state changes (hold, release, claim, fail-back, refusals with their code), webhooks and chain
events; then balances before and after, liquidity locked, time to settle, and the proof the payer holds.

Options:
  --scenario ID   one of: ${COMPARE_MATRIX.map((s) => s.id).join(', ')}
                  (default ${DEFAULT_DEMO_SCENARIO}: ${COMPARE_MATRIX.find((s) => s.id === DEFAULT_DEMO_SCENARIO)?.title})
  --seed S        seeds keys, nonces and faults: the same seed prints the same run (default ${DEFAULT_SEED})
  --json          print the transcript as JSON (amounts in msat as strings); for 'all' an array of them
  --regtest       run the on-chain steps against a regtest bitcoind (only schemes that support it)

Colours on a terminal; none when piped, or with NO_COLOR set or FORCE_COLOR=0.

Examples:
  asyncpay demo                                 every scheme, recipient offline 6 hours
  asyncpay demo htlc --scenario never-back      one scheme, recipient never comes back
  asyncpay demo all --seed 7 --json > runs.json
`,
  run,
};
