/**
 * `pnpm --filter @asyncpay/htlc-async bench`: an LSP holding 100,000 held HTLCs, with their mailbox
 * entries and static invoices, in SQLite — memory per entry, releases per second, restart time.
 *
 * Options: `--entries N` (default 100,000), `--releases N` (the end-to-end sample, default 1,000).
 * Memory figures need `--expose-gc`: without it this script runs itself again with the flag.
 *
 * Everything is written under a temporary folder of the system temp directory (a real disk: each
 * commit is an fsync), removed at the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory, type Timing } from './fixtures.js';
import { commitProbe, LspAtScale } from './lsp-file.js';
import { benchReleaseParts, RELEASE_POINT_MULTIPLICATIONS, runReleaseSample } from './releases.js';

if (!memory().gc && !process.execArgv.includes('--expose-gc')) {
  const args = ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)];
  process.exit(spawnSync(process.execPath, args, { stdio: 'inherit' }).status ?? 1);
}

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const entries = arg('entries', 100_000);
const releases = arg('releases', 1_000);

const rows: [string, string][] = [];
const row = (what: string, value: string) => {
  rows.push([what, value]);
  console.log(`  ${what}: ${value}`);
};
const fmt = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const perEntry = (bytes: number) => `${fmt(bytes / entries)} B/entry`;
const ms = (t: Timing) => {
  const [wall, cpu] = [t.wall / 1000, t.cpu / 1000];
  return `${fmt(wall, wall < 10 ? 1 : 0)} ms (CPU ${fmt(cpu, cpu < 10 ? 1 : 0)} ms)`;
};

const dir = mkdtempSync(join(tmpdir(), 'asyncpay-bench-'));
const started = performance.now();
const cpu0 = process.cpuUsage();
try {
  console.log(`htlc-async: an LSP with ${fmt(entries)} held HTLCs, mailbox entries and static invoices`);

  // 1. Populate.
  const commitMicros = commitProbe(dir, 200);
  row('one commit (WAL, synchronous=FULL), 1 held HTLC', `${fmt(commitMicros)} µs`);
  const world = LspAtScale.create({ dir, entries });
  const pop = world.populate();
  for (const t of pop.tables) {
    row(
      `populate ${t.name}`,
      `${fmt(t.entries / t.seconds)} entries/s (${fmt(t.seconds, 1)} s, 1000 per commit)`,
    );
    row(`  ${t.name} on disk`, `${perEntry(t.bytes)} (stored JSON value ${fmt(t.valueBytes)} B)`);
  }
  row('SQLite file, all three tables', `${fmt(pop.fileBytes / 2 ** 20)} MiB = ${perEntry(pop.fileBytes)}`);
  row('channels holding them (≤ 483 each)', fmt(pop.channels));
  row('heap / RSS retained after populating', `${perEntry(pop.heapBytes)} / ${perEntry(pop.rssBytes)}`);

  // 3. Restart over the file.
  const r = world.restart();
  world.close();
  const c = r.counts;
  if (c.held !== entries || c.heldInLedgers !== entries || c.mailbox !== entries || c.invoices !== entries) {
    throw new Error(`bench: read back ${JSON.stringify(c)}, wrote ${entries} of each`);
  }
  const t = r.times;
  const ready = {
    wall: t.open.wall + t.construct.wall + t.heldRead.wall,
    cpu: t.open.cpu + t.construct.cpu + t.heldRead.cpu,
  };
  row('restart: open the file', ms(t.open));
  row(`restart: new PayerLsp (${fmt(c.channels + 1)} channels restored and reconnected)`, ms(t.construct));
  row(`restart: heldHtlcs() (${fmt(c.held)} decoded)`, ms(t.heldRead));
  row('restart: READY (open + construct + held readable)', ms(ready));
  row(`restart: new StoredMailbox (scans ${fmt(c.mailbox)} entries)`, ms(t.mailboxReopen));
  row(`restart: static_invoices count (${fmt(c.invoices)})`, ms(t.invoicesCount));
  row('after restart: first release (first in process; 483-HTLC channel)', ms(t.firstRelease));
  row('after restart: second release (same channel)', ms(t.secondRelease));
  row('after restart: first fail-back (deadline index)', ms(t.firstFailBack));
  row(
    'heap / RSS retained by the restarted LSP',
    `${perEntry(r.retainedHeapBytes)} / ${perEntry(r.retainedRssBytes)}`,
  );
  row('heap while the heldHtlcs() array is alive', `+${perEntry(r.heldArrayHeapBytes)}`);

  // 2. Releases per second, end to end through a real PayerLsp.
  const s = runReleaseSample(dir, releases);
  const parts = await benchReleaseParts(s.sampleMessage);
  const floor = (name: string) => parts.find((p) => p.name === `floor: ${name}`)!.meanMicros;
  const peel = parts.find((p) => p.name.startsWith('peel'))!;
  const units = RELEASE_POINT_MULTIPLICATIONS;
  row(`releases, ${fmt(s.releases)} real ones (disk)`, `${fmt(s.releasesPerSecond)} /s`);
  row(
    '  per release: wall mean / p50 / p99',
    `${fmt(s.mean.wall)} / ${fmt(s.p50Micros)} / ${fmt(s.p99Micros)} µs; ${fmt(s.commitsPerRelease, 1)} commits`,
  );
  row(
    '  per release: CPU (ceiling without fsync waits)',
    `${fmt(s.mean.cpu)} µs = ${fmt(1e6 / s.mean.cpu)} /s`,
  );
  row(
    `  ratio to floor, ${units} ECDH (interleaved)`,
    `wall ${fmt(s.mean.wall / (units * s.ecdh.wall), 2)}×, CPU ${fmt(s.mean.cpu / (units * s.ecdh.cpu), 2)}× (ECDH ${fmt(s.ecdh.cpu)} µs CPU)`,
  );
  row(
    `  ratio to ${units} ECDH + 1 schnorr sign`,
    `CPU ${fmt(s.mean.cpu / (units * s.ecdh.cpu + s.sign.cpu), 2)}× (sign ${fmt(s.sign.cpu)} µs CPU)`,
  );
  row(
    '  peel alone (tinybench, same run)',
    `${fmt(peel.meanMicros)} µs = ${fmt(peel.ratio ?? 0, 2)}× ${units} ECDH (floor ${fmt(floor('ECDH'))} µs, verify ${fmt(floor('schnorr verify'))} µs)`,
  );
  row(
    'hold, whole round incl. payer (disk)',
    `${fmt(s.holdMicros)} µs per HTLC; LSP ${fmt(s.commitsPerHold, 1)} commits each`,
  );

  const w = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nhtlc-async: an LSP at ${fmt(entries)} held HTLCs + mailbox entries + static invoices`);
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  const used = process.cpuUsage(cpu0);
  console.log(
    `(gc ${memory().gc ? 'on' : 'off'}; peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MiB; ` +
      `${fmt((performance.now() - started) / 1000)} s wall, ${fmt((used.user + used.system) / 1e6)} s CPU)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
