// One contract for every store adapter. Each adapter's *.contract.test.ts runs it against the real thing.
import { randomUUID } from 'node:crypto';
import {
  EventSigning,
  FeedIntegrityError,
  FeedVerifier,
  hashEvent,
  IdempotencyConflict,
  InvalidEvent,
  offersRebuildReads,
  verifyStreamChain,
  WrongExpectedRevision,
  type EventStore,
  type NewEvent,
  type RebuildReads,
  type StoredEvent,
} from '../src';

export interface ContractHarness {
  /** Opens the store under test; the same harness reopens the same data. `clock` fixes record time. */
  open(options?: { clock?: () => Date; signing?: EventSigning | null }): Promise<EventStore>;
  /**
   * Changes the stored data of the event at a position directly in the database, behind the store's back.
   * Absent where the storage cannot be edited in place (KurrentDB's log is immutable).
   */
  tamperWithData?(position: number, data: unknown): Promise<void>;
  /** Rewrites an event's data and hash (a forger who recomputes the chain hash), behind the store's back. */
  forgeEvent?(position: number, fields: { data: unknown; hash: string }): Promise<void>;
  /** False where the store cannot look an event id up outside its stream (KurrentDB). */
  readonly detectsIdReuseAcrossStreams?: boolean;
  /**
   * Starts an append in a transaction that stays open until `commit` is called (servers with concurrent
   * writers only). Returns the position the event will have.
   */
  holdOpenAppend?(streamId: string, event: NewEvent): Promise<{ position: number; commit(): Promise<void> }>;
  /** False where the store cannot read stream by stream (KurrentDB: rebuilds follow the feed there). */
  readonly offersRebuildReads?: boolean;
}

export function newEvent(type = 'SomethingHappened', data: unknown = { value: 1 }): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: { occurredAt: '2026-03-01T08:00:00.000Z', schemaVersion: 1 },
  };
}

const stream = (label: string) => `${label}-${randomUUID()}`;

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const steps: T[] = [];
  for await (const step of iterable) steps.push(step);
  return steps;
}

