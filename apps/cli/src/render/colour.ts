/**
 * Terminal colours by hand (SGR escape codes): on for a terminal, off when piped, and off whenever
 * `NO_COLOR` is set (no-color.org) or `FORCE_COLOR=0`; `FORCE_COLOR` set to anything else turns them on
 * even when piped.
 */

/** A function that wraps text in one style, or returns it unchanged when colours are off. */
export type Paint = (text: string) => string;

/** The styles the renderers use. */
export interface Palette {
  enabled: boolean;
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  blue: Paint;
  magenta: Paint;
  cyan: Paint;
}

/**
 * Whether to colour output written to a stream that is (or is not) a terminal.
 *
 * @example useColour(process.stdout.isTTY === true) // false under NO_COLOR=1
 */
export function useColour(isTty: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTty;
}

const sgr =
  (open: number, close: number): Paint =>
  (text) =>
    `\x1b[${open}m${text}\x1b[${close}m`;

const identity: Paint = (text) => text;

/**
 * The palette for `enabled`: real escape codes, or functions that change nothing.
 *
 * @example palette(false).red('x') === 'x'
 */
export function palette(enabled: boolean): Palette {
  if (!enabled) {
    const p = identity;
    return { enabled, bold: p, dim: p, red: p, green: p, yellow: p, blue: p, magenta: p, cyan: p };
  }
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    blue: sgr(34, 39),
    magenta: sgr(35, 39),
    cyan: sgr(36, 39),
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape codes is the point
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * `text` without escape codes: what a terminal shows, for measuring column widths.
 *
 * @example stripAnsi('\x1b[31mred\x1b[39m') === 'red'
 */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
