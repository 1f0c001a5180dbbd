/**
 * The safety net behind `stop()`: every node this process starts (and does not hand over with
 * `detach()`) is tracked here, and is killed and its datadir removed when the process exits — normally,
 * on an uncaught error, or on SIGINT/SIGTERM/SIGHUP. The process handlers are registered once, on the
 * first tracked node.
 *
 * What it cannot catch: this process being killed with SIGKILL. The datadir is then left in the OS
 * temp folder (named `asyncpay-regtest-*`) and bitcoind keeps running until stopped by hand
 * (`kill <pid>`; `pgrep -a bitcoind` lists it).
 */
import { rmSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/** A bitcoind process and the datadir that goes with it. */
export interface LiveNode {
  /** The bitcoind process id. */
  pid: number;
  /** Its temporary datadir, removed with it. */
  datadir: string;
}

const live = new Set<LiveNode>();
let installed = false;

/** Kills every tracked node at once (SIGKILL) and removes its datadir. Synchronous: safe in `exit`. */
export function killAllNow(): void {
  for (const node of live) {
    try {
      process.kill(node.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(node.datadir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    live.delete(node);
  }
}

function onSignal(signal: NodeJS.Signals): void {
  killAllNow();
  // When nobody else listens for the signal, keep the default meaning of a signal: end the process.
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

function installHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAllNow);
  // The monitor variant observes the error without changing Node's behaviour (print and exit).
  process.on('uncaughtExceptionMonitor', killAllNow);
  if (isMainThread) {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  }
}

/** Starts tracking a node: from now on it is cleaned up when the process ends. */
export function track(node: LiveNode): void {
  installHandlers();
  live.add(node);
}

/** Stops tracking a node (it was stopped, or handed over to outlive this process). */
export function untrack(node: LiveNode): void {
  live.delete(node);
}

/** The number of nodes currently tracked (for tests). */
export function liveCount(): number {
  return live.size;
}