export function eventStoreContract(harness: ContractHarness): void {
  let store: EventStore;
  beforeEach(async () => {
    store = await harness.open();
  });
  afterEach(async () => {
    await store.close();
  });

  describe('appending with an expected revision', () => {
    it('writes a new stream from revision 0 and returns revisions and increasing positions', async () => {
      const id = stream('subject');
      const events = [newEvent('A'), newEvent('B'), newEvent('C')];
      const result = await store.append(id, events, { expectedRevision: 'no_stream' });
      expect(result.nextExpectedRevision).toBe(2);
      expect(result.events.map((e) => e.revision)).toEqual([0, 1, 2]);
      const positions = result.events.map((e) => e.position);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(new Set(positions).size).toBe(3);
      expect(result.position).toBe(positions[2]);

      const read = await store.readStream(id);
      expect(read.map((e) => [e.id, e.type, e.revision, e.position])).toEqual(
        events.map((e, i) => [e.id, e.type, i, positions[i]]),
      );
      expect(read[0]!.data).toEqual({ value: 1 });
      expect(read[0]!.metadata.occurredAt).toBe('2026-03-01T08:00:00.000Z');
      expect(Date.parse(read[0]!.recordedAt)).not.toBeNaN();
    });

    it('appends at the exact revision and refuses a stale one with the actual revision', async () => {
      const id = stream('subject');
      await store.append(id, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
      await store.append(id, [newEvent()], { expectedRevision: 1 });
      const stale = store.append(id, [newEvent()], { expectedRevision: 1 });
      await expect(stale).rejects.toBeInstanceOf(WrongExpectedRevision);
      await expect(stale).rejects.toMatchObject({
        actual: 2,
        expected: 1,
        code: 'STORE.WRONG_EXPECTED_REVISION',
      });
      expect(await store.readStream(id)).toHaveLength(3);
    });

    it("refuses 'no_stream' on an existing stream and a revision on a missing one", async () => {
      const id = stream('subject');
      await store.append(id, [newEvent()], { expectedRevision: 'no_stream' });
      await expect(store.append(id, [newEvent()], { expectedRevision: 'no_stream' })).rejects.toMatchObject({
        actual: 0,
      });
      await expect(
        store.append(stream('missing'), [newEvent()], { expectedRevision: 0 }),
      ).rejects.toMatchObject({
        actual: 'no_stream',
      });
    });

    it("appends with 'any' whatever the revision", async () => {
      const id = stream('subject');
      await store.append(id, [newEvent()]);
      const result = await store.append(id, [newEvent()], { expectedRevision: 'any' });
      expect(result.nextExpectedRevision).toBe(1);
    });

    it('lets exactly one of 20 concurrent appenders at the same revision win', async () => {
      const id = stream('subject');
      await store.append(id, [newEvent()], { expectedRevision: 'no_stream' });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, () => store.append(id, [newEvent()], { expectedRevision: 0 })),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(19);
      lost.forEach((o) => expect(o.reason).toBeInstanceOf(WrongExpectedRevision));
      expect(await store.readStream(id)).toHaveLength(2);
    });
  });

  describe('idempotent retries', () => {
    it('answers a retried append with the original result and writes nothing new', async () => {
      const id = stream('subject');
      const events = [newEvent('A'), newEvent('B')];
      const first = await store.append(id, events, { expectedRevision: 'no_stream' });
      const head = await store.headPosition();
      const retry = await store.append(id, events, { expectedRevision: 'no_stream' });
      expect(retry).toEqual({ ...first, idempotentReplay: true });
      const retryAny = await store.append(id, events, { expectedRevision: 'any' });
      expect(retryAny.events).toEqual(first.events);
      expect(await store.readStream(id)).toHaveLength(2);
      expect(await store.headPosition()).toBe(head);
    });

    it('refuses an event id reused with different content', async () => {
      const id = stream('subject');
      const event = newEvent('A', { value: 1 });
      await store.append(id, [event]);
      await expect(store.append(id, [{ ...event, data: { value: 2 } }])).rejects.toBeInstanceOf(
        IdempotencyConflict,
      );
      if (harness.detectsIdReuseAcrossStreams !== false) {
        await expect(store.append(stream('other'), [event])).rejects.toBeInstanceOf(IdempotencyConflict);
      }
      expect(await store.readStream(id)).toHaveLength(1);
    });

    it('keeps concurrent retries of one append to a single write', async () => {
      const id = stream('subject');
      const events = [newEvent()];
      const results = await Promise.all(
        Array.from({ length: 8 }, () => store.append(id, events, { expectedRevision: 'any' })),
      );
      expect(new Set(results.map((r) => r.position)).size).toBe(1);
      expect(await store.readStream(id)).toHaveLength(1);
    });
  });

  describe('bad input writes nothing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases: Array<[string, () => [string, NewEvent[]]]> = [
      ['an empty stream id', () => ['', [newEvent()]]],
      ['a malformed stream id', () => ['has space/and slash', [newEvent()]]],
      ['a stream id that is too long', () => ['s'.repeat(201), [newEvent()]]],
      ['no events', () => [stream('s'), []]],
      ['an event without a type', () => [stream('s'), [{ ...newEvent(), type: '' }]]],
      ['an event id that is not a UUID', () => [stream('s'), [{ ...newEvent(), id: 'not-a-uuid' }]]],
      ['a BigInt in data', () => [stream('s'), [newEvent('A', { amount: BigInt(1) })]]],
      ['a function in data', () => [stream('s'), [newEvent('A', { f: () => 1 })]]],
      ['NaN in data', () => [stream('s'), [newEvent('A', { n: Number.NaN })]]],
      ['a cyclic object', () => [stream('s'), [newEvent('A', cyclic)]]],
      ['a Date object instead of a string', () => [stream('s'), [newEvent('A', { at: new Date(0) })]]],
      ['an oversized event', () => [stream('s'), [newEvent('A', { text: 'x'.repeat(300 * 1024) })]]],
      [
        'a missing occurredAt',
        () => [stream('s'), [{ ...newEvent(), metadata: { schemaVersion: 1 } as never }]],
      ],
      [
        'the same id twice in one append',
        () => {
          const e = newEvent();
          return [stream('s'), [e, e]];
        },
      ],
    ];
    it.each(cases)('refuses %s with InvalidEvent', async (_name, make) => {
      const head = await store.headPosition();
      const [streamId, events] = make();
      await expect(store.append(streamId, events)).rejects.toBeInstanceOf(InvalidEvent);
      expect(await store.headPosition()).toBe(head);
    });

    it('names the offending field', async () => {
      await expect(
        store.append(stream('s'), [newEvent('A', { nested: { n: Infinity } })]),
      ).rejects.toMatchObject({
        field: 'events[0].data.nested.n',
      });
    });
  });

  describe('reading', () => {
    it('reads a stream between revisions and as it was at a record time', async () => {
      let now = Date.parse('2026-05-01T00:00:00.000Z');
      await store.close();
      store = await harness.open({ clock: () => new Date(now) });
      const id = stream('subject');
      await store.append(id, [newEvent('A'), newEvent('B')]);
      now += 60_000;
      await store.append(id, [newEvent('C')]);
      expect((await store.readStream(id, { fromRevision: 1 })).map((e) => e.type)).toEqual(['B', 'C']);
      expect((await store.readStream(id, { toRevision: 0 })).map((e) => e.type)).toEqual(['A']);
      expect(
        (await store.readStream(id, { recordedUpTo: '2026-05-01T00:00:30.000Z' })).map((e) => e.type),
      ).toEqual(['A', 'B']);
      expect(
        (await store.readStream(id, { recordedUpTo: '2026-05-01T08:00:30+08:00' })).map((e) => e.type),
      ).toEqual(['A', 'B']);
      expect(await store.readStream(stream('missing'))).toEqual([]);
    });

    it('reads the global feed in position order, in batches from a position', async () => {
      const from = await store.headPosition();
      const ids = [stream('a'), stream('b')];
      for (let i = 0; i < 5; i++) await store.append(ids[i % 2]!, [newEvent(`E${i}`)]);
      const first = await store.readAll({ after: from, limit: 3 });
      const rest = await store.readAll({ after: first[2]!.position, limit: 100 });
      const all = [...first, ...rest].filter((e) => ids.includes(e.streamId));
      expect(all.map((e) => e.type)).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
      expect(await store.headPosition()).toBe(all[4]!.position);
    });

    (harness.offersRebuildReads === false ? it.skip : it)(
      'offers a rebuild its read: stream after stream up to a position',
      async () => {
        expect(offersRebuildReads(store)).toBe(true);
        const reads = store as EventStore & RebuildReads;
        const [x, y] = [stream('x'), stream('y')];
        await store.append(y, [newEvent('A'), newEvent('B')]);
        await store.append(x, [newEvent('C')]);
        await store.append(y, [newEvent('D')]);
        const head = await store.headPosition();
        await store.append(x, [newEvent('E')]); // past the head: never read
        const seen: StoredEvent[] = [];
        for (let last: StoredEvent | undefined; ;) {
          const after = last && { streamId: last.streamId, revision: last.revision };
          const page = (await collect(reads.readStreams({ upTo: head, after, limit: 3 }))).flat();
          expect(page.length).toBeLessThanOrEqual(3);
          seen.push(...page);
          if (page.length < 3) break;
          last = page[page.length - 1];
        }
        // Every stream in one run, each by revision; nothing past the head.
        const runs = seen.map((e) => e.streamId).filter((id, i, ids) => id !== ids[i - 1]);
        expect(new Set(runs).size).toBe(runs.length);
        const mine = seen.filter((e) => e.streamId === x || e.streamId === y);
        const byStream = (id: string) => mine.filter((e) => e.streamId === id).map((e) => e.type);
        expect([byStream(y), byStream(x)]).toEqual([['A', 'B', 'D'], ['C']]);
        expect(mine.every((e) => e.position <= head)).toBe(true);
      },
    );

    (harness.offersRebuildReads === false ? it.skip : it)(
      'stops once the rebuild throws in its loop, rejects with its error, and reads on afterwards',
      async () => {
        const reads = store as EventStore & RebuildReads;
        const id = stream('thrown');
        await store.append(id, [newEvent('A'), newEvent('B'), newEvent('C')]);
        const head = await store.headPosition();
        const after = { streamId: id, revision: -1 };
        const handed: string[] = [];
        const fold = async () => {
          for await (const arrived of reads.readStreams({ upTo: head, after, limit: 3 }))
            for (const e of arrived) {
              handed.push(e.type);
              if (e.type === 'B') throw new Error('fold failed');
            }
        };
        await expect(fold()).rejects.toThrow('fold failed');
        expect(handed).toEqual(['A', 'B']);
        // The connection it read on is still good (PostgreSQL: the rest of the page was let through).
        const again = (await collect(reads.readStreams({ upTo: head, after, limit: 3 }))).flat();
        expect(again.map((e) => e.type)).toEqual(['A', 'B', 'C']);
      },
    );

    (harness.offersRebuildReads === false ? it.skip : it)(
      'yields a page in arrivals, and a loop that breaks mid-page yields nothing more and releases its connection',
      async () => {
        const reads = store as EventStore & RebuildReads;
        const id = stream('broken');
        const bulky = { text: 'x'.repeat(400) }; // a page of many network packets (PostgreSQL)
        for (let i = 0; i < 6; i++)
          await store.append(
            id,
            Array.from({ length: 500 }, (_, j) => newEvent(`E${i * 500 + j}`, bulky)),
          );
        const head = await store.headPosition();
        const after = { streamId: id, revision: -1 };
        const limit = 2000;
        // More early stops than a PostgreSQL pool has connections (20): one left checked out would hang a read.
        for (let stop = 0; stop < 25; stop++) {
          const iterable = reads.readStreams({ upTo: head, after, limit });
          const iterator = iterable[Symbol.asyncIterator]();
          const first = await iterator.next();
          expect(first.done).toBe(false);
          const arrival = first.value as readonly StoredEvent[];
          // Rows are handed over as they arrive, not as one page.
          expect(arrival.length).toBeGreaterThan(0);
          expect(arrival.length).toBeLessThan(limit);
          expect(arrival[0]!.type).toBe('E0');
          await iterator.return?.(undefined); // what `break` calls
          expect(await iterator.next()).toEqual({ done: true, value: undefined });
        }
        let broken = 0;
        for await (const arrived of reads.readStreams({ upTo: head, after, limit })) {
          broken += arrived.length;
          break;
        }
        expect(broken).toBeGreaterThan(0);
        // The store reads on: the same page whole, then the rest past its cursor.
        const page = (await collect(reads.readStreams({ upTo: head, after, limit }))).flat();
        expect(page.map((e) => e.type)).toEqual(Array.from({ length: limit }, (_, i) => `E${i}`));
        const rest = (
          await collect(
            reads.readStreams({ upTo: head, after: { streamId: id, revision: limit - 1 }, limit }),
          )
        )
          .flat()
          .filter((e) => e.streamId === id);
        expect(rest.map((e) => e.revision)).toEqual(Array.from({ length: 1000 }, (_, i) => limit + i));
      },
    );
  });

  describe('the global feed under concurrent writers', () => {
    it('delivers every event exactly once, in position order, to a subscriber following from a checkpoint', async () => {
      const checkpoint = await store.headPosition();
      const seen: StoredEvent[] = [];
      const subscription = store.subscribe({
        after: checkpoint,
        batchSize: 200,
        handler: async (batch) => void seen.push(...batch),
      });
      const writers = 8;
      const perWriter = 500;
      const written: string[] = [];
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let i = 0; i < perWriter; i++) {
            const event = newEvent('Written', { w, i });
            written.push(event.id);
            await store.append(`feed-${w}-${i % 25}-${checkpoint}`, [event]);
          }
        }),
      );
      const head = await store.headPosition();
      await subscription.waitFor(head, 30_000);
      await subscription.stop();
      const positions = seen.map((e) => e.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
      const mine = new Set(written);
      expect(seen.filter((e) => mine.has(e.id))).toHaveLength(writers * perWriter);
    }, 120_000);

    if (harness.holdOpenAppend) {
      it('does not pass an event whose transaction commits after later positions', async () => {
        const checkpoint = await store.headPosition();
        const slow = await harness.holdOpenAppend!(stream('slow'), newEvent('Slow'));
        const fast = await store.append(stream('fast'), [newEvent('Fast')]);
        expect(fast.position).toBeGreaterThan(slow.position);
        // The later position has committed, the earlier one has not: a reader must wait for it.
        const early = await store.readAll({ after: checkpoint, limit: 100 });
        expect(early.map((e) => e.position)).not.toContain(fast.position);
        await slow.commit();
        const late = await store.readAll({ after: checkpoint, limit: 100 });
        expect(late.map((e) => e.type)).toEqual(['Slow', 'Fast']);
      });

      it('answers the head once every append committed before the call is readable', async () => {
        const slow = await harness.holdOpenAppend!(stream('slow'), newEvent('Slow'));
        const fast = await store.append(stream('fast'), [newEvent('Fast')]);
        // Asked while the earlier position is open, the head waits for it rather than answer short.
        const head = store.headPosition();
        await new Promise((resolve) => setTimeout(resolve, 100));
        await slow.commit();
        expect(await head).toBe(fast.position);
      });
    }
  });

  describe('subscriptions', () => {
    it('catches up from a checkpoint, then follows live appends', async () => {
      const id = stream('live');
      const before = await store.append(id, [newEvent('Before1'), newEvent('Before2')]);
      const seen: string[] = [];
      const subscription = store.subscribe({
        after: before.events[0]!.position,
        handler: async (batch) =>
          void seen.push(...batch.filter((e) => e.streamId === id).map((e) => e.type)),
      });
      await subscription.waitFor(before.position);
      const live = await store.append(id, [newEvent('Live')]);
      await subscription.waitFor(live.position);
      await subscription.stop();
      expect(seen).toEqual(['Before2', 'Live']);
    });

    it('redelivers a batch whose handler failed, so nothing is lost', async () => {
      const id = stream('retry');
      const start = await store.headPosition();
      const appended = await store.append(id, [newEvent('Once')]);
      let failures = 0;
      const seen: string[] = [];
      const subscription = store.subscribe({
        after: start,
        handler: async (batch) => {
          if (failures++ === 0) throw new Error('handler failed');
          seen.push(...batch.filter((e) => e.streamId === id).map((e) => e.type));
        },
      });
      await subscription.waitFor(appended.position);
      await subscription.stop();
      expect(seen).toEqual(['Once']);
    });
  });

  describe('tamper evidence', () => {
    (harness.tamperWithData ? it : it.skip)(
      'chains every stream by hash, and detects an event altered in the database',
      async () => {
        const id = stream('chain');
        const result = await store.append(id, [newEvent('A'), newEvent('B'), newEvent('C')]);
        await store.append(id, [newEvent('D')]);
        const events = await store.readStream(id);
        expect(events[0]!.prevHash).toBeNull();
        expect(events[1]!.prevHash).toBe(events[0]!.hash);
        expect(verifyStreamChain(events)).toBeUndefined();

        await harness.tamperWithData!(result.events[1]!.position, { value: 999 });
        const tampered = await store.readStream(id);
        expect(verifyStreamChain(tampered)).toMatchObject({ revision: 1, reason: 'hash_mismatch' });
      },
    );
  });

  describe('signatures at write', () => {
    const key = (fill: number) => Buffer.alloc(32, fill);
    const signing = (ids: readonly string[], unsignedUpTo = 0) =>
      new EventSigning({
        keys: new Map(ids.map((kid) => [kid, key(kid.charCodeAt(kid.length - 1))])),
        signingKeyId: ids[ids.length - 1]!,
        unsignedUpTo,
      });

    it('signs every event with the development key when given none, the key id on the row', async () => {
      const id = stream('signed');
      await store.append(id, [newEvent('A'), newEvent('B')]);
      const events = await store.readStream(id);
      expect(events.map((e) => e.keyId)).toEqual(['dev', 'dev']);
      for (const event of events) {
        expect(event.signature).toMatch(/^[0-9a-f]{64}$/);
        expect(EventSigning.development().check(event)).toEqual({ ok: true, legacy: false });
      }
      const [fromFeed] = (await store.readAll({ after: events[0]!.position - 1, limit: 1 })).filter(
        (e) => e.id === events[0]!.id,
      );
      expect(fromFeed).toMatchObject({ signature: events[0]!.signature, keyId: 'dev' });
    });

    it('signs with the newest configured key; older keys keep verifying after a rotation', async () => {
      const id = stream('rotated');
      await store.close();
      store = await harness.open({ signing: signing(['k1']) });
      await store.append(id, [newEvent('A')]);
      await store.close();
      store = await harness.open({ signing: signing(['k1', 'k2']) });
      await store.append(id, [newEvent('B')]);
      const events = await store.readStream(id);
      expect(events.map((e) => e.keyId)).toEqual(['k1', 'k2']);
      expect(events.map((e) => signing(['k1', 'k2']).check(e).ok)).toEqual([true, true]);
      // Without the retired key, its rows are unverifiable, never silently accepted.
      expect(signing(['k2']).check(events[0]!)).toMatchObject({ ok: false, reason: 'signature_unknown_key' });
      expect(EventSigning.development().check(events[1]!)).toMatchObject({
        ok: false,
        reason: 'signature_unknown_key',
      });
    });

    it('leaves rows unsigned when opened without signing: legacy up to the configured bound, forgeries above', async () => {
      await store.close();
      store = await harness.open({ signing: null });
      const id = stream('unsigned');
      const written = await store.append(id, [newEvent('A'), newEvent('B')]);
      const events = await store.readStream(id);
      expect(events.map((e) => [e.signature, e.keyId])).toEqual([
        [null, null],
        [null, null],
      ]);
      const bound = EventSigning.development(written.events[0]!.position);
      expect(bound.check(events[0]!)).toEqual({ ok: true, legacy: true });
      expect(bound.check(events[1]!)).toMatchObject({ ok: false, reason: 'signature_missing' });
    });

    (harness.forgeEvent ? it : it.skip)(
      'a row rewritten in the database with a correctly recomputed hash fails its signature',
      async () => {
        const id = stream('forged');
        const written = await store.append(id, [newEvent('A', { fine: 2 })]);
        const [original] = await store.readStream(id);
        const data = { fine: 20_000 };
        const hash = hashEvent({ ...original!, data });
        await harness.forgeEvent!(written.position, { data, hash });
        const [forged] = await store.readStream(id);
        expect(forged!.data).toEqual(data);
        expect(verifyStreamChain([forged!])).toBeUndefined(); // the chain alone is fooled
        expect(EventSigning.development().check(forged!)).toMatchObject({
          ok: false,
          reason: 'signature_mismatch',
        });
      },
    );
  });

  describe('verifying the feed before acting on it (FeedVerifier)', () => {
    const own = (events: readonly StoredEvent[], ids: readonly string[]) =>
      events.filter((e) => ids.includes(e.streamId));

    it("passes what the store wrote, reading a stream's predecessor when it starts mid-stream", async () => {
      const [a, b] = [stream('verified'), stream('verified')];
      const first = await store.append(a, [newEvent('A'), newEvent('B')]);
      await store.append(b, [newEvent('C')]);
      await store.append(a, [newEvent('D')]);
      await store.append(b, [newEvent('E')]);
      const feed = own(await store.readAll({ after: first.events[0]!.position - 1, limit: 1000 }), [a, b]);
      expect(await new FeedVerifier(store).verify(feed)).toEqual({ verified: feed });
      // A stream that starts in the batch and goes on in it chains from within the batch.
      const fresh = stream('verified');
      const three = await store.append(fresh, [newEvent('A'), newEvent('B'), newEvent('C')]);
      const threeRead = own(await store.readAll({ after: three.events[0]!.position - 1, limit: 10 }), [
        fresh,
      ]);
      expect(await new FeedVerifier(store).verify(threeRead)).toEqual({ verified: threeRead });
      // A follower whose checkpoint lies inside the streams checks each link against the stored predecessor.
      const later = feed.slice(2);
      expect(await new FeedVerifier(store).verify(later)).toEqual({ verified: later });
      // Handing a batch again (a retry) passes it again.
      const verifier = new FeedVerifier(store);
      await verifier.verify(feed);
      expect((await verifier.verify(feed)).violation).toBeUndefined();
    });

    (harness.forgeEvent ? it : it.skip)(
      'stops a follower at a forged row with a correct chain hash: what came before is handled, it never is',
      async () => {
        const id = stream('follower');
        const written = await store.append(id, [newEvent('A'), newEvent('B', { fine: 2 }), newEvent('C')]);
        const [, target] = await store.readStream(id);
        const data = { fine: 20_000 };
        await harness.forgeEvent!(target!.position, { data, hash: hashEvent({ ...target!, data }) });

        const handled: StoredEvent[] = [];
        const errors: unknown[] = [];
        const verifier = new FeedVerifier(store);
        const subscription = store.subscribe({
          after: written.events[0]!.position - 1,
          handler: (batch) => verifier.pass(batch, async (events) => void handled.push(...events)),
          onError: (error) => errors.push(error),
        });
        try {
          await subscription.waitFor(written.events[0]!.position, 5_000);
          for (let i = 0; i < 100 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
          expect(errors).toHaveLength(1);
          const error = errors[0] as FeedIntegrityError;
          expect(error).toBeInstanceOf(FeedIntegrityError);
          expect(error.violation).toMatchObject({
            reason: 'signature_mismatch',
            position: target!.position,
            streamId: id,
            revision: 1,
          });
          expect(handled.map((e) => e.id)).toEqual([written.events[0]!.id]);
          expect(handled.map((e) => e.revision)).toEqual([0]);
          expect(subscription.position).toBe(written.events[0]!.position);
          // Stopped, not retrying: more appends are not handled, and no further error is reported.
          await store.append(stream('after'), [newEvent()]);
          await new Promise((r) => setTimeout(r, 300));
          expect(handled).toHaveLength(1);
          expect(errors).toHaveLength(1);
        } finally {
          await subscription.stop();
        }
      },
    );

    (harness.forgeEvent ? it : it.skip)(
      'names an edited row, a broken link and an unsigned row',
      async () => {
        const id = stream('checked');
        await store.append(id, [newEvent('A'), newEvent('B')]);
        const [e0, e1] = await store.readStream(id);
        const verifier = () => new FeedVerifier(store);
        expect((await verifier().verify([{ ...e0!, data: { value: 2 } }])).violation).toMatchObject({
          reason: 'hash_mismatch',
          position: e0!.position,
        });
        const relinked = { ...e1!, prevHash: 'f'.repeat(64) };
        expect(
          (await verifier().verify([e0!, { ...relinked, hash: hashEvent(relinked) }])).violation,
        ).toMatchObject({ reason: 'prev_hash_mismatch', revision: 1 });
        expect((await verifier().verify([e1!])).violation).toBeUndefined(); // its stored predecessor holds
        expect(
          (await verifier().verify([e0!, { ...e1!, signature: null, keyId: null }])).violation,
        ).toMatchObject({ reason: 'signature_missing', revision: 1 });
        expect((await verifier().verify([e1!, e0!])).violation).toMatchObject({ reason: 'position_order' });
        expect(
          (await new FeedVerifier(store, { signing: null }).verify([e0!, e1!])).violation,
        ).toBeUndefined();
      },
    );
  });

  describe('restart', () => {
    it('keeps everything across close and reopen, and appends on from there', async () => {
      const id = stream('durable');
      const written = await store.append(id, [newEvent('A'), newEvent('B')]);
      await store.close();
      store = await harness.open();
      const events = await store.readStream(id);
      expect(events.map((e) => e.type)).toEqual(['A', 'B']);
      // The feed's head may trail for a moment while other transactions on the server are open (PostgreSQL
      // readers stay below the oldest one), but it reaches what was written before the restart.
      let head = await store.headPosition();
      for (let i = 0; i < 100 && head < written.position; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        head = await store.headPosition();
      }
      expect(head).toBeGreaterThanOrEqual(written.position);
      await store.append(id, [newEvent('C')], { expectedRevision: 1 });
      expect(verifyStreamChain(await store.readStream(id))).toBeUndefined();
    });
  });
}
