/**
 * z-base-32 (Zooko's human-oriented base-32), as lnd's `signmessage` and LSPS0 `ln_signature` use it:
 * alphabet `ybndrfg8ejkmcpqxot1uwisza345h769`, 5 bits per character, most significant bit first, no
 * padding characters; the last character's unused low bits are zero.
 *
 * Decoding is case-insensitive (as LDK's) and strict: a character outside the alphabet, a length that
 * leaves 5 or more spare bits, or non-zero spare bits fail with `DecodeError('STRING_FORMAT')`, so every
 * byte string has exactly one lowercase encoding.
 *
 * @example
 * ```ts
 * zbase32Encode(Uint8Array.of(0xf0, 0xbf, 0xc7)); // '6n9hq'
 * zbase32Decode('6n9hq'); // Uint8Array [0xf0, 0xbf, 0xc7]
 * ```
 */
import { DecodeError } from '../errors.js';

/** The z-base-32 alphabet. */
export const ZBASE32_ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

const INDEX = new Map<string, number>([...ZBASE32_ALPHABET].map((c, i) => [c, i]));

/** Encode bytes as lowercase z-base-32. */
export function zbase32Encode(data: Uint8Array): string {
  if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array');
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of data) {
    acc = ((acc << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ZBASE32_ALPHABET[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += ZBASE32_ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

/** Decode z-base-32 (either case); `DecodeError('STRING_FORMAT')` on anything non-canonical. */
export function zbase32Decode(text: string, field = 'zbase32'): Uint8Array {
  if (typeof text !== 'string') throw new TypeError(`${field} must be a string`);
  const fail = (why: string) => new DecodeError('STRING_FORMAT', `${field}: ${why}`, { field });
  const spare = (text.length * 5) % 8;
  // A valid encoding of n bytes has ceil(8n/5) characters: fewer than 5 spare bits.
  if (spare >= 5) throw fail(`length ${text.length} is not a z-base-32 length`);
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let acc = 0;
  let bits = 0;
  let i = 0;
  for (const c of text.toLowerCase()) {
    const v = INDEX.get(c);
    if (v === undefined) throw fail(`invalid character ${JSON.stringify(c)}`);
    acc = ((acc << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[i++] = (acc >> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) throw fail('non-zero padding bits');
  return out;
}
