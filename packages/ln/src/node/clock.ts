/**
 * Virtual time for the simulation: a clock in unix seconds with a block height, and a deterministic
 * scheduler. Events run in (time, insertion order); nothing depends on the wall clock, so a run with
 * the same seed replays exactly.
 */

/** Seconds between blocks on the simulated chain. */
export const BLOCK_INTERVAL_SECONDS = 600;

interface Scheduled {
  at: number;
  seq: number;
  label: string;
  run: () => void | Promise<void>;
  cancelled: boolean;
}

/** A handle to cancel a scheduled event. */
export interface Timer {
  cancel(): void;
}

/**
 * The simulation's clock and scheduler.
 *
 * ```ts
 * const clock = new VirtualClock({ height: 800_000 });
 * clock.after(600, 'a block later', () => {});
 * clock.advance(600); // runs it; clock.height() === 800_001
 * ```
 */
export class VirtualClock {
  private time: number;
  private readonly startHeight: number;
  private readonly start: number;
  private seq = 0;
  private live = 0;
  private readonly queue = new MinHeap<Scheduled>((x, y) => x.at - y.at || x.seq - y.seq);
  private readonly blockListeners: ((height: number) => void)[] = [];
  private lastHeight: number;

  /** `start` is the unix time and `height` the block height at the start of the run. */
  constructor(opts: { start?: number; height?: number } = {}) {
    this.start = opts.start ?? 1_767_225_600; // 2026-01-01T00:00:00Z
    this.time = this.start;
    this.startHeight = opts.height ?? 800_000;
    this.lastHeight = this.startHeight;
  }

  /** Current unix time in whole seconds (what a node's clock reads). */
  now(): number {
    return Math.floor(this.time);
  }

  /** Current time with sub-second precision (message latency), for ordering a transcript. */
  precise(): number {
    return this.time;
  }

  /** Current block height: one block every {@link BLOCK_INTERVAL_SECONDS}. */
  height(): number {
    return this.startHeight + Math.floor((this.time - this.start) / BLOCK_INTERVAL_SECONDS);
  }

  /** Seconds since the run started. */
  elapsed(): number {
    return this.time - this.start;
  }

  /** Run `fn` at absolute time `at` (not before now). */
  at(at: number, label: string, fn: () => void | Promise<void>): Timer {
    const ev: Scheduled = { at: Math.max(at, this.time), seq: this.seq++, label, run: fn, cancelled: false };
    this.queue.push(ev);
    this.live++;
    return {
      cancel: () => {
        if (!ev.cancelled) this.live--;
        ev.cancelled = true;
      },
    };
  }

  /** Run `fn` after `seconds`. */
  after(seconds: number, label: string, fn: () => void | Promise<void>): Timer {
    return this.at(this.time + seconds, label, fn);
  }

  /** Called with the new height whenever a block is found. Returns a function that stops it. */
  onBlock(fn: (height: number) => void): () => void {
    this.blockListeners.push(fn);
    return () => {
      const i = this.blockListeners.indexOf(fn);
      if (i >= 0) this.blockListeners.splice(i, 1);
    };
  }

  /** Whether any event is pending. */
  get pending(): number {
    return this.live;
  }

  /** Run events in order until `until` (absolute time) or the queue is empty, advancing time. */
  runUntil(until: number): void {
    for (;;) {
      const next = this.popNext(until);
      if (!next) break;
      this.moveTo(next.at);
      const r = next.run();
      if (r instanceof Promise) throw new Error(`event ${next.label} is async: use runUntilAsync`);
    }
    this.moveTo(Math.max(until, this.time));
  }

  /**
   * Like {@link runUntil}, but awaits each event that returns a promise before running the next — for
   * events that do real I/O (an HTTP webhook). Order stays deterministic.
   */
  async runUntilAsync(until: number): Promise<void> {
    for (;;) {
      const next = this.popNext(until);
      if (!next) break;
      this.moveTo(next.at);
      await next.run();
    }
    this.moveTo(Math.max(until, this.time));
  }

  /** Advance by `seconds` (async form). */
  async advanceAsync(seconds: number): Promise<void> {
    await this.runUntilAsync(this.time + seconds);
  }

  /** Advance by `seconds`, running everything due on the way. */
  advance(seconds: number): void {
    this.runUntil(this.time + seconds);
  }

  /** Run until no events are left (bounded by `limitSeconds` of virtual time). */
  drain(limitSeconds = 30 * 24 * 3600): void {
    this.runUntil(this.time + limitSeconds);
  }

  private popNext(until: number): Scheduled | undefined {
    for (;;) {
      const top = this.queue.peek();
      if (!top || top.at > until) return undefined;
      this.queue.pop();
      if (top.cancelled) continue;
      top.cancelled = true;
      this.live--;
      return top;
    }
  }

  private moveTo(t: number): void {
    // Fire block listeners for every block boundary crossed, in order.
    while (t > this.time) {
      const nextBlockTime = this.start + (this.height() - this.startHeight + 1) * BLOCK_INTERVAL_SECONDS;
      if (nextBlockTime > t) {
        this.time = t;
        break;
      }
      this.time = nextBlockTime;
      const h = this.height();
      if (h > this.lastHeight) {
        this.lastHeight = h;
        for (const l of this.blockListeners) l(h);
      }
    }
  }
}

/** A binary min-heap. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}

  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(a[i]!, a[p]!) >= 0) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
