/** Option parsing that knows each command's options, so a mistyped one is named rather than misread. */
import { CliError, parseFlags } from './command.js';
import { DEFAULT_SEED } from './schemes.js';

/**
 * {@link parseFlags}, after refusing any `--option` that is neither in `booleans` nor in `valued`.
 *
 * @example parseOptions(['htlc', '--seed', '7', '--json'], ['json'], ['seed'])
 */
export function parseOptions(
  args: string[],
  booleans: readonly string[],
  valued: readonly string[],
): ReturnType<typeof parseFlags> {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) continue;
    const name = a.slice(2).split('=')[0]!;
    if (valued.includes(name)) {
      if (!a.includes('=')) i++;
    } else if (!booleans.includes(name)) {
      throw new CliError(`unknown option --${name} (see --help)`);
    }
  }
  return parseFlags(args, booleans);
}

/** The `--seed` value, or {@link DEFAULT_SEED}; an empty seed is refused. */
export function seedOf(flags: Map<string, string | true>): string {
  const seed = flags.get('seed') ?? DEFAULT_SEED;
  if (seed === true || seed === '') throw new CliError('--seed needs a non-empty value');
  return seed;
}
