import type { ReadAllOptions, StoredEvent } from './event-store.port';
import { FeedTail } from './feed-tail';

/** A feed in memory with gaps in its positions (as rolled-back appends leave), counting the reads it serves. */
function memoryFeed() {
  const events: StoredEvent[] = [];
  let position = 0;
  const feed = {
    reads: 0,
    grow(count: number) {
      for (let i = 0; i < count; i++) {
        position += i % 7 === 3 ? 2 : 1;
        events.push({ position, id: `e${position}` } as StoredEvent);
      }
    },
    read: async ({ after, limit }: ReadAllOptions) => {
      feed.reads++;
      await Promise.resolve();
      return events.filter((e) => e.position > after).slice(0, limit);
    },
  };
  return feed;
}

const positions = (events: readonly StoredEvent[]) => events.map((e) => e.position);

describe('FeedTail', () => {
  it('lets followers at the tail share one read of the store', async () => {
    const feed = memoryFeed();
    feed.grow(10);
    const tail = new FeedTail(feed.read);
    const [a, b, c] = await Promise.all([0, 0, 0].map(() => tail.readAll({ after: 0, limit: 100 })));
    expect(feed.reads).toBe(1);
    expect(positions(a!)).toEqual(positions(b!));
    expect(positions(c!)).toHaveLength(10);
    // A follower that was behind is served from memory, from where it stood.
    expect(positions(await tail.readAll({ after: a![3]!.position, limit: 2 }))).toEqual(
      positions(a!.slice(4, 6)),
    );
    expect(feed.reads).toBe(1);
  });

  it('always answers what the store itself would, whatever the followers ask', async () => {
    const feed = memoryFeed();
    const tail = new FeedTail(feed.read, 50);
    const followers = [0, 0, 0, 0];
    for (let round = 0; round < 400; round++) {
      if (round % 3 === 0) feed.grow((round * 7) % 30);
      const f = round % followers.length;
      const limit = 1 + ((round * 13) % 40);
      const expected = await feed.read({ after: followers[f]!, limit });
      const got = await tail.readAll({ after: followers[f]!, limit });
      // The tail may return fewer (the rest of its stretch), never other events, and never skips one.
      expect(positions(got)).toEqual(positions(expected).slice(0, got.length));
      if (expected.length > 0) expect(got.length).toBeGreaterThan(0);
      if (got.length > 0) followers[f] = got[got.length - 1]!.position;
      if (round % 50 === 49) followers[f] = 0; // one starts again from zero, far behind the stretch
    }
  });

  it('keeps no more than its capacity', async () => {
    const feed = memoryFeed();
    feed.grow(500);
    const tail = new FeedTail(feed.read, 100);
    let after = 0;
    for (;;) {
      const batch = await tail.readAll({ after, limit: 60 });
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!.position;
    }
    const reads = feed.reads;
    expect(await tail.readAll({ after: 0, limit: 10 })).toHaveLength(10); // long evicted: read again
    expect(feed.reads).toBe(reads + 1);
    expect((tail as unknown as { events: unknown[] }).events.length).toBeLessThanOrEqual(100);
  });
});
