/**
 * The BOLT 12 string form: a human-readable prefix, `1`, then the TLV bytes as bech32 characters with
 * **no checksum** (BOLT 12 "Encoding").
 *
 * Prefixes: `lno` offer, `lnr` invoice_request, `lni` invoice. Static invoices use `lni` too, as LDK
 * does (bolts#1149 names no prefix of its own).
 *
 * Reader rules implemented here:
 * - "MUST handle strings which are all lowercase, or all uppercase" — mixed case fails (`STRING_FORMAT`).
 * - "if it encounters a `+` followed by zero or more whitespace characters between two bech32
 *   characters: MUST remove the `+` and whitespace" — a `+` at either end, two `+` in a row, or
 *   whitespace anywhere else fails (`STRING_FORMAT`), as in the upstream format-string vectors.
 * - BIP-173 padding: "Any incomplete group at the end MUST be 4 bits or less, MUST be all zeroes"
 *   (`BECH32_BAD_PADDING`), as the offers vector "Bech32 padding exceeds 4-bit limit" requires.
 */
import { DecodeError } from '../errors.js';

/** A BOLT 12 human-readable prefix. */
export type Bolt12Hrp = 'lno' | 'lnr' | 'lni';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < CHARSET.length; i++) VALUE[CHARSET.charCodeAt(i)] = i;

/** The result of {@link decodeBolt12String}. */
export interface Bolt12String {
  hrp: Bolt12Hrp;
  bytes: Uint8Array;
}

const WHITESPACE = /\s/;

/**
 * Remove `+` joins (each optionally followed by whitespace) and check the case rule.
 * Returns the lowercase string.
 */
function unjoin(s: string): string {
  if (WHITESPACE.test(s[0] ?? '')) fail('STRING_FORMAT', 'leading whitespace');
  const parts = s.split('+');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    // After a `+`, whitespace may follow; nothing else may hold whitespace.
    const part = i === 0 ? parts[i]! : parts[i]!.replace(/^\s+/, '');
    if (part.length === 0) fail('STRING_FORMAT', '`+` must sit between two bech32 characters');
    if (WHITESPACE.test(part)) fail('STRING_FORMAT', 'whitespace is only allowed after `+`');
    out.push(part);
  }
  const joined = out.join('');
  const lower = joined.toLowerCase();
  if (joined !== lower && joined !== joined.toUpperCase()) {
    fail('STRING_FORMAT', 'mixed case (a BOLT 12 string is all lowercase or all UPPERCASE)');
  }
  return lower;
}

function fail(
  code: 'STRING_FORMAT' | 'BECH32_INVALID' | 'BECH32_WRONG_PREFIX' | 'BECH32_BAD_PADDING',
  why: string,
) {
  throw new DecodeError(code, `bolt12 string: ${why}`, { field: 'bolt12' });
}

/**
 * Decode a BOLT 12 string to its prefix and TLV bytes.
 *
 * @param expected the prefixes accepted (default: any of `lno`, `lnr`, `lni`).
 * @throws DecodeError `STRING_FORMAT`, `BECH32_INVALID`, `BECH32_WRONG_PREFIX` or `BECH32_BAD_PADDING`.
 * @example
 * ```ts
 * const { hrp, bytes } = decodeBolt12String('lno1zcss9mk8y3wkklfvevcrszlmu23kfrxh49px20665dqwmn4p72pksese');
 * // hrp === 'lno', bytes = 22 33 02eec7…
 * ```
 */
export function decodeBolt12String(s: string, expected?: Bolt12Hrp | readonly Bolt12Hrp[]): Bolt12String {
  if (typeof s !== 'string') throw new TypeError('bolt12 must be a string');
  const str = unjoin(s);
  const sep = str.lastIndexOf('1');
  if (sep < 1) fail('BECH32_INVALID', 'no human-readable prefix before `1`');
  const hrp = str.slice(0, sep);
  if (hrp !== 'lno' && hrp !== 'lnr' && hrp !== 'lni') fail('BECH32_WRONG_PREFIX', `unknown prefix '${hrp}'`);
  const allowed = expected === undefined ? undefined : typeof expected === 'string' ? [expected] : expected;
  if (allowed && !allowed.includes(hrp as Bolt12Hrp)) {
    fail('BECH32_WRONG_PREFIX', `prefix '${hrp}', expected ${allowed.join(' or ')}`);
  }
  return { hrp: hrp as Bolt12Hrp, bytes: fromWords(str, sep + 1) };
}

/** 5-bit characters from `start` to bytes, with BIP-173 padding rules. */
function fromWords(str: string, start: number): Uint8Array {
  const out = new Uint8Array(Math.floor(((str.length - start) * 5) / 8));
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (let i = start; i < str.length; i++) {
    const c = str.charCodeAt(i);
    const v = c < 128 ? VALUE[c]! : -1;
    if (v < 0) fail('BECH32_INVALID', `invalid character '${str[i]}' at ${i}`);
    acc = ((acc << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >>> bits) & 0xff;
    }
  }
  // BIP-173: "Any incomplete group at the end MUST be 4 bits or less, MUST be all zeroes".
  if (bits > 4) fail('BECH32_BAD_PADDING', `${bits} bits of padding (at most 4)`);
  if ((acc & ((1 << bits) - 1)) !== 0) fail('BECH32_BAD_PADDING', 'non-zero padding bits');
  return out;
}

/**
 * Encode TLV bytes as a lowercase BOLT 12 string (no `+` joins, no checksum).
 *
 * @example
 * ```ts
 * encodeBolt12String('lno', offer.bytes); // 'lno1…'
 * ```
 */
export function encodeBolt12String(hrp: Bolt12Hrp, bytes: Uint8Array): string {
  if (hrp !== 'lno' && hrp !== 'lnr' && hrp !== 'lni') throw new RangeError(`hrp: unknown prefix '${hrp}'`);
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  let s = `${hrp}1`;
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      s += CHARSET[(acc >>> bits) & 31];
    }
  }
  if (bits > 0) s += CHARSET[(acc << (5 - bits)) & 31];
  return s;
}
