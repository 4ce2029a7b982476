// The rebuild's pass reads batches ahead of the one it folds, guessing where each starts; whatever the gaps
// in positions and whatever is appended while it reads, every event is folded exactly once, in order.
import fc from 'fast-check';
import type { EventStore, ReadAllOptions, StoredEvent } from '@ledger/event-store';
import { physicalName } from './generations';
import { rebuildProjections } from './rebuild';
import { positionsSeen, withScratchDocuments } from './testing';

/**
 * A feed in memory with the given gaps between positions; each read appends `appendPerRead` events, up to
 * `appendable` in all (so that following it to its end ends).
 */
function memoryFeed(gaps: readonly number[], initial: number, appendPerRead: number, appendable: number) {
  const events: StoredEvent[] = [];
  let position = 0;
  const append = (count: number) => {
    for (let i = 0; i < count; i++) {
      position += gaps[events.length % gaps.length]!;
      events.push({ position, type: 'Happened', streamId: 's', data: {} } as StoredEvent);
    }
  };
  append(initial);
  const store = {
    headPosition: async () => events[events.length - 1]?.position ?? 0,
    readAll: async ({ after, limit }: ReadAllOptions) => {
      await Promise.resolve();
      const page = events.filter((e) => e.position > after).slice(0, limit);
      // After the read: what a reader running at the same time may miss.
      const more = Math.min(appendPerRead, appendable);
      appendable -= more;
      append(more);
      return page;
    },
  };
  return { store: store as unknown as EventStore, events };
}

describe('rebuildProjections', () => {
  it('folds every event once and in order, across gaps and appends made while it reads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        (gaps, initial, appendPerRead, appendable, batchSize) =>
          withScratchDocuments(async (documents) => {
            const { store, events } = memoryFeed(gaps, initial, appendPerRead, appendable);
            const report = await rebuildProjections(store, documents, [positionsSeen], {
              switchMode: 'now',
              batchSize,
            });
            const built = await documents.get<{ positions: number[] }>(
              physicalName('positions_seen', report.projections[0]!.generation),
              'all',
            );
            const expected = events.filter((e) => e.position <= report.upToPosition).map((e) => e.position);
            expect(built?.positions ?? []).toEqual(expected);
            expect(report.events).toBe(expected.length);
            // Following to the end: nothing was there beyond what it reached when it stopped reading.
            expect(report.upToPosition).toBeGreaterThanOrEqual(
              initial === 0 ? 0 : events[initial - 1]!.position,
            );
          }),
      ),
      // The first examples catch up with a feed that grows as it is read: a read ahead started beyond the
      // head would pass over what is appended below its start (random cases seldom hit it).
      {
        numRuns: 150,
        examples: [
          [[1], 0, 2, 6, 5],
          [[1], 10, 3, 40, 5],
          [[2, 1], 3, 2, 20, 3],
        ],
      },
    );
  });
});
