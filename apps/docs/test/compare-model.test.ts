import { describe, expect, it } from 'vitest';
import { compareTables, rowsOf } from '../src/components/compare-model.js';

describe('compare-model', () => {
  it('finds no tables in an empty comparison', () => {
    expect(compareTables({ columns: ['scheme', 'scenario', 'bytes'], rows: [] })).toEqual([]);
    expect(compareTables({ nothing: true })).toEqual([]);
    expect(rowsOf('not a table')).toBeUndefined();
  });

  it('transposes per scenario, in the listed order, with units in the measure names', () => {
    const data = {
      columns: ['scheme', 'scenario', 'bytes', 'settles'],
      units: { bytes: 'bytes' },
      scenarios: [
        { id: 'b', title: 'Scenario B' },
        { id: 'a', title: 'Scenario A' },
      ],
      rows: [
        { scheme: 'x', scenario: 'a', bytes: 1, settles: true },
        { scheme: 'y', scenario: 'a', bytes: 2, settles: false },
        { scheme: 'x', scenario: 'b', bytes: 3, settles: true },
      ],
    };
    expect(compareTables(data)).toEqual([
      {
        title: 'Scenario B',
        columns: ['', 'x'],
        rows: [
          ['bytes (bytes)', 3],
          ['settles', true],
        ],
      },
      {
        title: 'Scenario A',
        columns: ['', 'x', 'y'],
        rows: [
          ['bytes (bytes)', 1, 2],
          ['settles', true, false],
        ],
      },
    ]);
  });

  it('keeps rows as rows when they name no scheme and scenario', () => {
    expect(compareTables([{ a: 1, b: 2 }, { a: 3 }])).toEqual([
      {
        columns: ['a', 'b'],
        rows: [
          [1, 2],
          [3, undefined],
        ],
      },
    ]);
  });

  it('shows who can steal and censor once, from the schemes, and not in every scenario table', () => {
    const data = {
      columns: ['scheme', 'scenario', 'bytes', 'canSteal', 'canCensor'],
      schemes: [
        { id: 'x', canSteal: 'no one', canCensor: 'the LSP' },
        { id: 'y', canSteal: 'the LSP', canCensor: 'anyone' },
      ],
      rows: [
        { scheme: 'x', scenario: 'a', bytes: 1, canSteal: 'no one', canCensor: 'the LSP' },
        { scheme: 'y', scenario: 'a', bytes: 2, canSteal: 'the LSP', canCensor: 'anyone' },
      ],
    };
    expect(compareTables(data)).toEqual([
      {
        title: 'Trust: the same in every scenario',
        columns: ['', 'x', 'y'],
        rows: [
          ['who can steal', 'no one', 'the LSP'],
          ['who can censor', 'the LSP', 'anyone'],
        ],
      },
      { title: 'a', columns: ['', 'x', 'y'], rows: [['bytes', 1, 2]] },
    ]);
  });
});
