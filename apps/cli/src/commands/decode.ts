/**
 * `asyncpay decode <bolt12 string | hex>`: decode a message, check it as its reader must, verify its
 * signature, and print JSON.
 */

import { decodeBolt12String } from '@asyncpay/codec/bolt12/bech32';
import { fromHex } from '@asyncpay/codec/bytes';
import { CodecError } from '@asyncpay/codec/errors';
import { DEFAULT_PROFILE, parseWireProfile, type WireProfile } from '@asyncpay/codec/profile';
import { CliError, type Command, type Io, parseFlags } from '../command.js';
import { type DecodeOptions, type DecodeResult, decoders, type KindDecoder } from '../decode/registry.js';

const help = (): string => `asyncpay decode — decode, check and verify a message

Usage:
  asyncpay decode <bolt12 string | hex> [--as <kind>] [--profile ldk|spec] [--now <unix seconds>]

Input is a BOLT 12 string (lno…, lnr…, lni…; \`+\` joins and whitespace allowed) or the message's bytes
in hex. Kinds (--as): ${decoders.map((d) => d.kind).join(', ')}.
Without --as, a string is read as the kinds of its prefix (lni: invoice, then static_invoice), and hex
is tried as each kind in that order; the first that decodes wins.
--profile picks the wire numbers (default ${DEFAULT_PROFILE}: a static invoice's held_htlc_available
paths are type 236; spec: 178). --now checks expiries against that time (none are checked without it).

Prints JSON {kind, profile, fields: [{type, name, length, hex, value}], signature?: {valid}}; values are
JSON-friendly (bigints as strings, bytes as hex). Exit status: 0 valid, 1 bad signature, 2 invalid input
(one line on stderr: "asyncpay decode: <DECODE|SEMANTIC|SIGNATURE> <CODE> (field …): …").

Example:
  asyncpay decode lno1pgx9getnwss8vetrw3hhyuckyypwa3eyt44h6txtxquqh7lz5djge4afgfjn7k4rgrkuag0jsd5xvxg
`;

/** One line naming the layer and code of a codec error. */
function describeError(e: CodecError): string {
  const where = [e.field && `field ${e.field}`, e.tlvType !== undefined && `type ${e.tlvType}`].filter(
    Boolean,
  );
  const detail = where.length > 0 ? ` (${where.join(', ')})` : '';
  return `${e.layer.toUpperCase()} ${e.code}${detail}: ${e.message.replace(/\s+/g, ' ')}`;
}

const LAYER_RANK = { decode: 0, semantic: 1, signature: 2 } as const;

/** Try `candidates` in order; the first success wins, else the error that got furthest is thrown. */
function decodeFirst(
  candidates: readonly KindDecoder[],
  bytes: Uint8Array,
  opts: DecodeOptions,
): { kind: string; result: DecodeResult } {
  let best: CodecError | undefined;
  for (const d of candidates) {
    try {
      return { kind: d.kind, result: d.decode(bytes, opts) };
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      if (best === undefined || LAYER_RANK[e.layer] > LAYER_RANK[best.layer]) best = e;
    }
  }
  throw best ?? new CliError('UNKNOWN_KIND: no decoder for this input');
}

function options(flags: Map<string, string | true>): DecodeOptions & { as?: string } {
  const get = (name: string): string | undefined => {
    const v = flags.get(name);
    if (v === true) throw new CliError(`MISSING_ARGUMENT: --${name} needs a value`);
    return v;
  };
  let profile: WireProfile = DEFAULT_PROFILE;
  const p = get('profile');
  if (p !== undefined) {
    try {
      profile = parseWireProfile(p, '--profile');
    } catch (e) {
      throw new CliError(`INVALID_ARGUMENT: ${(e as Error).message}`);
    }
  }
  const nowFlag = get('now');
  if (nowFlag !== undefined && !/^\d{1,15}$/.test(nowFlag)) {
    throw new CliError('INVALID_ARGUMENT: --now must be whole seconds since 1970');
  }
  const as = get('as');
  if (as !== undefined && !decoders.some((d) => d.kind === as)) {
    throw new CliError(
      `INVALID_ARGUMENT: --as ${as} is not one of ${decoders.map((d) => d.kind).join(', ')}`,
    );
  }
  return { profile, now: nowFlag === undefined ? undefined : Number(nowFlag), as };
}

async function run(args: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseFlags(args);
  if (positionals.length !== 1) throw new CliError('MISSING_ARGUMENT: give one bolt12 string or hex message');
  const opts = options(flags);
  const input = positionals[0]!.trim();
  try {
    let bytes: Uint8Array;
    let candidates: KindDecoder[];
    if (/^([0-9a-fA-F]{2})*$/.test(input)) {
      bytes = fromHex(input, 'input');
      candidates = decoders;
    } else {
      const s = decodeBolt12String(input);
      bytes = s.bytes;
      candidates = decoders.filter((d) => d.hrps?.includes(s.hrp));
    }
    if (opts.as !== undefined) candidates = decoders.filter((d) => d.kind === opts.as);
    const { kind, result } = decodeFirst(candidates, bytes, opts);
    const out = { kind, profile: opts.profile, ...result };
    io.out(`${JSON.stringify(out, null, 2)}\n`);
    return result.signature?.valid === false ? 1 : 0;
  } catch (e) {
    if (e instanceof CodecError) throw new CliError(describeError(e));
    throw e;
  }
}

/** `asyncpay decode`. */
export const decodeCommand: Command = {
  name: 'decode',
  summary: 'decode, check and verify a BOLT 12 string or message bytes',
  get help() {
    return help();
  },
  run,
};
