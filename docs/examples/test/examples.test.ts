/**
 * Runs every example the documentation includes, as a reader would (`tsx <file>`), and checks what it
 * prints. An example file without an entry here fails the first test, so none goes unchecked.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** What each example prints: its exact lines, or a check of them when a run's details may change. */
const expected: Record<string, string[] | ((lines: string[]) => void)> = {
  'bigsize.ts': ['fd00fd', '253n'],
  'held-htlc-available.ts': ['ldk: 480100', 'spec: 4800'],
  'pay-for-signature.ts': [
    'lock S = 03b66be5966dfb2c1a3bcacddbd4ebfefb4d605760a8dced7e38c9ed003f66441b',
    's·G = S: true',
    "receipt verifies under Bob's key: true",
  ],
  'htlc-run.ts': (lines) => {
    // The flow of the HTLC page's sequence diagram, in order, and the outcome it describes.
    const flow = [
      'offer_paths_request',
      'offer_paths',
      'serve_static_invoice',
      'static_invoice_persisted',
      'invoice_request',
      'static_invoice',
      'update_add_htlc',
      'revoke_and_ack',
      'held_htlc_available',
      '(held)',
      'lsps5.onion_message_incoming',
      '(released)',
      'release_held_htlc',
      'update_add_htlc',
      'update_fulfill_htlc',
    ];
    inOrder(lines, flow);
    expect(lines.at(-1)).toMatch(/^settled: true after \d+ s, proof: none$/);
  },
  'unblock-run.ts': (lines) => {
    inOrder(lines, [
      'invoice_request',
      ': invoice,',
      'payment_unblock_hold',
      'update_add_htlc',
      'payment_unblock_available',
      '(held)',
      'lsps5.onion_message_incoming',
      '(released)',
      'payment_unblock_release',
      'update_add_htlc',
      'update_fulfill_htlc',
    ]);
    expect(lines.at(-1)).toMatch(/^settled: true after \d+ s, proof: preimage$/);
  },
};

/** Each step appears on a line after the previous step's. */
function inOrder(lines: string[], steps: string[]): void {
  let at = 0;
  for (const step of steps) {
    const found = lines.findIndex((line, i) => i >= at && line.includes(step));
    expect(found, `"${step}" after line ${at}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

function run(file: string): string[] {
  const out = execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', join(root, file)], {
    cwd: root,
    encoding: 'utf8',
  });
  return out.trimEnd().split('\n');
}

describe('docs examples', () => {
  const files = readdirSync(root).filter((f) => f.endsWith('.ts') && f !== 'vitest.config.ts');

  it('every example file has expected output', () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [file, check] of Object.entries(expected)) {
    it(`${file} prints what its page says`, () => {
      const lines = run(file);
      if (typeof check === 'function') check(lines);
      else expect(lines).toEqual(check);
    });
  }
});
