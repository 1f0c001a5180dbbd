/**
 * A small seeded pseudo-random generator (sfc32) for the simulation: scheduling, fault injection and
 * jitter. Never used for keys or nonces — those come from noble's CSPRNG or are derived with SHA-256
 * from a seed (see {@link deriveSecret}).
 */
import { sha256 } from '@noble/hashes/sha2.js';

/** A seeded generator: `new Rng('seed').next()` gives the same sequence for the same seed. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A generator whose sequence is fixed by `seed`. */
  constructor(seed: number | string) {
    const h = sha256(new TextEncoder().encode(`asyncpay/rng/${seed}`));
    const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
    this.a = v.getUint32(0);
    this.b = v.getUint32(4);
    this.c = v.getUint32(8);
    this.d = v.getUint32(12);
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** The next 32-bit unsigned integer. */
  nextU32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextU32() / 2 ** 32;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
}

/** A 32-byte secret derived from a seed and a label: reproducible demo keys, never for production. */
export function deriveSecret(seed: string, label: string): Uint8Array {
  return sha256(new TextEncoder().encode(`asyncpay/derive/${seed}/${label}`));
}
