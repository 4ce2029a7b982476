// Rebuilding every read model from zero gives exactly what following the feed live gave, batch boundaries
// and all, over random subject histories (the domain's own generator) on the real embedded storage.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SubjectEvent } from '@ledger/domain';
import { run, sequences } from '@ledger/domain/subject/testing/random-histories';
import type { StoredEvent } from '@ledger/event-store';
import { readsType, type Projection } from '../projection';
import { applyBatchToAll } from '../projection-runner';
import { SqliteDocumentStore } from '../storage/sqlite-document-store';
import { allProjections } from '.';

function stored(events: readonly SubjectEvent[]): StoredEvent[] {
  return events.map((event, i) => ({
    ...event,
    id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
    streamId: `subject-${(event.data as { subjectId: string }).subjectId}`,
    revision: i,
    position: i + 1,
    recordedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    prevHash: null,
    hash: 'h',
    metadata: {
      occurredAt: '2026-01-01T00:00:00.000Z',
      schemaVersion: 1,
      policyVersion: '2025-01',
      actor: { userId: 'u', role: 'official', department: 'bureau', jurisdiction: '000000' },
    },
  }));
}

async function project(events: readonly StoredEvent[], batchSizes: readonly number[]): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'rebuild-'));
  const documents = await SqliteDocumentStore.open({ dataDir: dir });
  try {
    for (let from = 0, i = 0; from < events.length; i++) {
      const batch = events.slice(from, from + (batchSizes[i % batchSizes.length] ?? events.length));
      from += batch.length;
      await applyBatchToAll(
        documents,
        allProjections,
        allProjections.map(() => batch),
      );
    }
    const all: Record<string, unknown> = {};
    for (const projection of allProjections) {
      all[projection.name] = (await documents.query(projection.name, { limit: 100_000, offset: 0 })).items;
    }
    return all;
  } finally {
    await documents.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Folds events the way a runner does, without storage: id → document. */
function foldInMemory(projection: Projection<unknown>, events: readonly StoredEvent[]): Map<string, unknown> {
  const docs = new Map<string, unknown>();
  for (const event of events)
    for (const key of projection.documentIds(event)) {
      const next = projection.evolve(docs.get(key), event, key);
      if (next === null) docs.delete(key);
      else docs.set(key, next);
    }
  return docs;
}

describe('every read model', () => {
  it('ends the same when offered only the event types it declares as when offered every event', () => {
    const routed = allProjections.filter((projection) => projection.eventTypes !== undefined);
    expect(routed.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(sequences, (steps) => {
        const events = stored(run(steps).events);
        for (const projection of routed) {
          const declared = events.filter((event) => readsType(projection, event.type));
          expect({ [projection.name]: foldInMemory(projection, declared) }).toEqual({
            [projection.name]: foldInMemory(projection, events),
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it('folded stream by stream and merged in any order, ends as folded in feed order (read models with merge)', () => {
    const merging = allProjections.filter((projection) => projection.tuning?.merge !== undefined);
    expect(merging.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(
        fc.array(sequences, { minLength: 2, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 50 }),
        fc.nat(),
        (histories, choices, rotation) => {
          // Each history is a stream of its own; the feed interleaves them as the choices say. Histories spread
          // over two years and report on time, so penalties are moved into two months here, some of them late,
          // for documents that many streams share.
          const streams = histories.map((steps, s) =>
            stored(run(steps).events).map((event) => ({
              ...event,
              streamId: `subject-${s}`,
              data:
                event.type === 'PenaltyRecorded'
                  ? {
                      ...(event.data as object),
                      reporting: {
                        reportedOn: `2026-0${1 + (event.revision % 2)}-15`,
                        late: (event.revision + s) % 3 > 0,
                      },
                    }
                  : event.data,
            })),
          );
          const queues = streams.map((events) => [...events]);
          const feed: StoredEvent[] = [];
          for (let k = 0; queues.some((queue) => queue.length > 0); k++) {
            const waiting = queues.filter((queue) => queue.length > 0);
            feed.push({
              ...waiting[choices[k % choices.length]! % waiting.length]!.shift()!,
              position: k + 1,
            });
          }
          const order = streams.map((_, s) => (s + rotation) % streams.length).reverse();
          for (const projection of merging) {
            const merged = new Map<string, unknown>();
            for (const s of order) {
              const own = feed.filter((event) => event.streamId === `subject-${s}`);
              for (const [id, doc] of foldInMemory(projection, own)) {
                const before = merged.get(id);
                merged.set(id, before === undefined ? doc : projection.tuning!.merge!(before, doc));
              }
            }
            expect({ [projection.name]: merged }).toEqual({
              [projection.name]: foldInMemory(projection, feed),
            });
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is the same rebuilt from zero in one pass as followed live in batches of any size', async () => {
    await fc.assert(
      fc.asyncProperty(
        sequences,
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
        async (steps, sizes) => {
          const events = stored(run(steps).events);
          const live = await project(events, sizes);
          const rebuilt = await project(events, [events.length]);
          expect(rebuilt).toEqual(live);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('changes nothing when a batch is applied twice (replay after a crash before the checkpoint)', async () => {
    const events = stored(run(fc.sample(sequences, { numRuns: 1, seed: 7 })[0]!).events);
    const once = await project(events, [3]);
    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    const documents = await SqliteDocumentStore.open({ dataDir: dir });
    for (let from = 0; from < events.length; from += 3) {
      const batch = events.slice(from, from + 3);
      await applyBatchToAll(
        documents,
        allProjections,
        allProjections.map(() => batch),
      );
      await applyBatchToAll(
        documents,
        allProjections,
        allProjections.map(() => batch),
      ); // redelivered
    }
    const twice: Record<string, unknown> = {};
    for (const projection of allProjections) {
      twice[projection.name] = (await documents.query(projection.name, { limit: 100_000, offset: 0 })).items;
    }
    await documents.close();
    rmSync(dir, { recursive: true, force: true });
    expect(twice).toEqual(once);
  });
});
