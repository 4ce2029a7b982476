// Proves the lint rule that keeps libs/domain pure actually fires (and stays quiet on pure code).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');

function lintAs(filePath: string, source: string): string[] {
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/eslint/bin/eslint.js'),
      '--stdin',
      '--stdin-filename',
      filePath,
      '--format',
      'json',
    ],
    { cwd: root, input: source, encoding: 'utf8' },
  );
  const [report] = JSON.parse(result.stdout) as Array<{
    messages: Array<{ ruleId: string | null; message: string }>;
  }>;
  return report!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the domain purity rule', () => {
  it.each([
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
  ])('refuses %j in libs/domain', (source, rule) => {
    expect(lintAs('libs/domain/src/fixture.ts', source).join('\n')).toContain(rule);
  });

  it('accepts parsing a given instant, and the same clock call outside the domain', () => {
    expect(
      lintAs('libs/domain/src/fixture.ts', "export const at = new Date('2026-01-01T00:00:00Z');"),
    ).toEqual([]);
    expect(lintAs('apps/ledger-api/src/fixture.ts', 'export const now = Date.now();')).toEqual([]);
  });
});
