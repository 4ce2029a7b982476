// A DocumentStore that maps each read model's logical name to its live generation, so readers and the
// projection runner never name generations. In the process that runs the projections (handover: true)
// it also switches a read model to the generation a rebuild made ready, at a point where nothing of the
// runner's is in flight: after a commit, or when idle, once the runner has reached the rebuilt position.
import { upcastEvent } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import type {
  DocumentChange,
  DocumentQuery,
  DocumentStore,
  NewDocuments,
  Projection,
  ProjectionCommit,
  StoredDocument,
} from '../projection';
import { applyBatch } from '../projection-runner';
import { physicalName, readPointers, switched, writePointer, type GenerationPointer } from './generations';

export interface GenerationalOptions {
  readonly events: EventStore;
  /** Read models whose names are mapped; any other name passes through unchanged. */
  readonly projections: readonly Projection<unknown>[];
  /** True in the process that runs the projection runner (one per deployment): it performs switches. */
  readonly handover?: boolean;
  /** How often pointers are reread (ms); readers in other processes see a switch within this. */
  readonly refreshMs?: number;
  readonly onSwitch?: (info: {
    readonly name: string;
    readonly from: number;
    readonly to: number;
    readonly position: number;
  }) => void;
  readonly onError?: (error: unknown) => void;
}

export class GenerationalDocumentStore implements DocumentStore {
  private readonly live = new Map<string, number>();
  private readonly byName: Map<string, Projection<unknown>>;
  /** Read models with a load not yet followed by its commit (the runner is mid-batch). */
  private readonly busy = new Set<string>();
  /** Read models whose pointer named a ready generation at the last refresh. */
  private readonly ready = new Set<string>();
  /** Commits and switches run one at a time (the runner commits several read models atomically). */
  private lock: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly inner: DocumentStore,
    private readonly options: GenerationalOptions,
  ) {
    this.byName = new Map(options.projections.map((p) => [p.name, p]));
  }

  static async open(inner: DocumentStore, options: GenerationalOptions): Promise<GenerationalDocumentStore> {
    const store = new GenerationalDocumentStore(inner, options);
    // Before any runner starts here, a ready generation can be switched to at once: the runner will
    // start from its checkpoint. This is also how a new read model version goes live without downtime.
    await store.refresh({ starting: true });
    store.timer = setInterval(() => {
      store.refresh().catch((error) => options.onError?.(error));
    }, options.refreshMs ?? 1000);
    store.timer.unref();
    return store;
  }

  /** The physical name read and written for a logical one now. */
  physical(name: string): string {
    const generation = this.live.get(name);
    return generation === undefined ? name : physicalName(name, generation);
  }

  checkpoint(projection: string) {
    return this.inner.checkpoint(this.physical(projection));
  }

  load(projection: string, ids: readonly string[]): Promise<Map<string, unknown>> {
    if (this.byName.has(projection)) this.busy.add(projection);
    return this.inner.load(this.physical(projection), ids);
  }

  loadAll(requests: ReadonlyMap<string, readonly string[]>): Promise<Map<string, Map<string, unknown>>> {
    const physical = new Map<string, string>();
    for (const name of requests.keys()) {
      if (this.byName.has(name)) this.busy.add(name);
      physical.set(name, this.physical(name));
    }
    return this.inner
      .loadAll(new Map([...requests].map(([name, ids]) => [physical.get(name)!, ids])))
      .then(
        (found) =>
          new Map([...requests.keys()].map((name) => [name, found.get(physical.get(name)!) ?? new Map()])),
      );
  }

  commit(
    projection: string,
    version: number,
    changes: readonly DocumentChange[],
    position: number,
  ): Promise<void> {
    return this.commitAll([{ projection, version, changes, position }]);
  }

  commitAll(commits: readonly ProjectionCommit[]): Promise<void> {
    return this.locked(async () => {
      await this.inner.commitAll(commits.map((c) => ({ ...c, projection: this.physical(c.projection) })));
      for (const { projection } of commits) this.busy.delete(projection);
      if (!this.options.handover) return;
      const due = commits.map((c) => c.projection).filter((name) => this.ready.has(name));
      if (due.length === 0) return;
      for (const pointer of (await readPointers(this.inner, due)).values())
        if (pointer.next) await this.handover(pointer, false);
    });
  }

  insertNew(additions: readonly NewDocuments[]): Promise<void> {
    return this.inner.insertNew(additions.map((a) => ({ ...a, projection: this.physical(a.projection) })));
  }

  get<Doc>(projection: string, id: string): Promise<Doc | undefined> {
    return this.inner.get<Doc>(this.physical(projection), id);
  }

  query<Doc>(
    projection: string,
    query: DocumentQuery,
  ): Promise<{ items: StoredDocument<Doc>[]; total: number }> {
    return this.inner.query<Doc>(this.physical(projection), query);
  }

  reset(projection: string): Promise<void> {
    return this.inner.reset(this.physical(projection));
  }

  /** Stops rereading pointers, leaving the inner store open (for a wrapper over a shared store). */
  stopRefreshing(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async close(): Promise<void> {
    this.stopRefreshing();
    await this.lock.catch(() => undefined);
    await this.inner.close();
  }

  /** Rereads the pointers; in the handover process, switches read models whose next generation is ready. */
  async refresh(options: { starting?: boolean } = {}): Promise<void> {
    await this.locked(async () => {
      // Read under the lock: a switch made here meanwhile must not be undone by a stale read.
      const pointers = await readPointers(this.inner, [...this.byName.keys()]);
      for (const pointer of pointers.values()) {
        this.live.set(pointer.name, pointer.live);
        if (pointer.next) this.ready.add(pointer.name);
        else this.ready.delete(pointer.name);
        if (this.options.handover && pointer.next && !this.busy.has(pointer.name))
          await this.handover(pointer, options.starting ?? false);
      }
    });
  }

  private async handover(pointer: GenerationPointer, starting: boolean): Promise<void> {
    const projection = this.byName.get(pointer.name)!;
    const next = pointer.next!;
    if (next.version !== projection.version) return; // built by other code: its own deployment switches
    const target = physicalName(pointer.name, next.generation);
    const built = await this.inner.checkpoint(target);
    if (!built || built.version !== projection.version) return;
    let position = built.position;
    if (!starting) {
      // The live runner is here and owns the live generation: catch the new one up to it, then switch.
      const live = (await this.inner.checkpoint(this.physical(pointer.name)))?.position ?? 0;
      if (live < built.position) return; // the runner has not reached the rebuilt position yet
      const renamed = { ...projection, name: target };
      for (let after = built.position; after < live;) {
        const batch = (await this.options.events.readAll({ after, limit: 1000 })).filter(
          (event) => event.position <= live,
        );
        if (batch.length === 0) break;
        await applyBatch(this.inner, renamed, batch.map(upcastEvent));
        after = batch[batch.length - 1]!.position;
      }
      position = live;
    }
    const from = this.live.get(pointer.name) ?? pointer.live;
    await writePointer(this.inner, switched(pointer, new Date().toISOString()));
    this.live.set(pointer.name, next.generation);
    this.ready.delete(pointer.name);
    this.options.onSwitch?.({ name: pointer.name, from, to: next.generation, position });
  }

  private locked<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work);
    this.lock = run.catch(() => undefined);
    return run;
  }
}
