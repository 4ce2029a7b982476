// The stream-by-stream pass merges each stream's share of a merging read model into one document: whatever the
// number of streams and however their events interleave in the feed, the result is the feed-order fold.
import fc from 'fast-check';
import type { RebuildReads, ReadStreamsOptions, StoredEvent } from '@ledger/event-store';
import type { Projection } from '../projection';
import { foldStreams } from './stream-pass';
import { positionsSeen, withScratchDocuments } from './testing';

/** Streams in memory, read stream after stream like PostgreSQL's (stream_id, revision) index. */
function memoryStreams(streamOfEachEvent: readonly number[]): { reads: RebuildReads; head: number } {
  const revisions = new Map<string, number>();
  const events = streamOfEachEvent.map((stream, i) => {
    const streamId = `s-${String(stream).padStart(3, '0')}`;
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    return { position: i + 1, streamId, revision, type: 'Happened', data: {} } as StoredEvent;
  });
  const ordered = [...events].sort((a, b) =>
    a.streamId === b.streamId ? a.revision - b.revision : a.streamId < b.streamId ? -1 : 1,
  );
  const reads: RebuildReads = {
    readStreams: async function* ({ upTo, after, limit }: ReadStreamsOptions) {
      await Promise.resolve();
      const beyond = (e: StoredEvent) =>
        after === undefined ||
        e.streamId > after.streamId ||
        (e.streamId === after.streamId && e.revision > after.revision);
      const page = ordered.filter((e) => e.position <= upTo && beyond(e)).slice(0, limit);
      // In arrivals of up to two events, as a database's rows come in.
      for (let i = 0; i < page.length; i += 2) yield page.slice(i, i + 2);
    },
  };
  return { reads, head: events.length };
}

describe('foldStreams', () => {
  it('merges every stream of a merging read model into the feed-order document', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 9 }),
        (streamOfEachEvent, pageSize) =>
          withScratchDocuments(async (documents) => {
            const { reads, head } = memoryStreams(streamOfEachEvent);
            const target = {
              projection: positionsSeen as Projection<unknown>,
              name: 'built',
              written: new Set<string>(),
            };
            await foldStreams(reads, documents, [target], { until: head, pageSize });
            const built = await documents.get<{ positions: number[] }>('built', 'all');
            expect(built?.positions).toEqual(streamOfEachEvent.map((_, i) => i + 1));
          }),
      ),
      { numRuns: 100, examples: [[[...Array(40).keys()], 3]] },
    );
  });
});
