/**
 * The benchmark runner every package's `bench/` uses. Speed is reported as a ratio to a *floor*
 * measured in the same run — the cheapest primitive the operation cannot avoid (one noble schnorr
 * verify, one ECDH, …) — so figures compare across machines.
 *
 * ```ts
 * await runBenchmarks('codec', {
 *   floors: { 'schnorr verify': () => schnorr.verify(sig, msg, pub) },
 *   cases: [{ name: 'decode + verify invoice', fn: () => decodeAndVerify(bytes), floor: 'schnorr verify' }],
 * });
 * ```
 */
import { Bench } from 'tinybench';

/** One benchmarked operation, optionally measured against a floor. */
export interface BenchCase {
  name: string;
  fn: () => unknown;
  /** The floor this case is a multiple of (a key of `floors`). */
  floor?: string;
  /** How many floor operations the case inherently needs (the ratio is divided by it). Default 1. */
  floorUnits?: number;
}

/** The measurement of one {@link BenchCase}, with its ratio to the floor when it has one. */
export interface BenchResult {
  name: string;
  meanMicros: number;
  opsPerSecond: number;
  floor?: string;
  ratio?: number;
}

/** Runs the floors and the cases, prints a table, and returns the rows. */
export async function runBenchmarks(
  title: string,
  spec: { floors: Record<string, () => unknown>; cases: BenchCase[]; timeMs?: number },
): Promise<BenchResult[]> {
  const bench = new Bench({ time: spec.timeMs ?? 400, warmup: true });
  for (const [name, fn] of Object.entries(spec.floors)) bench.add(`floor: ${name}`, fn);
  for (const c of spec.cases) bench.add(c.name, c.fn);
  await bench.run();

  const mean = new Map<string, number>();
  for (const task of bench.tasks) {
    const r = task.result;
    if (r.state !== 'completed') throw new Error(`benchmark ${task.name} did not complete (${r.state})`);
    mean.set(task.name, r.latency.mean * 1000);
  }
  const rows: BenchResult[] = [];
  for (const name of Object.keys(spec.floors)) {
    const m = mean.get(`floor: ${name}`)!;
    rows.push({ name: `floor: ${name}`, meanMicros: m, opsPerSecond: 1e6 / m });
  }
  for (const c of spec.cases) {
    const m = mean.get(c.name)!;
    const row: BenchResult = { name: c.name, meanMicros: m, opsPerSecond: 1e6 / m };
    if (c.floor !== undefined) {
      const f = mean.get(`floor: ${c.floor}`);
      if (f === undefined) throw new Error(`benchmark ${c.name}: unknown floor ${c.floor}`);
      row.floor = c.floor;
      row.ratio = m / (f * (c.floorUnits ?? 1));
    }
    rows.push(row);
  }
  printTable(title, rows);
  return rows;
}

function printTable(title: string, rows: BenchResult[]): void {
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`\n${title}`);
  console.log(`${'case'.padEnd(w)}  ${'mean µs'.padStart(10)}  ${'ops/s'.padStart(10)}  ratio to floor`);
  for (const r of rows) {
    const ratio = r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}× ${r.floor}`;
    console.log(
      `${r.name.padEnd(w)}  ${r.meanMicros.toFixed(1).padStart(10)}  ${r.opsPerSecond.toFixed(0).padStart(10)}  ${ratio}`,
    );
  }
}
