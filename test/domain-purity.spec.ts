// Proves the lint rule that keeps libs/domain pure actually fires (and stays quiet on pure code).
import { lintFixtures } from './support/lint';

const refused: Array<[string, string]> = [
  ["import { Injectable } from '@nestjs/common';\nexport const x = Injectable;", 'no-restricted-imports'],
  ["import { Pool } from 'pg';\nexport const x = Pool;", 'no-restricted-imports'],
  ["import { Kafka } from 'kafkajs';\nexport const x = Kafka;", 'no-restricted-imports'],
  [
    "import { EVENT_STORE } from '@ledger/event-store';\nexport const x = EVENT_STORE;",
    'no-restricted-imports',
  ],
  ['export const now = Date.now();', 'no-restricted-syntax'],
  ['export const now = new Date();', 'no-restricted-syntax'],
  ['export const id = Math.random();', 'no-restricted-syntax'],
];

describe('the domain purity rule', () => {
  let refusals: string[][];
  let accepted: string[][];

  beforeAll(() => {
    const linted = lintFixtures([
      ...refused.map(([source]) => ({ filePath: 'libs/domain/src/fixture.ts', source })),
      {
        filePath: 'libs/domain/src/fixture.ts',
        source: "export const at = new Date('2026-01-01T00:00:00Z');",
      },
      { filePath: 'apps/ledger-api/src/fixture.ts', source: 'export const now = Date.now();' },
    ]);
    refusals = linted.slice(0, refused.length);
    accepted = linted.slice(refused.length);
  });

  it.each(refused.map(([source, rule], i) => [source, rule, i] as const))(
    'refuses %j in libs/domain',
    (_source, rule, i) => {
      expect(refusals[i]!.join('\n')).toContain(rule);
    },
  );

  it('accepts parsing a given instant, and the same clock call outside the domain', () => {
    expect(accepted).toEqual([[], []]);
  });
});
