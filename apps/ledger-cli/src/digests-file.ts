// Digests held outside the ledger (from Kafka, an earlier export, a regulator's archive): a JSON array,
// NDJSON of digests, or an export file's `{"kind":"digest"}` lines.
import { readFileSync } from 'node:fs';
import type { LedgerDigest } from '@ledger/audit';
import { UsageError } from './program';

export function readDigestsFile(path: string): LedgerDigest[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const trimmed = text.trim();
  const values: unknown[] = trimmed.startsWith('[')
    ? JSON.parse(trimmed)
    : trimmed
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l));
  const digests = values
    .map((value) =>
      (value as { kind?: string }).kind === 'digest' ? (value as { digest: unknown }).digest : value,
    )
    .filter((value) => (value as { kind?: string }).kind === undefined) as LedgerDigest[];
  for (const d of digests) {
    if (
      !Number.isSafeInteger(d.upToPosition) ||
      !Number.isSafeInteger(d.eventCount) ||
      !/^[0-9a-f]{64}$/.test(d.root ?? '')
    ) {
      throw new UsageError(`${path}: not a digest: ${JSON.stringify(d)}`);
    }
  }
  return digests;
}
