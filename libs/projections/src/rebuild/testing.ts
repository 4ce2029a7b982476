// Shared by the rebuild's specs (not exported from the library).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Projection } from '../projection';
import { SqliteDocumentStore } from '../storage/sqlite-document-store';

/**
 * One document listing every position it was folded from. Merged, the lists interleave by position, so any
 * order of streams gives the feed-order document.
 */
export const positionsSeen: Projection<{ positions: number[] }> = {
  name: 'positions_seen',
  version: 1,
  documentIds: () => ['all'],
  evolve: (doc, event) => ({ positions: [...(doc?.positions ?? []), event.position] }),
  index: () => ({}),
  tuning: { merge: (a, b) => ({ positions: [...a.positions, ...b.positions].sort((x, y) => x - y) }) },
};

/** Runs `work` on an embedded document store in a directory of its own, removed afterwards. */
export async function withScratchDocuments<T>(
  work: (documents: SqliteDocumentStore) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'rebuild-spec-'));
  const documents = await SqliteDocumentStore.open({ dataDir: dir });
  try {
    return await work(documents);
  } finally {
    await documents.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
