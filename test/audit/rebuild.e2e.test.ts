// Rebuilding read models without downtime: a new generation is built beside the live one while events
// keep arriving and readers keep reading; the live runner catches it up and switches; the result equals
// a rebuild from zero made afterwards, document for document.
import { auditProjections } from '@ledger/audit';
import {
  allProjections,
  GenerationalDocumentStore,
  physicalName,
  PostgresDocumentStore,
  ProjectionRunner,
  readPointers,
  rebuildProjections,
  SqliteDocumentStore,
  type DocumentStore,
  type Projection,
} from '@ledger/projections';
import {
  offersRebuildReads,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamsOptions,
  type RebuildReads,
} from '@ledger/event-store';
import { TEST_DATABASE_URL } from '../support/postgres';
import { SampleLedger, schools, teachers } from './support/sample-ledger';
import { openTamperable, type BackendName, type TamperableLedger } from './support/tamper';

const projections: readonly Projection<unknown>[] = [...allProjections, ...auditProjections];

/** The store, counting its stream-by-stream reads. */
function countingStreamReads(store: EventStore & RebuildReads) {
  let reads = 0;
  const counted = Object.assign(Object.create(store) as EventStore, {
    readStreams: (options: ReadStreamsOptions) => ((reads += 1), store.readStreams(options)),
  });
  return { counted, streamReads: () => reads };
}

async function everything(documents: DocumentStore, name: string): Promise<Map<string, unknown>> {
  const { items } = await documents.query(name, { limit: 100_000, offset: 0 });
  return new Map(items.map((item) => [item.id, item.doc]));
}

