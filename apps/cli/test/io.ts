/** Running the CLI in-process with its output captured, for the command tests. */
import type { Io } from '../src/command.js';
import { main } from '../src/main.js';

/** An `Io` that keeps what the command writes, readable with `stdout()` and `stderr()`. */
export function capture(): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    isTty: false,
    stdout: () => out,
    stderr: () => err,
  };
}

/**
 * Run `asyncpay <args>` and return its exit code and what it wrote.
 *
 * @example
 * const { code, out, err } = await run(['decode', 'lno1…']);
 */
export async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(args, io);
  return { code, out: io.stdout(), err: io.stderr() };
}
