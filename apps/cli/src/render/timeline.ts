/**
 * A transcript as a timeline for people: one line per event with its virtual time and who is online,
 * then balances before and after, liquidity locked, time to settle, cost figures and the payer's proof.
 * This is what `asyncpay demo` prints; colours come from the {@link Palette} it is given.
 */
import type { MessageFate, Role, Transcript, TranscriptEvent } from '@asyncpay/ln/node/transcript';
import type { Paint, Palette } from './colour.js';
import { formatBytes, formatDuration, formatOffset, groupDigits, msatToSat, sumMsat } from './format.js';
import { textTable } from './table.js';

const COMMON_ROLES: readonly Role[] = ['payer', 'payer-lsp', 'recipient-lsp', 'recipient'];

/**
 * The roles of a transcript in a stable order: the common four first (when present), then the others as
 * they first appear.
 */
export function rolesOf(t: Transcript): Role[] {
  const seen = new Set<Role>();
  const add = (r: Role): void => {
    seen.add(r);
  };
  for (const r of Object.keys(t.balances.before)) add(r);
  for (const r of Object.keys(t.balances.after)) add(r);
  for (const e of t.events) {
    if (e.kind === 'message' || e.kind === 'http') {
      add(e.from);
      add(e.to);
    } else if (e.kind === 'online' || e.kind === 'state') add(e.node);
  }
  const common = COMMON_ROLES.filter((r) => seen.has(r));
  return [...common, ...[...seen].filter((r) => !COMMON_ROLES.includes(r))];
}

/** Who is online before the first event: everyone, except a node whose first `online` event brings it up. */
function initialPresence(t: Transcript, roles: Role[]): Map<Role, boolean> {
  const presence = new Map<Role, boolean>(roles.map((r) => [r, true]));
  const decided = new Set<Role>();
  for (const e of t.events) {
    if (e.kind === 'online' && !decided.has(e.node)) {
      decided.add(e.node);
      presence.set(e.node, !e.online);
    }
  }
  return presence;
}

function fatePaint(fate: MessageFate, p: Palette): Paint {
  switch (fate) {
    case 'delivered':
      return p.green;
    case 'held':
      return p.yellow;
    case 'released':
      return p.cyan;
    case 'duplicated':
      return p.magenta;
    default:
      return p.red;
  }
}

/** Colour for a state change, from the words it contains. */
function statePaint(what: string, p: Palette): Paint {
  if (/refus|fail|reject|timeout|expir|steal|censor/i.test(what)) return p.red;
  if (/hold|held|wait|park/i.test(what)) return p.yellow;
  if (/release|unblock|wake/i.test(what)) return p.cyan;
  if (/claim|fulfil|settle|paid|complete|sign/i.test(what)) return p.green;
  return (x) => x;
}

