// Lints source text as if it were a file at a given path of this repository, with the repository's own
// ESLint config: how the specs prove that a lint rule fires. ESLint runs in a process of its own (Jest's
// module sandbox cannot load the ESM config), once for all the fixtures it is given.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../..');

const linter = `
const { ESLint } = require('eslint');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', async () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const reports = [];
  for (const { filePath, source } of JSON.parse(input)) {
    const [report] = await eslint.lintText(source, { filePath });
    reports.push(report.messages.map((m) => m.ruleId + ': ' + m.message));
  }
  process.stdout.write(JSON.stringify(reports));
});
`;

export interface LintFixture {
  /** Where the source pretends to live, relative to the repository root. */
  readonly filePath: string;
  readonly source: string;
}

/** Each fixture's problems as `ruleId: message`, in the fixtures' order. */
export function lintFixtures(fixtures: readonly LintFixture[]): string[][] {
  const result = spawnSync(process.execPath, ['-e', linter], {
    cwd: root,
    input: JSON.stringify(fixtures),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`eslint failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as string[][];
}