describe.each<BackendName>(['postgres', 'sqlite'])('rebuilding read models (%s)', (backend) => {
  let ledger: TamperableLedger;
  let inner: DocumentStore;

  beforeEach(async () => {
    ledger = await openTamperable(backend);
    inner =
      backend === 'postgres'
        ? await PostgresDocumentStore.open({
            connectionString: TEST_DATABASE_URL,
            schema: ledger.where.schema,
          })
        : await SqliteDocumentStore.open({ dataDir: ledger.where.dataDir! });
  });
  afterEach(async () => {
    await inner.close();
    await ledger.close();
  });

  it('builds beside the live read models while writes and reads go on, then the live runner switches to it', async () => {
    const sample = new SampleLedger(ledger.store);
    await sample.seed(2);
    const switches: Array<{ name: string; from: number; to: number; position: number }> = [];
    const live = await GenerationalDocumentStore.open(inner, {
      events: ledger.store,
      projections,
      handover: true,
      refreshMs: 50,
      onSwitch: (info) => void switches.push(info),
    });
    const runner = new ProjectionRunner(ledger.store, live, projections);
    await runner.start();
    await runner.waitFor(await ledger.store.headPosition());

    let writing = true;
    let written = 0;
    const writer = (async () => {
      for (let round = 10; writing; round++) {
        await sample.honour(schools[1]!.subjectId, `h-live-${round}`, '2025-02-10');
        await sample.penalty(teachers[0]!.subjectId, `t-live-${round}`, '2025-03-03');
        written += 1;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const misses: string[] = [];
    let reads = 0;
    const reader = (async () => {
      while (writing) {
        const status = await live.get<{ subjectId: string }>('subject_credit_status', schools[1]!.subjectId);
        if (!status) misses.push('subject status');
        const list = await live.query('list_red', { limit: 10, offset: 0 });
        if (list.total === 0) misses.push('red list');
        reads += 1;
        await new Promise((r) => setTimeout(r, 2)); // SQLite answers synchronously: let timers run
      }
    })();

    while (written < 2) await new Promise((r) => setTimeout(r, 10));
    const writtenBefore = written;
    const report = await rebuildProjections(ledger.store, inner, projections, { batchSize: 7 });
    expect(report.switched).toBe(false);
    expect(report.projections.map((p) => p.generation)).toEqual(projections.map(() => 1));
    // The live runner takes over the ready generation once it has reached the rebuilt position.
    const deadline = Date.now() + 10_000;
    let pointers = await readPointers(
      inner,
      projections.map((p) => p.name),
    );
    // The switch is stored before the live process reports it: wait for both.
    while (
      ([...pointers.values()].some((p) => p.live !== 1) || switches.length < projections.length) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 50));
      pointers = await readPointers(
        inner,
        projections.map((p) => p.name),
      );
    }
    expect([...pointers.values()].map((p) => [p.live, p.previous, p.next])).toEqual(
      projections.map(() => [1, 0, null]),
    );
    expect(written).toBeGreaterThan(writtenBefore); // events kept arriving while the rebuild ran
    // Each read model switched in the live process, at a position at or past what the rebuild reached.
    expect(switches.map((s) => s.name).sort()).toEqual(projections.map((p) => p.name).sort());
    for (const s of switches) expect(s.position).toBeGreaterThanOrEqual(report.upToPosition);
    // Keep writing a little after the switch: the runner now writes generation 1.
    const after = written;
    while (written < after + 2) await new Promise((r) => setTimeout(r, 10));
    writing = false;
    await Promise.all([writer, reader]);
    expect(misses).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    await runner.waitFor(await ledger.store.headPosition());
    await runner.stop();

    // Generation 1, built beside and then kept by the runner, equals a rebuild from zero made now.
    const fresh = await rebuildProjections(ledger.store, inner, projections, { switchMode: 'now' });
    expect(fresh.switched).toBe(true);
    for (const projection of projections) {
      const kept = await everything(inner, physicalName(projection.name, 1));
      const rebuilt = await everything(inner, physicalName(projection.name, 2));
      expect({ name: projection.name, docs: kept }).toEqual({ name: projection.name, docs: rebuilt });
    }
    live.stopRefreshing();
  });

  it('switches at once with nothing running, keeps one generation for rollback and drops the rest', async () => {
    await new SampleLedger(ledger.store).seed(1);
    const progress: number[] = [];
    const first = await rebuildProjections(ledger.store, inner, projections, {
      switchMode: 'now',
      batchSize: 5,
      onProgress: (p) => progress.push(p.events),
    });
    expect(first).toMatchObject({ switched: true, events: await ledger.store.headPosition() });
    expect(progress[progress.length - 1]).toBe(first.events);
    const second = await rebuildProjections(ledger.store, inner, projections, { switchMode: 'now' });
    const third = await rebuildProjections(ledger.store, inner, projections, { switchMode: 'now' });
    expect(third.projections[0]).toMatchObject({ generation: 3, replaced: 2 });
    const pointer = (await readPointers(inner, ['subject_credit_status'])).get('subject_credit_status')!;
    expect(pointer).toMatchObject({ live: 3, previous: 2, garbage: [1] });
    // Generation 0 was garbage after the second rebuild and was dropped by the third.
    expect((await everything(inner, 'subject_credit_status')).size).toBe(0);
    expect((await everything(inner, physicalName('subject_credit_status', 3))).size).toBe(
      schools.length + teachers.length,
    );
    expect(second.events).toBe(first.events);

    // Writing behind through a tiny cache (documents leave, are written, and are read back) gives the same.
    await rebuildProjections(ledger.store, inner, projections, {
      switchMode: 'now',
      cacheSize: 2,
      batchSize: 3,
    });
    for (const projection of projections) {
      expect(await everything(inner, physicalName(projection.name, 4))).toEqual(
        await everything(inner, physicalName(projection.name, 3)),
      );
    }
    // A reader in another process sees the live generation through the pointer.
    const reader = await GenerationalDocumentStore.open(inner, { events: ledger.store, projections });
    expect(reader.physical('subject_credit_status')).toBe('subject_credit_status__g4');
    expect(await reader.get('subject_credit_status', schools[0]!.subjectId)).toBeDefined();
    reader.stopRefreshing();
  });

  it('drops unread generations while it reads, and a rebuild that fails leaves them listed for the next', async () => {
    await new SampleLedger(ledger.store).seed(1);
    for (let i = 0; i < 3; i++)
      await rebuildProjections(ledger.store, inner, projections, { switchMode: 'now' });
    const name = 'subject_credit_status';
    const pointer = async () => (await readPointers(inner, [name])).get(name)!;
    expect(await pointer()).toMatchObject({ live: 3, previous: 2, garbage: [1] });
    expect((await everything(inner, physicalName(name, 1))).size).toBeGreaterThan(0);

    // The connection to the events is lost after the first read: the rebuild fails midway.
    let reads = 0;
    const once = <T>(read: () => Promise<T>) =>
      reads++ === 0 ? read() : Promise.reject(new Error('connection lost'));
    const store = ledger.store as EventStore & RebuildReads;
    const failing = Object.assign(Object.create(store) as EventStore, {
      readAll: (o: ReadAllOptions) => once(() => store.readAll(o)),
      readStreams: async function* (o: ReadStreamsOptions) {
        if (reads++ > 0) throw new Error('connection lost');
        yield* store.readStreams(o);
      },
    });
    await expect(
      rebuildProjections(failing, inner, projections, { switchMode: 'now', batchSize: 2 }),
    ).rejects.toThrow('connection lost');
    // Nothing is forgotten: generation 1 is still listed (dropped or not), and so is the failed build.
    expect(await pointer()).toMatchObject({ live: 3, previous: 2, building: 4, next: null, garbage: [1] });

    await rebuildProjections(ledger.store, inner, projections, { switchMode: 'now' });
    expect(await pointer()).toMatchObject({ live: 5, previous: 3, building: null, garbage: [2] });
    expect((await everything(inner, physicalName(name, 1))).size).toBe(0);
    expect((await everything(inner, physicalName(name, 4))).size).toBe(0);
    expect(await everything(inner, physicalName(name, 5))).toEqual(
      await everything(inner, physicalName(name, 3)),
    );
  });

  it('reads stream by stream where the store offers it, and ends with exactly what feed order gives', async () => {
    await new SampleLedger(ledger.store).seed(3);
    const store = ledger.store as EventStore & RebuildReads;
    const { counted, streamReads } = countingStreamReads(store);
    // The same store without its stream-by-stream reads: a rebuild then follows the feed in order.
    const feedOnly = Object.assign(Object.create(store) as EventStore, { readStreams: undefined });
    expect([offersRebuildReads(counted), offersRebuildReads(feedOnly)]).toEqual([true, false]);

    const byStream = await rebuildProjections(counted, inner, projections, {
      switchMode: 'now',
      batchSize: 4,
    });
    expect(streamReads()).toBeGreaterThan(1);
    const byFeed = await rebuildProjections(feedOnly, inner, projections, {
      switchMode: 'now',
      batchSize: 4,
    });
    expect(byStream.events).toBe(byFeed.events);
    expect(byStream.upToPosition).toBe(byFeed.upToPosition);
    for (const [i, projection] of projections.entries()) {
      const streamed = await everything(
        inner,
        physicalName(projection.name, byStream.projections[i]!.generation),
      );
      const followed = await everything(
        inner,
        physicalName(projection.name, byFeed.projections[i]!.generation),
      );
      expect({ name: projection.name, docs: streamed }).toEqual({ name: projection.name, docs: followed });
    }
    const statuses = await everything(
      inner,
      physicalName('subject_credit_status', byStream.projections[0]!.generation),
    );
    expect(statuses.size).toBe(schools.length + teachers.length);
  });

  it('follows the feed in order when a read model can neither be folded per stream nor merged', async () => {
    await new SampleLedger(ledger.store).seed(1);
    const { counted, streamReads } = countingStreamReads(ledger.store as EventStore & RebuildReads);
    const inOrder: Projection<{ last: string }> = {
      name: 'last_event_type',
      version: 1,
      documentIds: () => ['all'],
      evolve: (_doc, event) => ({ last: event.type }), // the feed's last event: depends on the order
      index: () => ({}),
    };
    const report = await rebuildProjections(
      counted,
      inner,
      [...projections, inOrder as Projection<unknown>],
      {
        switchMode: 'now',
      },
    );
    expect(streamReads()).toBe(0);
    const [last] = await ledger.store.readAll({ after: (await ledger.store.headPosition()) - 1, limit: 1 });
    const name = physicalName(inOrder.name, report.projections.at(-1)!.generation);
    expect(await inner.get(name, 'all')).toEqual({ last: last!.type });
  });

  it('refuses to rebuild stream by stream a read model whose document more than one stream changes', async () => {
    await new SampleLedger(ledger.store).seed(1);
    const misdeclared: Projection<{ events: number }> = {
      name: 'one_for_all',
      version: 1,
      tuning: { perStream: true }, // wrongly: every stream's events change the same document
      documentIds: () => ['all'],
      evolve: (doc) => ({ events: (doc?.events ?? 0) + 1 }),
      index: () => ({}),
    };
    await expect(
      rebuildProjections(ledger.store, inner, [misdeclared as Projection<unknown>], { switchMode: 'now' }),
    ).rejects.toThrow(/one_for_all: document all is changed by more than one stream/);
  });
});
