/** One `asyncpay` sub-command. */
export interface Command {
  /** The word after `asyncpay`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  /** Runs the command; returns the exit code. Throws {@link CliError} for a one-line failure. */
  run(args: string[], io: Io): Promise<number>;
}

/** Where a command writes. Tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether `out` is a terminal (colour, progress bars). */
  isTty: boolean;
  /** Whether `err` is a terminal (progress bars). Absent: it is not. */
  errIsTty?: boolean;
}

/** A failure reported as one line on stderr, with an exit code (2 for bad input). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Splits `args` into flags (`--name value`, `--flag`) and positionals. `booleans` lists value-less flags. */
export function parseFlags(
  args: string[],
  booleans: readonly string[] = [],
): { flags: Map<string, string | true>; positionals: string[] } {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else if (booleans.includes(a.slice(2))) flags.set(a.slice(2), true);
      else {
        const v = args[++i];
        if (v === undefined) throw new CliError(`option ${a} needs a value`);
        flags.set(a.slice(2), v);
      }
    } else positionals.push(a);
  }
  return { flags, positionals };
}