function detailText(detail: Record<string, string | number | boolean> | undefined): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([k, v]) => `${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}

/** The text of one event, without its time and presence columns. */
export function describeEvent(e: TranscriptEvent, p: Palette): string {
  switch (e.kind) {
    case 'message':
      return `${e.from} → ${e.to}  ${p.bold(e.name)} ${p.dim(`(${e.type})`)}  ${formatBytes(e.size)}  ${fatePaint(e.fate, p)(e.fate)}`;
    case 'online':
      return e.online ? `${e.node} ${p.green('comes online')}` : `${e.node} ${p.dim('goes offline')}`;
    case 'state': {
      const detail = detailText(e.detail);
      return `${e.node}: ${statePaint(e.what, p)(e.what)}${detail ? `  ${p.dim(detail)}` : ''}`;
    }
    case 'http': {
      const ok = e.status >= 200 && e.status < 300;
      return `${e.from} → ${e.to}  ${p.blue(`HTTP ${e.method}`)} ${(ok ? p.green : p.red)(String(e.status))}  ${formatBytes(e.size)}`;
    }
    case 'chain': {
      const parts = [`${p.magenta('chain')}: ${e.what}`];
      if (e.txid) parts.push(`txid ${e.txid.slice(0, 16)}…`);
      if (e.vbytes !== undefined) parts.push(`${e.vbytes} vB`);
      if (e.accepted !== undefined) {
        parts.push(e.accepted ? p.green('accepted') : p.red(`rejected${e.reason ? ` (${e.reason})` : ''}`));
      } else if (e.reason) parts.push(`(${e.reason})`);
      return parts.join('  ');
    }
  }
}

/** The event lines: time, one presence glyph per role (● online, ○ offline), then the event. */
export function renderEvents(t: Transcript, p: Palette): string[] {
  const roles = rolesOf(t);
  const presence = initialPresence(t, roles);
  const last = t.events.reduce((m, e) => Math.max(m, e.t - t.start), 0);
  const withDays = last >= 86_400;
  const glyphs = (): string => roles.map((r) => (presence.get(r) ? p.green('●') : p.dim('○'))).join(' ');
  const header = `${'time'.padEnd(formatOffset(0, withDays).length)}  ${roles.map((_, i) => String(i + 1)).join(' ')}  event`;
  const lines = [p.dim(header)];
  for (const e of t.events) {
    if (e.kind === 'online') presence.set(e.node, e.online);
    lines.push(`${p.dim(formatOffset(e.t - t.start, withDays))}  ${glyphs()}  ${describeEvent(e, p)}`);
  }
  return lines;
}

function balanceLines(t: Transcript, p: Palette): string {
  const roles = rolesOf(t).filter((r) => r in t.balances.before || r in t.balances.after);
  const rows = roles.map((r) => {
    const before = t.balances.before[r];
    const after = t.balances.after[r];
    const delta = before !== undefined && after !== undefined ? BigInt(after) - BigInt(before) : undefined;
    const deltaText =
      delta === undefined
        ? '—'
        : delta === 0n
          ? '0'
          : (delta > 0n ? p.green : p.red)(`${delta > 0n ? '+' : ''}${groupDigits(msatToSat(delta))}`);
    const sat = (v: string | undefined): string => (v === undefined ? '—' : groupDigits(msatToSat(v)));
    return [r, sat(before), sat(after), deltaText];
  });
  return textTable(
    ['role', 'before (sat)', 'after (sat)', 'change'],
    rows,
    ['left', 'right', 'right', 'right'],
    p.dim,
  );
}

function liquidityLines(t: Transcript): string[] {
  const hops = Object.entries(t.costs.liquidityMsatBlocks);
  const total = groupDigits(msatToSat(sumMsat(t.costs.liquidityMsatBlocks)));
  if (hops.length === 0) return ['liquidity locked: none'];
  const width = Math.max(...hops.map(([h]) => h.length));
  const values = hops.map(([, v]) => groupDigits(msatToSat(v)));
  const valueWidth = Math.max(...values.map((v) => v.length));
  return [
    `liquidity locked: ${total} sat·blocks in all`,
    ...hops.map(([hop], i) => `  ${hop.padEnd(width)}  ${values[i]!.padStart(valueWidth)} sat·blocks`),
  ];
}

/** What the proof binds, as words: `payer, amount, text`, or `nothing`. */
export function bindsText(binds: Transcript['proof']['binds']): string {
  const parts = (['payer', 'amount', 'text'] as const).filter((k) => binds[k]);
  return parts.length ? parts.join(', ') : 'nothing';
}

/** The summary after the events: balances, liquidity, outcome, costs and the payer's proof. */
export function renderSummary(t: Transcript, p: Palette): string[] {
  const o = t.outcome;
  const outcome = o.settled
    ? p.green(`settled after ${formatDuration(o.seconds)}`)
    : p.red(`not settled${o.code ? ` (${o.code})` : ''} after ${formatDuration(o.seconds)}`);
  const c = t.costs;
  const proof = t.proof;
  const proofHead =
    proof.kind === 'none'
      ? p.yellow('none')
      : `${p.green(proof.kind)}, ${proof.size} bytes, binds ${bindsText(proof.binds)}`;
  return [
    p.bold('balances'),
    balanceLines(t, p),
    '',
    `${p.bold('outcome')}: ${outcome}`,
    ...liquidityLines(t),
    `messages: ${c.messages} (${formatBytes(c.bytes)}), round trips: ${c.roundTrips}, on-chain fallback: ${
      c.onchainVbytes === undefined ? 'n/a' : `${c.onchainVbytes} vB`
    }`,
    `${p.bold('proof held by the payer')}: ${proofHead}`,
    `  ${proof.summary}`,
  ];
}

/**
 * The whole timeline of one transcript, ending in a newline.
 *
 * @example io.out(renderTimeline(transcript, palette(false), { title: 'HTLC hold', scenarioTitle: 'Recipient offline 6 hours' }))
 */
export function renderTimeline(
  t: Transcript,
  p: Palette,
  names: { title?: string; scenarioTitle?: string } = {},
): string {
  const roles = rolesOf(t);
  const startIso = new Date(t.start * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  const head = [
    p.bold(`${t.scheme}${names.title ? ` — ${names.title}` : ''}`),
    `scenario ${t.scenario}${names.scenarioTitle ? `: ${names.scenarioTitle}` : ''} · seed ${t.seed} · virtual start ${startIso}`,
    p.dim(`nodes: ${roles.map((r, i) => `${i + 1} ${r}`).join(', ')}  (● online, ○ offline)`),
    '',
  ];
  return `${[...head, ...renderEvents(t, p), '', ...renderSummary(t, p)].join('\n')}\n`;
}
