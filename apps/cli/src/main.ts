import { CliError, type Io } from './command.js';
import { commands } from './commands/index.js';

const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTty: Boolean(process.stdout.isTTY),
  errIsTty: Boolean(process.stderr.isTTY),
};

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'asyncpay — Lightning async payments, three schemes side by side',
    '',
    'Usage: asyncpay <command> [options]     (asyncpay <command> --help for more)',
    '',
    'Commands:',
    ...lines,
    '',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`asyncpay: unknown command '${name}' (asyncpay --help lists them)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`asyncpay ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      io.err(`asyncpay ${name}: ${code}: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}
