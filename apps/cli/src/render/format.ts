/**
 * Number and time formatting shared by the timeline and the comparison: amounts arrive as msat in
 * decimal strings (the transcript is JSON-friendly), so arithmetic on them is done in bigint.
 */

/**
 * Groups digits by thousands: `1234567` → `1,234,567` (a decimal part is kept as it is).
 *
 * @example groupDigits('1234567.5') === '1,234,567.5'
 */
export function groupDigits(n: string | number | bigint): string {
  const s = String(n);
  const neg = s.startsWith('-');
  const [int = '', frac] = (neg ? s.slice(1) : s).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/**
 * msat (a bigint or its decimal string) as sat in decimal, with the msat fraction only when there is one.
 *
 * @example msatToSat('1000500') === '1000.5'
 */
export function msatToSat(msat: string | bigint): string {
  const v = BigInt(msat);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const whole = abs / 1000n;
  const frac = abs % 1000n;
  const fracText = frac === 0n ? '' : `.${frac.toString().padStart(3, '0').replace(/0+$/, '')}`;
  return `${neg ? '-' : ''}${whole}${fracText}`;
}

/**
 * The sum of a transcript's `liquidityMsatBlocks` (msat × blocks per hop), in msat × blocks.
 *
 * @example sumMsat({ a: '1000', b: '2000' }) === 3000n
 */
export function sumMsat(perHop: Record<string, string>): bigint {
  let total = 0n;
  for (const v of Object.values(perHop)) total += BigInt(v);
  return total;
}

/**
 * A byte count for people: `812 B`, `14.2 kB`.
 *
 * @example formatBytes(14_200) === '14.2 kB'
 */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * An offset from the moment the payment starts, `+HH:MM:SS.mmm` (setup before it is `-HH:MM:SS.mmm`),
 * with a day count in front when `withDays` (`+1d 06:00:00.000`), so every line of one timeline has
 * the same width.
 *
 * @example formatOffset(3661.05, false) === '+01:01:01.050'
 * @example formatOffset(-120, false) === '-00:02:00.000'
 */
export function formatOffset(seconds: number, withDays: boolean): string {
  const sign = seconds < 0 ? '-' : '+';
  const totalMs = Math.round(Math.abs(seconds) * 1000);
  const ms = totalMs % 1000;
  const s = Math.floor(totalMs / 1000);
  const days = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const hours = withDays ? h : h + days * 24;
  const clock = `${pad2(hours)}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}.${String(ms).padStart(3, '0')}`;
  return withDays ? `${sign}${days}d ${clock}` : `${sign}${clock}`;
}

/**
 * A duration for people: `0.4 s`, `12 s`, `6 h 0 min`, `3 d 2 h`.
 *
 * @example formatDuration(21_601) === '6 h 0 min'
 */
export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${Number(seconds.toFixed(2))} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86_400)} d ${Math.floor((seconds % 86_400) / 3600)} h`;
}

/**
 * JSON with bigints as decimal strings, indented by two spaces and ending in a newline.
 *
 * @example toJson({ a: 1n }) === '{\n  "a": "1"\n}\n'
 */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
}

/**
 * `n` and a noun, in the plural unless `n` is 1.
 *
 * @example countOf(1, 'scheme') === '1 scheme'
 */
export function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
