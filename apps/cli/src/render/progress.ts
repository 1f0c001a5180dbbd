/**
 * Progress of a long run on stderr: a bar redrawn in place when stderr is a terminal, one plain line per
 * step when it is not, or nothing at all (quiet) — so piped JSON stays clean and logs stay readable.
 */
import type { Io } from '../command.js';

/** How progress is shown. */
export type ProgressMode = 'bar' | 'lines' | 'quiet';

/** Reports steps; `finish` clears the bar. */
export interface Progress {
  step(done: number, total: number, label: string): void;
  finish(): void;
}

/** The mode for a command's `io`: quiet when asked, a bar on a terminal, lines otherwise. */
export function progressMode(io: Io, quiet: boolean): ProgressMode {
  if (quiet) return 'quiet';
  return io.errIsTty ? 'bar' : 'lines';
}

const BAR_WIDTH = 28;

/**
 * A progress reporter writing to `io.err`.
 *
 * @example const p = progress(io, 'bar'); p.step(3, 14, 'htlc offline-6h'); p.finish();
 */
export function progress(io: Io, mode: ProgressMode): Progress {
  let drawn = false;
  return {
    step(done, total, label) {
      if (mode === 'quiet' || done >= total) return;
      if (mode === 'lines') {
        io.err(`[${done + 1}/${total}] ${label}\n`);
        return;
      }
      const filled = total ? Math.round((done / total) * BAR_WIDTH) : BAR_WIDTH;
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
      io.err(`\r\x1b[2K${bar} ${done}/${total} ${label}`);
      drawn = true;
    },
    finish() {
      if (drawn) io.err('\r\x1b[2K');
      drawn = false;
    },
  };
}
